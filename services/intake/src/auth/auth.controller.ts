import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { CurrentPrincipal, Public, Throttled, usernameOf } from '@hotline/platform';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, ROLES } from '@hotline/shared';
import type { Principal, Role } from '@hotline/shared';
import { LoginService } from './login.service';

export class LoginDto {
  @ApiProperty({ example: 'operator' })
  @IsString()
  @Length(1, 64)
  username!: string;

  @ApiProperty({ example: 'hotline12345' })
  @IsString()
  @Length(1, 128)
  password!: string;
}

export class ChangePasswordDto {
  // The examples are wrong on purpose: a request built from the document changes nothing.
  @ApiProperty({ example: 'your-current-password' })
  @IsString()
  @Length(1, 128)
  currentPassword!: string;

  @ApiProperty({
    example: 'your-new-password',
    description: `${MIN_PASSWORD_LENGTH}–${MAX_PASSWORD_LENGTH} characters, not the username nor the current one.`,
  })
  @IsString()
  @Length(1, 512)
  newPassword!: string;
}

export class LoginResponse {
  @ApiProperty() accessToken!: string;
  @ApiProperty({ example: 'Bearer' }) tokenType!: 'Bearer';
  @ApiProperty() username!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty({ nullable: true, type: String }) unitId!: string | null;
}

/** Issues the bearer tokens every service accepts. */
@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(private readonly logins: LoginService) {}

  @Public()
  @Throttled({ name: 'login', account: usernameOf })
  @Post('login')
  @HttpCode(200)
  @ApiOkResponse({ type: LoginResponse })
  @ApiUnauthorizedResponse({ description: 'Unknown user or wrong password (`invalid_credentials`).' })
  async login(@Body() body: LoginDto): Promise<LoginResponse> {
    return this.answer(await this.logins.login(body.username, body.password));
  }

  @ApiBearerAuth()
  @Throttled({
    name: 'password',
    account: (_body, caller) => caller?.username ?? null,
    wrongGuesses: ['wrong_password'],
  })
  @Post('password')
  @HttpCode(200)
  @ApiOkResponse({
    type: LoginResponse,
    description:
      'Changes the caller’s own password: every token issued before stops working, and this answer carries a new ' +
      'one. A wrong current password is 400 wrong_password and counts like a failed login (5: locked, 429).',
  })
  async changePassword(
    @Body() body: ChangePasswordDto,
    @CurrentPrincipal() who: Principal,
  ): Promise<LoginResponse> {
    return this.answer(
      await this.logins.changePassword(who.username, body.currentPassword, body.newPassword),
    );
  }

  private answer({ accessToken, user }: Awaited<ReturnType<LoginService['login']>>): LoginResponse {
    return {
      accessToken,
      tokenType: 'Bearer',
      username: user.username,
      displayName: user.displayName,
      role: user.role,
      unitId: user.unitId,
    };
  }
}
