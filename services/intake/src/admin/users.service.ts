import { Injectable } from '@nestjs/common';
import { LoginThrottleRepository, ProblemException, UserRepository, usernameOf } from '@hotline/platform';

/**
 * Administration of users' access: deactivating a user (or revoking their tokens) bumps their
 * token version, so every token issued before stops working in every service within the users
 * cache's TTL (AUTH_USER_CACHE_TTL_MS, ≤ 30 s). Creating users and setting passwords:
 * `libs/platform/dist/cli/user.js`.
 */
@Injectable()
export class UsersAdminService {
  constructor(
    private readonly users: UserRepository,
    private readonly throttle: LoginThrottleRepository,
  ) {}

  async setActive(username: string, active: boolean) {
    if (!(await this.users.setActive(username, active))) throw notFound(username);
    return { username, active };
  }

  async revokeTokens(username: string) {
    if (!(await this.users.revokeTokens(username))) throw notFound(username);
    return { username, tokensRevoked: true };
  }

  /** Clears a user's account lockout (not its client address's). */
  async unlock(username: string) {
    if (!(await this.users.findByUsername(username))) throw notFound(username);
    await this.throttle.clear('account', `login:${usernameOf({ username })}`);
    return { username, unlocked: true };
  }
}

const notFound = (username: string) => new ProblemException('not_found', `no user ${username}`);
