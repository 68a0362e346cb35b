import {
  CanActivate,
  createParamDecorator,
  ExecutionContext,
  Inject,
  Injectable,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { RouteConfig } from '@nestjs/platform-fastify';
import { TOKEN_ALGORITHM, tokenClaimProblem, tokenUserProblem } from '@hotline/shared';
import type { PlatformConfig, Principal, Role, TokenClaims, TokenUser } from '@hotline/shared';
import { UserRepository } from '../repositories/user.repository';
import type { AccessOrigin } from '../repositories/personal-data-access.repository';
import { ProblemException } from './problem';
import { CONFIG } from './tokens';

const PUBLIC_KEY = 'hotline:public';
const ROLES_KEY = 'hotline:roles';

/** The route needs no token (login, health, docs). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
/** Only these roles may call the route. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** The route option holding its check of the caller by headers (bootstrap's onRequest hook runs it). */
export const CHECK_BEFORE_BODY = 'checkBeforeBody';

/** Refuses a caller from the request's headers alone by throwing (a ProblemException). */
export type HeaderCheck = (headers: Record<string, string | string[] | undefined>) => void;

/**
 * The caller is checked from the headers (a webhook's shared secret) as soon as the route is known,
 * before a byte of the body is read: a caller refused learns nothing of what the route takes, not
 * even that its body has the wrong type (415), is not JSON (400) or is too large (413). Guards and
 * pipes run only after the body is parsed.
 */
export const CheckedBeforeBody = (check: HeaderCheck) => RouteConfig({ [CHECK_BEFORE_BODY]: check });

/** What the login signs; `iat` and `exp` are added by the signer. */
export type JwtClaims = Omit<TokenClaims, 'iat' | 'exp'>;

/** Where the guard finds the user a token names (UserRepository, cached). */
export interface TokenUserLookup {
  findForToken(userId: string): Promise<TokenUser | null>;
}

type RequestWithPrincipal = { headers: Record<string, string | undefined>; principal?: Principal };

const unauthenticated = (detail: string) => new ProblemException('unauthenticated', detail);

/**
 * Global guard: a valid bearer token everywhere but @Public routes, and the route's roles. Valid
 * means: signed with HS256 and our secret; `exp` and `iat` present, `iat` not ahead of our clock
 * (beyond a minute's skew), a lifetime no longer than JWT_TTL_SECONDS; and the user it names
 * exists, is active, has the token's role, unit (which exists) and token version (`ver`), as the
 * database says within the users cache's TTL.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly jwt: JwtService,
    private readonly reflector: Reflector,
    @Inject(UserRepository) private readonly users: TokenUserLookup,
    @Inject(CONFIG) private readonly config: Pick<PlatformConfig, 'jwtTtlSeconds'>,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const req = ctx.switchToHttp().getRequest<RequestWithPrincipal>();
    const header = req.headers['authorization'] ?? '';
    const [scheme, token] = header.split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token)
      throw unauthenticated('a bearer token is required (POST /api/v1/auth/login on intake)');
    let verified: Record<string, unknown>;
    try {
      verified = await this.jwt.verifyAsync<Record<string, unknown>>(token, {
        algorithms: [TOKEN_ALGORITHM],
      });
    } catch {
      throw unauthenticated('the token is invalid or has expired');
    }
    const claimProblem = tokenClaimProblem(
      verified,
      Math.floor(Date.now() / 1000),
      this.config.jwtTtlSeconds,
    );
    if (claimProblem) throw unauthenticated(claimProblem);
    const claims = verified as unknown as TokenClaims;
    let user: TokenUser | null;
    try {
      user = await this.users.findForToken(claims.sub);
    } catch {
      throw new ProblemException(
        'dependency_unavailable',
        'the token cannot be checked: Postgres is not reachable',
      );
    }
    const userProblem = tokenUserProblem(claims, user);
    if (userProblem) throw unauthenticated(userProblem);
    req.principal = {
      userId: claims.sub,
      username: claims.username,
      role: claims.role,
      unitId: claims.unitId,
      ...(user!.unitLeader ? { unitLeader: true } : {}),
      ...(user!.displayName ? { displayName: user!.displayName } : {}),
    };
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(claims.role))
      throw new ProblemException('forbidden', `this action needs one of the roles: ${roles.join(', ')}`);
    return true;
  }
}

export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const principal = ctx.switchToHttp().getRequest<RequestWithPrincipal>().principal;
  if (!principal) throw new ProblemException('unauthenticated', 'no principal on the request');
  return principal;
});

/** The user agent kept on an access-log row: at most this many characters. */
export const USER_AGENT_MAX = 300;

/**
 * Where a request came from, as the personal-data access log keeps it: the client address (through
 * a proxy the configuration trusts) and the user agent, cut to USER_AGENT_MAX characters.
 */
export const RequestOrigin = createParamDecorator((_: unknown, ctx: ExecutionContext): AccessOrigin => {
  const req = ctx.switchToHttp().getRequest<{ ip?: string; headers: Record<string, unknown> }>();
  const agent = req.headers['user-agent'];
  return {
    requestAddress: req.ip ?? null,
    userAgent: typeof agent === 'string' ? agent.slice(0, USER_AGENT_MAX) : null,
  };
});
