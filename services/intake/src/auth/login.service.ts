import type { JwtService } from '@nestjs/jwt';
import { ProblemException } from '@hotline/platform';
import type { JwtClaims, PasswordHasher, UserRepository, UserRow } from '@hotline/platform';

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
  constructor(
    private readonly users: Pick<UserRepository, 'findByUsername'>,
    private readonly jwt: Pick<JwtService, 'signAsync'>,
    private readonly passwords: Pick<PasswordHasher, 'verify' | 'dummyHash'>,
  ) {}

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
