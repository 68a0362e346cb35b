import { CanActivate, createParamDecorator, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { isOneOf, ROLES } from '@hotline/shared';
import type { Principal, Role } from '@hotline/shared';
import { ProblemException } from './problem';

const PUBLIC_KEY = 'hotline:public';
const ROLES_KEY = 'hotline:roles';

/** The route needs no token (login, health, docs). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
/** Only these roles may call the route. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

export interface JwtClaims {
  sub: string;
  username: string;
  role: Role;
  unitId: string | null;
}

type RequestWithPrincipal = { headers: Record<string, string | undefined>; principal?: Principal };

/** Global guard: a valid bearer token everywhere but @Public routes, and the route's roles. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly jwt: JwtService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const req = ctx.switchToHttp().getRequest<RequestWithPrincipal>();
    const header = req.headers['authorization'] ?? '';
    const [scheme, token] = header.split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token)
      throw new ProblemException(
        'unauthenticated',
        'a bearer token is required (POST /api/v1/auth/login on intake)',
      );
    let claims: JwtClaims;
    try {
      claims = await this.jwt.verifyAsync<JwtClaims>(token);
    } catch {
      throw new ProblemException('unauthenticated', 'the token is invalid or has expired');
    }
    if (!isOneOf(ROLES, claims.role))
      throw new ProblemException('unauthenticated', 'the token has no valid role');
    req.principal = {
      userId: claims.sub,
      username: claims.username,
      role: claims.role,
      unitId: claims.unitId,
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
