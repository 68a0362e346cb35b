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
import { catchError, finalize, from, mergeMap, Observable, throwError } from 'rxjs';
import { DomainError, ERROR_STATUS, LOGIN_LIMITS } from '@hotline/shared';
import type { ErrorCode, ThrottleLimit, ThrottleScope } from '@hotline/shared';
import { LoginThrottleRepository } from '../repositories/login-throttle.repository';
import type { ThrottleKey } from '../repositories/login-throttle.repository';
import { ProblemException } from './problem';

const THROTTLE_KEY = 'hotline:throttle';

export interface ThrottleOptions {
  /** Names the endpoint's counters (`login`): each throttled endpoint has budgets of its own. */
  name: string;
  /**
   * The account an attempt is for, from the raw (not yet validated) body or the logged-in caller
   * (an endpoint behind the token guard); none: per address only.
   */
  account?: (body: unknown, caller: { username: string } | undefined) => string | null;
  limits?: Record<ThrottleScope, ThrottleLimit>;
  /**
   * Count the account per client address (`limits.account`), and the account from every address
   * together under this wider limit: one address cannot lock the account for everyone (a citizen's
   * ticket, whose number is no secret), many cannot out-guess it.
   */
  accountWide?: ThrottleLimit;
  /**
   * The refusals that are wrong guesses besides a 401 (a wrong current password given to change
   * it): counted as failures like wrong credentials. Every other refusal guessed nothing.
   */
  wrongGuesses?: ErrorCode[];
}

type ThrottledRequest = {
  ip?: string;
  body?: unknown;
  principal?: { username: string };
  throttleKeys?: ThrottleKey[];
  throttleRelease?: () => void;
  throttleWrongGuesses?: ErrorCode[];
};

/** The longest an attempt may hold its account's turn (a lost release frees it then). */
const TURN_TIMEOUT_MS = 10_000;

/**
 * One attempt at a time per account in this process: concurrent logins to one account (a load
 * test, a double click) wait their turn instead of counting against each other, so the account's
 * pessimistic count never refuses a right password because others were still being checked. A
 * burst of guesses is checked one by one, and the sixth is refused. (Several instances can each
 * have one attempt in flight: the count in Postgres still holds them to the limit.)
 */
@Injectable()
export class AccountTurns {
  private readonly tails = new Map<string, Promise<void>>();

  async take(key: string): Promise<() => void> {
    const before = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = before.then(() => mine);
    this.tails.set(key, tail);
    await before;
    const timer = setTimeout(release, TURN_TIMEOUT_MS);
    timer.unref?.();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      clearTimeout(timer);
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    };
  }
}

/** The username field of a JSON body, trimmed and lower-cased (so `Admin` counts for `admin`). */
export const usernameOf = (body: unknown): string | null => {
  const u = (body as { username?: unknown } | null)?.username;
  return typeof u === 'string' && u.trim() ? u.trim().toLowerCase().slice(0, 128) : null;
};

/**
 * Rate limit and lockout for a @Public endpoint that checks something a caller could guess
 * (a password, later a citizen's query code): per account every attempt counts as a failure until
 * it succeeds, per client address every failed attempt counts (libs/shared/src/security/throttle.ts
 * has the limits);
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
  const account = opts.account?.(req.body, req.principal);
  if (account && opts.accountWide) {
    keys.push({
      scope: 'account',
      key: `${opts.name}:${account}@${req.ip ?? 'unknown'}`,
      limit: limits.account,
    });
    keys.push({ scope: 'account', key: `${opts.name}:${account}`, limit: opts.accountWide });
  } else if (account) keys.push({ scope: 'account', key: `${opts.name}:${account}`, limit: limits.account });
  return keys;
}

@Injectable()
export class ThrottleGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly throttle: LoginThrottleRepository,
    private readonly turns: AccountTurns,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const opts = this.reflector.get<ThrottleOptions | undefined>(THROTTLE_KEY, ctx.getHandler());
    if (!opts) return true;
    const req = ctx.switchToHttp().getRequest<ThrottledRequest>();
    const keys = keysFor(opts, req);
    const account = keys.find((k) => k.scope === 'account');
    const release = account ? await this.turns.take(account.key) : () => undefined;
    let verdict;
    try {
      verdict = await this.throttle.begin(keys);
    } catch {
      release();
      throw new ProblemException(
        'dependency_unavailable',
        'the attempt cannot be checked: Postgres is not reachable',
      );
    }
    if (!verdict.allowed) {
      release();
      const what = verdict.scope === 'account' ? 'this account' : 'this address';
      throw new ProblemException(
        'rate_limited',
        `too many failed attempts for ${what}; try again in ${verdict.retryAfterSeconds} s`,
        { retryAfterSeconds: verdict.retryAfterSeconds },
        { 'retry-after': String(verdict.retryAfterSeconds) },
      );
    }
    req.throttleKeys = keys;
    req.throttleRelease = release;
    req.throttleWrongGuesses = opts.wrongGuesses ?? [];
    return true;
  }
}

const statusOf = (err: unknown): number =>
  err instanceof HttpException ? err.getStatus() : err instanceof DomainError ? ERROR_STATUS[err.code] : 500;

/** A wrong guess: wrong credentials (401), or a refusal the endpoint names as one. */
const wrongGuess = (err: unknown, codes: readonly ErrorCode[]): boolean =>
  statusOf(err) === 401 ||
  ((err instanceof ProblemException || err instanceof DomainError) && codes.includes(err.code));

/** Settles the attempt the guard counted: a success gives it back, an outage voids it. */
@Injectable()
export class ThrottleInterceptor implements NestInterceptor {
  constructor(private readonly throttle: LoginThrottleRepository) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = ctx.switchToHttp().getRequest<ThrottledRequest>();
    const keys = req.throttleKeys;
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
        // Only a wrong guess (wrong credentials, a wrong current password) counts as a failure. A request refused for
        // its shape (400, 413…) guessed nothing, and our own failures (5xx) are not the caller's:
        // neither counts, so a client sending malformed requests never locks out its address.
        const settle = wrongGuess(err, req.throttleWrongGuesses ?? [])
          ? this.throttle.failed(keys)
          : this.throttle.voided(keys);
        return from(settle.catch(() => undefined)).pipe(mergeMap(() => throwError(() => err)));
      }),
      // The attempt is settled: the account's next attempt may begin.
      finalize(() => req.throttleRelease?.()),
    );
  }
}
