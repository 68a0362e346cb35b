import { ROLES } from '../domain/vocabulary';
import type { Role } from '../domain/vocabulary';

/**
 * The claims of the platform's bearer tokens (HS256, issued by intake's login) and the rules a
 * token must meet beyond its signature. Pure: the guard verifies the signature, then asks
 * `tokenClaimProblem` and `tokenUserProblem`; each answers null or the reason (English, for the
 * 401 problem's detail).
 */
export interface TokenClaims {
  sub: string;
  username: string;
  role: Role;
  unitId: string | null;
  /** The user's token version when the token was issued; deactivation and a new password bump it. */
  ver: number;
  iat: number;
  exp: number;
}

/** The only algorithm the platform signs and accepts. */
export const TOKEN_ALGORITHM = 'HS256';
/** How far ahead of our clock a token's `iat` may be (another instance's clock). */
export const TOKEN_CLOCK_SKEW_SECONDS = 60;

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/** What is wrong with verified claims at `nowSeconds`, for tokens issued for at most `maxTtlSeconds`. */
export function tokenClaimProblem(
  claims: Record<string, unknown>,
  nowSeconds: number,
  maxTtlSeconds: number,
): string | null {
  if (!isInt(claims.exp)) return 'the token has no expiry (exp)';
  if (!isInt(claims.iat)) return 'the token has no issue time (iat)';
  if (claims.iat > nowSeconds + TOKEN_CLOCK_SKEW_SECONDS) return 'the token is issued in the future (iat)';
  if (claims.exp <= nowSeconds) return 'the token has expired';
  if (claims.exp - claims.iat > maxTtlSeconds + TOKEN_CLOCK_SKEW_SECONDS)
    return `the token's lifetime is longer than ${maxTtlSeconds} s`;
  if (typeof claims.sub !== 'string' || !claims.sub) return 'the token names no user (sub)';
  if (typeof claims.username !== 'string') return 'the token names no username';
  if (typeof claims.role !== 'string' || !(ROLES as readonly string[]).includes(claims.role))
    return 'the token has no valid role';
  if (claims.unitId !== null && typeof claims.unitId !== 'string') return 'the token has no valid unit';
  if (!isInt(claims.ver) || claims.ver < 0) return 'the token has no token version (ver); log in again';
  return null;
}

/** The user as the database has it now, for the token's `sub`. */
export interface TokenUser {
  id: string;
  role: Role;
  unitId: string | null;
  active: boolean;
  tokenVersion: number;
  /** Whether `unitId` names an existing, active unit (true when there is no unit). */
  unitExists: boolean;
  /** A unit's leader (单位领导); absent: no. */
  unitLeader?: boolean;
  displayName?: string;
}

/** What keeps claims (already checked by tokenClaimProblem) from standing for `user` now. */
export function tokenUserProblem(claims: TokenClaims, user: TokenUser | null): string | null {
  if (!user) return 'the token names an unknown user';
  if (!user.active) return 'the user is deactivated';
  if (claims.ver !== user.tokenVersion)
    return 'the token has been revoked (password changed or user deactivated); log in again';
  if (claims.role !== user.role) return "the token's role no longer matches the user; log in again";
  if (claims.unitId !== user.unitId) return "the token's unit no longer matches the user; log in again";
  if (!user.unitExists) return "the token's unit does not exist";
  return null;
}
