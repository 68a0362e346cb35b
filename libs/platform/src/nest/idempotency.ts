import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { catchError, from, mergeMap, Observable, throwError } from 'rxjs';
import { idempotencyMaterial, idempotencyScope, isIdempotencyKey } from '@hotline/shared';
import type { Principal } from '@hotline/shared';
import { IdempotencyKeyRepository } from '../repositories/idempotency-key.repository';
import { PiiCipher } from '../security/pii-cipher';
import { ProblemException, RequestValidationError } from './problem';

/** Set by `ApiIdempotencyKey`: the operation takes the header. */
export const IDEMPOTENT = 'hotline:idempotent';

type KeyedRequest = {
  headers: Record<string, string | string[] | undefined>;
  params?: Record<string, unknown>;
  query?: unknown;
  body?: unknown;
  principal?: Principal;
};

/**
 * Holds a caller's `Idempotency-Key` to the one request it was first sent with, on every operation
 * that takes the header. The operation itself makes a repeat the same call (a Temporal update id, a
 * request key, a derived record id) and answers it the first call's result; this refuses, before
 * the operation runs, a *different* request under a key the caller already used for it
 * (`422 idempotency_key_reused`), which the operation would otherwise answer with the first one's
 * result, as if it had been done. The key stays with its first request whatever the answer: a
 * refusal the workflow recorded (a reply that fails the closure standard) is that key's answer
 * for good, and a 503 may still take effect. Only a request whose body or parameters failed
 * validation gives its key back: it never reached its operation.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: IdempotencyKeyRepository,
    private readonly cipher: PiiCipher,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (ctx.getType() !== 'http') return next.handle();
    if (!this.reflector.getAllAndOverride<boolean>(IDEMPOTENT, [ctx.getHandler(), ctx.getClass()]))
      return next.handle();
    const req = ctx.switchToHttp().getRequest<KeyedRequest>();
    const header = req.headers['idempotency-key'];
    if (header === undefined || !req.principal) return next.handle();
    if (typeof header !== 'string' || !isIdempotencyKey(header))
      throw new ProblemException(
        'validation_failed',
        'Idempotency-Key must be 1–128 characters of [A-Za-z0-9_.:-]',
      );
    const scope = idempotencyScope({
      operation: `${ctx.getClass().name}.${ctx.getHandler().name}`,
      params: req.params,
      userId: req.principal.userId,
    });
    const fingerprint = this.cipher.requestFingerprint(idempotencyMaterial(req));
    const claimed = this.keys.claim(scope, header, fingerprint).catch(() => {
      throw new ProblemException(
        'dependency_unavailable',
        'the Idempotency-Key cannot be checked: Postgres is not reachable; nothing was done',
      );
    });
    return from(claimed).pipe(
      mergeMap((claim) => {
        if (claim === 'reused')
          throw new ProblemException(
            'idempotency_key_reused',
            'this Idempotency-Key was already used for another request to this operation (another ' +
              'body); a different request needs a new key',
          );
        const handled = next.handle();
        if (claim === 'repeat') return handled;
        return handled.pipe(
          catchError((err: unknown) => {
            if (!(err instanceof RequestValidationError)) return throwError(() => err);
            return from(this.keys.release(scope, header, fingerprint).catch(() => undefined)).pipe(
              mergeMap(() => throwError(() => err)),
            );
          }),
        );
      }),
    );
  }
}
