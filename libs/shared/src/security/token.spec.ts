import { TOKEN_CLOCK_SKEW_SECONDS, tokenClaimProblem, tokenUserProblem } from './token';
import type { TokenClaims, TokenUser } from './token';

const NOW = 1_800_000_000;
const TTL = 8 * 3600;
const claims: TokenClaims = {
  sub: 'clerk.housing',
  username: 'clerk.housing',
  role: 'unit_clerk',
  unitId: 'housing',
  ver: 3,
  iat: NOW - 10,
  exp: NOW - 10 + TTL,
};
const user: TokenUser = {
  id: 'clerk.housing',
  role: 'unit_clerk',
  unitId: 'housing',
  active: true,
  tokenVersion: 3,
  unitExists: true,
};
const problem = (over: Record<string, unknown>) =>
  tokenClaimProblem({ ...claims, ...over } as Record<string, unknown>, NOW, TTL);

describe('tokenClaimProblem', () => {
  it('accepts a token the login issued', () => {
    expect(problem({})).toBeNull();
  });
  it('refuses a token without exp or iat', () => {
    expect(problem({ exp: undefined })).toMatch(/no expiry/);
    expect(problem({ iat: undefined })).toMatch(/no issue time/);
    expect(problem({ exp: '9999999999' })).toMatch(/no expiry/);
  });
  it('accepts iat up to the clock skew ahead, not beyond', () => {
    const at = (iat: number) => problem({ iat, exp: iat + 60 });
    expect(at(NOW + TOKEN_CLOCK_SKEW_SECONDS)).toBeNull();
    expect(at(NOW + TOKEN_CLOCK_SKEW_SECONDS + 1)).toMatch(/future/);
    expect(at(NOW + 365 * 86400)).toMatch(/future/);
  });
  it('refuses an expired token', () => {
    expect(problem({ exp: NOW })).toMatch(/expired/);
    expect(problem({ exp: NOW + 1 })).toBeNull();
  });
  it('refuses a lifetime longer than configured (beyond the skew)', () => {
    expect(problem({ iat: NOW, exp: NOW + TTL + TOKEN_CLOCK_SKEW_SECONDS })).toBeNull();
    expect(problem({ iat: NOW, exp: NOW + TTL + TOKEN_CLOCK_SKEW_SECONDS + 1 })).toMatch(/lifetime/);
  });
  it('refuses unknown roles, a missing user, a bad unit or no token version', () => {
    expect(problem({ role: 'emperor' })).toMatch(/role/);
    expect(problem({ sub: '' })).toMatch(/no user/);
    expect(problem({ unitId: 7 })).toMatch(/unit/);
    expect(problem({ ver: undefined })).toMatch(/token version/);
    expect(problem({ unitId: null })).toBeNull();
  });
});

describe('tokenUserProblem', () => {
  it('accepts the user as the token names them', () => {
    expect(tokenUserProblem(claims, user)).toBeNull();
  });
  it('refuses an unknown or deactivated user', () => {
    expect(tokenUserProblem(claims, null)).toMatch(/unknown user/);
    expect(tokenUserProblem(claims, { ...user, active: false })).toMatch(/deactivated/);
  });
  it('refuses a token of an older token version', () => {
    expect(tokenUserProblem(claims, { ...user, tokenVersion: 4 })).toMatch(/revoked/);
  });
  it('refuses a role or unit that no longer matches, or a unit that does not exist', () => {
    expect(tokenUserProblem({ ...claims, role: 'admin', unitId: null }, user)).toMatch(/role/);
    expect(tokenUserProblem({ ...claims, unitId: 'nowhere' }, user)).toMatch(/unit no longer/);
    expect(tokenUserProblem(claims, { ...user, unitExists: false })).toMatch(/does not exist/);
  });
});
