import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { Public, Throttled, usernameOf } from '@hotline/platform';
import { ROLES } from '@hotline/shared';
import type { Role } from '@hotline/shared';
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
    const { accessToken, user } = await this.logins.login(body.username, body.password);
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
