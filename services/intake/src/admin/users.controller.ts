import { Controller, Delete, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Roles } from '@hotline/platform';
import { UsersAdminService } from './users.service';

export class UserActiveDto {
  @ApiProperty({ example: 'clerk.transport' })
  username!: string;

  @ApiProperty({ description: 'Whether the user may log in.' })
  active!: boolean;
}

export class TokensRevokedDto {
  @ApiProperty({ example: 'clerk.transport' })
  username!: string;

  @ApiProperty({ description: 'Always true.' })
  tokensRevoked!: true;
}

export class LockoutClearedDto {
  @ApiProperty({ example: 'clerk.transport' })
  username!: string;

  @ApiProperty({ description: 'Always true.' })
  unlocked!: true;
}

/** Administration of users' access (users.service.ts says what each action does). */
@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@Controller('api/v1/admin/users')
export class UsersAdminController {
  constructor(private readonly admin: UsersAdminService) {}

  @Post(':username/deactivate')
  @HttpCode(200)
  @ApiOkResponse({
    type: UserActiveDto,
    description: 'The user can no longer log in; their tokens stop working within 30 s.',
  })
  deactivate(@Param('username') username: string) {
    return this.admin.setActive(username, false);
  }

  @Post(':username/activate')
  @HttpCode(200)
  @ApiOkResponse({ type: UserActiveDto, description: 'The user can log in again.' })
  activate(@Param('username') username: string) {
    return this.admin.setActive(username, true);
  }

  @Post(':username/revoke-tokens')
  @HttpCode(200)
  @ApiOkResponse({
    type: TokensRevokedDto,
    description: "The user's tokens stop working within 30 s; they log in again.",
  })
  revoke(@Param('username') username: string) {
    return this.admin.revokeTokens(username);
  }

  @Delete(':username/lockout')
  @HttpCode(200)
  @ApiOkResponse({
    type: LockoutClearedDto,
    description: "Clears the account's login lockout (not its client address's).",
  })
  unlock(@Param('username') username: string) {
    return this.admin.unlock(username);
  }
}
