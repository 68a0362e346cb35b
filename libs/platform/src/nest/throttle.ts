import {
  applyDecorators,
  CallHandler,
  CanActivate,
  ExecutionContext,
  HttpException,
  Injectable,
  NestInterceptor,
  SetMetadata,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { catchError, from, mergeMap, Observable, throwError } from 'rxjs';
import { DomainError, ERROR_STATUS, LOGIN_LIMITS } from '@hotline/shared';
import type { ThrottleLimit, ThrottleScope } from '@hotline/shared';
import { LoginThrottleRepository } from '../repositories/login-throttle.repository';
import type { ThrottleKey } from '../repositories/login-throttle.repository';
import { ProblemException } from './problem';

const THROTTLE_KEY = 'hotline:throttle';

export interface ThrottleOptions {
  /** Names the endpoint's counters (`login`): each throttled endpoint has budgets of its own. */
  name: string;
  /** The account an attempt is for, from the raw (not yet validated) body; none: per address only. */
  account?: (body: unknown) => string | null;
  limits?: Record<ThrottleScope, ThrottleLimit>;
}

type ThrottledRequest = { ip?: string; body?: unknown; throttleKeys?: ThrottleKey[] };

/** The username field of a JSON body, trimmed and lower-cased (so `Admin` counts for `admin`). */
export const usernameOf = (body: unknown): string | null => {
  const u = (body as { username?: unknown } | null)?.username;
  return typeof u === 'string' && u.trim() ? u.trim().toLowerCase().slice(0, 128) : null;
};

/**
 * Rate limit and lockout for a @Public endpoint that checks something a caller could guess
 * (a password, later a citizen's query code): every attempt counts as a failure per account and
 * per client address until it succeeds (libs/shared/src/security/throttle.ts has the limits);
 * a key that has used up its failures is locked and every attempt on it, right or wrong, is
 * answered 429 `rate_limited` with Retry-After until the lock ends.
 *
 *   @Public() @Throttled({ name: 'login', account: usernameOf }) @Post('login') login(…)
 */
export const Throttled = (opts: ThrottleOptions) =>
  applyDecorators(
    SetMetadata(THROTTLE_KEY, opts),
    UseGuards(ThrottleGuard),
    UseInterceptors(ThrottleInterceptor),
    ApiTooManyRequestsResponse({
      description:
        'Too many failed attempts for this account or from this address: locked for a while (Retry-After, seconds); problem+json `rate_limited`.',
    }),
  );

function keysFor(opts: ThrottleOptions, req: ThrottledRequest): ThrottleKey[] {
  const limits = opts.limits ?? LOGIN_LIMITS;
  const keys: ThrottleKey[] = [
    { scope: 'address', key: `${opts.name}:${req.ip ?? 'unknown'}`, limit: limits.address },
  ];
  const account = opts.account?.(req.body);
  if (account) keys.push({ scope: 'account', key: `${opts.name}:${account}`, limit: limits.account });
  return keys;
}

@Injectable()
export class ThrottleGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly throttle: LoginThrottleRepository,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const opts = this.reflector.get<ThrottleOptions | undefined>(THROTTLE_KEY, ctx.getHandler());
    if (!opts) return true;
    const req = ctx.switchToHttp().getRequest<ThrottledRequest>();
    const keys = keysFor(opts, req);
    let verdict;
    try {
      verdict = await this.throttle.begin(keys);
    } catch {
      throw new ProblemException(
        'dependency_unavailable',
        'the attempt cannot be checked: Postgres is not reachable',
      );
    }
    if (!verdict.allowed) {
      const what = verdict.scope === 'account' ? 'this account' : 'this address';
      throw new ProblemException(
        'rate_limited',
        `too many failed attempts for ${what}; try again in ${verdict.retryAfterSeconds} s`,
        { retryAfterSeconds: verdict.retryAfterSeconds },
        { 'retry-after': String(verdict.retryAfterSeconds) },
      );
    }
    req.throttleKeys = keys;
    return true;
  }
}

const statusOf = (err: unknown): number =>
  err instanceof HttpException ? err.getStatus() : err instanceof DomainError ? ERROR_STATUS[err.code] : 500;

/** Settles the attempt the guard counted: a success gives it back, an outage voids it. */
@Injectable()
export class ThrottleInterceptor implements NestInterceptor {
  constructor(private readonly throttle: LoginThrottleRepository) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const keys = ctx.switchToHttp().getRequest<ThrottledRequest>().throttleKeys;
    if (!keys) return next.handle();
    return next.handle().pipe(
      // A success that cannot be recorded (Postgres gone that instant) leaves one failure counted.
      mergeMap((result) =>
        from(
          this.throttle.succeeded(keys).then(
            () => result,
            () => result,
          ),
        ),
      ),
      catchError((err: unknown) => {
        // Wrong credentials and bad requests stay counted; our own failures (5xx) do not.
        if (statusOf(err) < 500) return throwError(() => err);
        return from(this.throttle.voided(keys).catch(() => undefined)).pipe(
          mergeMap(() => throwError(() => err)),
        );
      }),
    );
  }
}
