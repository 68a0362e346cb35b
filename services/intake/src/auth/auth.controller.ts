import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { ProblemException, Public, UserRepository, verifyPassword } from '@hotline/platform';
import type { JwtClaims } from '@hotline/platform';
import type { Role } from '@hotline/shared';

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
  @ApiProperty() role!: Role;
  @ApiProperty({ nullable: true, type: String }) unitId!: string | null;
}

/** Issues the bearer tokens every service accepts. */
@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly users: UserRepository,
    private readonly jwt: JwtService,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOkResponse({ type: LoginResponse })
  async login(@Body() body: LoginDto): Promise<LoginResponse> {
    const user = await this.users.findByUsername(body.username);
    // One answer for unknown users and wrong passwords: no account enumeration.
    if (!user || !user.active || !(await verifyPassword(body.password, user.passwordHash)))
      throw new ProblemException('invalid_credentials', 'unknown user or wrong password');
    const claims: JwtClaims = { sub: user.id, username: user.username, role: user.role, unitId: user.unitId };
    return {
      accessToken: await this.jwt.signAsync(claims),
      tokenType: 'Bearer',
      username: user.username,
      displayName: user.displayName,
      role: user.role,
      unitId: user.unitId,
    };
  }
}
