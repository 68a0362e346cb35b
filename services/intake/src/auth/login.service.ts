import type { JwtService } from '@nestjs/jwt';
import { ProblemException } from '@hotline/platform';
import type { JwtClaims, PasswordHasher, UserRepository, UserRow } from '@hotline/platform';
import { passwordProblem } from '@hotline/shared';

export interface LoginResult {
  accessToken: string;
  user: UserRow;
}

/**
 * Checks a username and password and issues the token. Unknown, deactivated and wrong-password
 * logins get one answer in one time: the password is always verified, against a dummy hash of the
 * same cost when there is no active user. (Rate limit and lockout: @Throttled on the controller.)
 */
export class LoginService {
  /** @param refusedPasswords passwords no user may choose here (the demo password, in production) */
  constructor(
    private readonly users: Pick<UserRepository, 'findByUsername' | 'setPasswordHash'>,
    private readonly jwt: Pick<JwtService, 'signAsync'>,
    private readonly passwords: Pick<PasswordHasher, 'verify' | 'dummyHash' | 'hash'>,
    private readonly refusedPasswords: readonly string[] = [],
  ) {}

  /**
   * A logged-in user changes their own password, giving the current one (a wrong one is
   * `wrong_password`, counted like a failed login by the throttle). Every token issued before stops
   * working; the answer is a new token, as a login's.
   */
  async changePassword(username: string, current: string, next: string): Promise<LoginResult> {
    const rule = passwordProblem(next, username, this.refusedPasswords);
    if (rule) throw new ProblemException('validation_failed', rule.detail, { field: 'newPassword' });
    const user = await this.users.findByUsername(username);
    if (user === null || !user.active) throw new ProblemException('unauthenticated', 'no such active user');
    if (!(await this.passwords.verify(current, user.passwordHash)))
      throw new ProblemException('wrong_password', 'the current password is not right', {
        field: 'currentPassword',
      });
    if (next === current)
      throw new ProblemException('validation_failed', 'the new password is the current one', {
        field: 'newPassword',
      });
    await this.users.setPasswordHash(username, await this.passwords.hash(next));
    return this.login(username, next);
  }

  async login(username: string, password: string): Promise<LoginResult> {
    const user = await this.users.findByUsername(username);
    const usable = user !== null && user.active;
    const stored = usable ? user.passwordHash : await this.passwords.dummyHash();
    const matches = await this.passwords.verify(password, stored);
    if (!usable || !matches)
      throw new ProblemException('invalid_credentials', 'unknown user or wrong password');
    const claims: JwtClaims = {
      sub: user.id,
      username: user.username,
      role: user.role,
      unitId: user.unitId,
      ver: user.tokenVersion,
    };
    return { accessToken: await this.jwt.signAsync(claims), user };
  }
}
