import { Controller, Delete, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  LoginThrottleRepository,
  ProblemException,
  Roles,
  UserRepository,
  usernameOf,
} from '@hotline/platform';

/**
 * Administration of users' access: deactivating a user (or revoking their tokens) bumps their
 * token version, so every token issued before stops working in every service within the users
 * cache's TTL (AUTH_USER_CACHE_TTL_MS, ≤ 30 s). Creating users and setting passwords:
 * `libs/platform/dist/cli/user.js`.
 */
@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@Controller('api/v1/admin/users')
export class UsersAdminController {
  constructor(
    private readonly users: UserRepository,
    private readonly throttle: LoginThrottleRepository,
  ) {}

  @Post(':username/deactivate')
  @HttpCode(200)
  @ApiOkResponse({ description: 'The user can no longer log in; their tokens stop working within 30 s.' })
  async deactivate(@Param('username') username: string) {
    if (!(await this.users.setActive(username, false)))
      throw new ProblemException('not_found', `no user ${username}`);
    return { username, active: false };
  }

  @Post(':username/activate')
  @HttpCode(200)
  async activate(@Param('username') username: string) {
    if (!(await this.users.setActive(username, true)))
      throw new ProblemException('not_found', `no user ${username}`);
    return { username, active: true };
  }

  @Post(':username/revoke-tokens')
  @HttpCode(200)
  @ApiOkResponse({ description: "The user's tokens stop working within 30 s; they log in again." })
  async revoke(@Param('username') username: string) {
    if (!(await this.users.revokeTokens(username)))
      throw new ProblemException('not_found', `no user ${username}`);
    return { username, tokensRevoked: true };
  }

  @Delete(':username/lockout')
  @HttpCode(200)
  @ApiOkResponse({ description: "Clears the account's login lockout (not its client address's)." })
  async unlock(@Param('username') username: string) {
    await this.throttle.clear('account', `login:${usernameOf({ username })}`);
    return { username, unlocked: true };
  }
}
