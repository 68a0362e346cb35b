import { Inject, Injectable } from '@nestjs/common';
import {
  CatalogRepository,
  CONFIG,
  DEMO_PASSWORD,
  LoginThrottleRepository,
  pageOf,
  PasswordHasher,
  ProblemException,
  UserRepository,
  usernameOf,
} from '@hotline/platform';
import { accountProblem, passwordProblem, servicePromiseProblem } from '@hotline/shared';
import type { AccountProblem, PlatformConfig, Principal, Role } from '@hotline/shared';

/**
 * Administration of users' access: deactivating a user (or revoking their tokens) bumps their
 * token version, so every token issued before stops working in every service within the users
 * cache's TTL (AUTH_USER_CACHE_TTL_MS, ≤ 30 s). The administrator creates users and sets their
 * passwords here too (or with `libs/platform/dist/cli/user.js` on the server); the rules for a
 * username, a role's unit and a password are `accountProblem` and `passwordProblem`.
 */
@Injectable()
export class UsersAdminService {
  constructor(
    private readonly users: UserRepository,
    private readonly throttle: LoginThrottleRepository,
    private readonly catalog: CatalogRepository,
    private readonly passwords: PasswordHasher,
    @Inject(CONFIG) private readonly config: Pick<PlatformConfig, 'env'>,
  ) {}

  async create(
    body: {
      username: string;
      displayName: string;
      role: string;
      unitId?: string;
      password: string;
    },
    who?: Principal,
  ) {
    const account = { ...body, displayName: body.displayName.trim(), unitId: body.unitId ?? null };
    refuse(accountProblem(account) ?? passwordProblem(body.password, body.username, this.refusedPasswords()));
    if (account.unitId !== null && !(await this.catalog.unit(account.unitId)))
      throw new ProblemException('unknown_unit', `no unit "${account.unitId}"`, { field: 'unitId' });
    const created = await this.users.createNew(
      {
        username: account.username,
        displayName: account.displayName,
        role: account.role as Role,
        unitId: account.unitId,
        passwordHash: await this.passwords.hash(body.password),
      },
      who,
    );
    if (!created)
      throw new ProblemException('conflict', `the username ${body.username} is taken`, { field: 'username' });
    return created;
  }

  async get(username: string) {
    const user = await this.users.view(username);
    if (!user) throw notFound(username);
    return user;
  }

  async list(
    filter: { role?: Role; unitId?: string; active?: boolean },
    page: { limit: number; offset: number },
  ) {
    return pageOf(await this.users.list(filter, page), page);
  }

  /** Sets a user's password; every token issued before stops working (they log in again). */
  async setPassword(username: string, password: string, who?: Principal) {
    refuse(passwordProblem(password, username, this.refusedPasswords()));
    if (!(await this.users.setPasswordHash(username, await this.passwords.hash(password), who)))
      throw notFound(username);
    return { username, tokensRevoked: true as const };
  }

  /** The demo password is for development and tests; a production user never gets it. */
  private refusedPasswords(): string[] {
    return this.config.env === 'production' ? [DEMO_PASSWORD] : [];
  }

  /**
   * Makes a unit's user its leader (单位领导: its own account reviews in person), or not. Other
   * services see it within the users cache's TTL, as a deactivation.
   */
  async setUnitLeader(username: string, leader: boolean, who?: Principal) {
    const done = await this.users.setUnitLeader(username, leader, who);
    if (done === null) throw notFound(username);
    if (done === 'not_unit_user')
      throw new ProblemException(
        'action_rejected',
        `${username} is no unit's user: only a unit's user leads it`,
      );
    return { username, unitId: done.unitId, unitLeader: leader };
  }

  /** Whether a unit wants its leader to review in person (a clerk's review in the leader's name refused). */
  async setLeaderReviewInPerson(unitId: string, inPerson: boolean, who?: Principal) {
    if (!(await this.catalog.setLeaderReviewInPerson(unitId, inPerson, who)))
      throw new ProblemException('not_found', `no unit ${unitId}`);
    return { unitId, leaderReviewInPerson: inPerson };
  }

  async servicePromises(unitId: string) {
    const unit = await this.catalog.unit(unitId);
    if (!unit) throw new ProblemException('not_found', `no unit ${unitId}`);
    return { unitId, servicePromises: unit.servicePromises ?? [] };
  }

  /** The whole list, each promise trimmed and once; one that names no service is refused. */
  async setServicePromises(unitId: string, promises: string[], who?: Principal) {
    const list = [...new Set(promises.map((p) => p.trim()))];
    for (const p of list) {
      const problem = servicePromiseProblem(p);
      if (problem) throw new ProblemException('validation_failed', problem, { field: 'servicePromises' });
    }
    if (!(await this.catalog.setServicePromises(unitId, list, who)))
      throw new ProblemException('not_found', `no unit ${unitId}`);
    return { unitId, servicePromises: list };
  }

  /** An administrator never deactivates themself, nor the last active administrator. */
  async setActive(username: string, active: boolean, who?: Principal) {
    if (!active && who && who.username === username)
      throw new ProblemException(
        'conflict',
        'you cannot deactivate your own account; another administrator can',
      );
    const done = await this.users.setActive(username, active, who);
    if (done === 'last_admin')
      throw new ProblemException(
        'conflict',
        `${username} is the last active administrator: activate or create another one first`,
      );
    if (!done) throw notFound(username);
    return { username, active };
  }

  async revokeTokens(username: string, who?: Principal) {
    if (!(await this.users.revokeTokens(username, who))) throw notFound(username);
    return { username, tokensRevoked: true };
  }

  /**
   * Clears a user's account lockouts (not its client address's): the login's and the change of
   * its own password's (five wrong current passwords lock that too).
   */
  async unlock(username: string) {
    const user = await this.users.findByUsername(username);
    if (!user) throw notFound(username);
    await this.throttle.clear('account', `login:${usernameOf({ username })}`);
    await this.throttle.clear('account', `password:${user.username}`);
    return { username, unlocked: true };
  }
}

const notFound = (username: string) => new ProblemException('not_found', `no user ${username}`);

function refuse(problem: AccountProblem | null): void {
  if (problem) throw new ProblemException('validation_failed', problem.detail, { field: problem.field });
}
