import { Injectable } from '@nestjs/common';
import {
  CatalogRepository,
  LoginThrottleRepository,
  ProblemException,
  UserRepository,
  usernameOf,
} from '@hotline/platform';

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
    private readonly catalog: CatalogRepository,
  ) {}

  /**
   * Makes a unit's user its leader (单位领导: its own account reviews in person), or not. Other
   * services see it within the users cache's TTL, as a deactivation.
   */
  async setUnitLeader(username: string, leader: boolean) {
    const done = await this.users.setUnitLeader(username, leader);
    if (done === null) throw notFound(username);
    if (done === 'not_unit_user')
      throw new ProblemException(
        'action_rejected',
        `${username} is no unit's user: only a unit's user leads it`,
      );
    return { username, unitId: done.unitId, unitLeader: leader };
  }

  /** Whether a unit wants its leader to review in person (a clerk's review in the leader's name refused). */
  async setLeaderReviewInPerson(unitId: string, inPerson: boolean) {
    if (!(await this.catalog.setLeaderReviewInPerson(unitId, inPerson)))
      throw new ProblemException('not_found', `no unit ${unitId}`);
    return { unitId, leaderReviewInPerson: inPerson };
  }

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
