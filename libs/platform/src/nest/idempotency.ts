import {
  CallHandler,
  ExecutionContext,
  HttpException,
  Injectable,
  NestInterceptor,
  StreamableFile,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { catchError, from, mergeMap, Observable, of, throwError } from 'rxjs';
import {
  DomainError,
  ERROR_STATUS,
  idempotencyMaterial,
  idempotencyScope,
  isIdempotencyKey,
} from '@hotline/shared';
import type { Principal } from '@hotline/shared';
import { IdempotencyKeyRepository } from '../repositories/idempotency-key.repository';
import { PiiCipher } from '../security/pii-cipher';
import { ProblemException, RequestValidationError } from './problem';

/** Set by `ApiIdempotencyKey`: the operation takes the header. */
export const IDEMPOTENT = 'hotline:idempotent';

/** How long a repeat waits for its first request to be done, and how often it looks. */
export const REPEAT_WAIT_MS = 10_000;
const REPEAT_POLL_MS = 50;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type KeyedRequest = {
  headers: Record<string, string | string[] | undefined>;
  params?: Record<string, unknown>;
  query?: unknown;
  body?: unknown;
  principal?: Principal;
};

/**
 * A refusal a repeat may meet because its first request went through (forbidden, not found,
 * conflict, gone), from the service (a ProblemException) or from the domain (a DomainError).
 */
/**
 * The request was refused as invalid (a 400: validation_failed, unknown_category, unknown_unit…),
 * whether by the edge's validation or by its operation's own check (a reason of blanks the
 * workflow finds empty, a category the catalog does not know): nothing was done, so its key is
 * given back for the corrected request.
 */
function invalidRequest(err: unknown): boolean {
  if (err instanceof RequestValidationError) return true;
  const status =
    err instanceof HttpException ? err.getStatus() : err instanceof DomainError ? ERROR_STATUS[err.code] : 0;
  return status === 400;
}

function refusal(err: unknown): boolean {
  const status =
    err instanceof HttpException ? err.getStatus() : err instanceof DomainError ? ERROR_STATUS[err.code] : 0;
  return [403, 404, 409, 410].includes(status);
}

/**
 * Holds a caller's `Idempotency-Key` to the one request it was first sent with, on every operation
 * that takes the header. The operation itself makes a repeat the same call (a Temporal update id, a
 * request key, a derived record id) and answers it the first call's result; this refuses, before
 * the operation runs, a *different* request under a key the caller already used for it
 * (`422 idempotency_key_reused`), which the operation would otherwise answer with the first one's
 * result, as if it had been done. The key stays with its first request whatever the answer: a
 * refusal the workflow recorded (a reply that fails the closure standard) is that key's answer
 * for good, and a 503 may still take effect. Only a request refused as invalid (a 400:
 * its body or parameters, or its operation's own check) gives its key back: it changed nothing.
 *
 * The first request's answer is kept with its key too (sealed under the personal-data keys: it
 * may name a complainant). A repeat goes to the operation, which answers it as a repeat
 * (`alreadyApplied`, `created: false`); but where the operation refuses it (a 4xx), because the
 * first request itself changed what it checks (it closed the callback task acted on, it withdrew
 * the unit's assignment: a return, a sub-unit's decline), the repeat gets the first request's
 * answer instead, waiting for it while the first is still under way. A first request that failed
 * keeps no answer, and its repeat's refusal stands.
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
        if (claim === 'repeat')
          return next.handle().pipe(
            catchError((err: unknown) => {
              if (!refusal(err)) return throwError(() => err);
              return from(this.firstAnswer(scope, header)).pipe(
                mergeMap((first) => (first.found ? of(first.body) : throwError(() => err))),
              );
            }),
          );
        return next.handle().pipe(
          mergeMap(async (body: unknown) => {
            await this.keep(scope, header, fingerprint, body);
            return body;
          }),
          catchError((err: unknown) => {
            const done = invalidRequest(err)
              ? this.keys.release(scope, header, fingerprint)
              : this.keys.answer(scope, header, fingerprint, null);
            return from(done.catch(() => undefined)).pipe(mergeMap(() => throwError(() => err)));
          }),
        );
      }),
    );
  }

  private aad(scope: string, key: string): string {
    return `idempotency:${scope}:${key}`;
  }

  /** Keeps the first request's answer with its key; a body that is no JSON (a file) is not kept. */
  private async keep(scope: string, key: string, fingerprint: string, body: unknown): Promise<void> {
    const file =
      body instanceof StreamableFile ||
      Buffer.isBuffer(body) ||
      typeof (body as { pipe?: unknown } | null)?.pipe === 'function';
    const sealed = file
      ? null
      : this.cipher.encrypt(JSON.stringify({ body: body ?? null }), this.aad(scope, key));
    await this.keys.answer(scope, key, fingerprint, sealed).catch(() => undefined);
  }

  /** The first request's answer, once it is done (waiting at most REPEAT_WAIT_MS); none if it failed. */
  private async firstAnswer(scope: string, key: string): Promise<{ found: boolean; body?: unknown }> {
    for (const deadline = Date.now() + REPEAT_WAIT_MS; Date.now() < deadline; await sleep(REPEAT_POLL_MS)) {
      const first = await this.keys.answerOf(scope, key).catch(() => ({ done: true, answer: null }));
      if (!first.done) continue;
      if (first.answer === null) return { found: false };
      try {
        return {
          found: true,
          body: (JSON.parse(this.cipher.decrypt(first.answer, this.aad(scope, key))) as { body: unknown })
            .body,
        };
      } catch {
        return { found: false }; // sealed under a key no longer in the ring: the operation answers
      }
    }
    return { found: false };
  }
}
