/**
 * The `Idempotency-Key` header: a repeat of a request with the same key is the same call and gets
 * the first call's answer. A key is the caller's own and names one request to one operation on one
 * resource; reused for a *different* request (another body under the same key) it is refused,
 * never answered with the first request's result: an operator whose client reuses a key must not
 * be told that a second citizen's appeal was registered when it was not (IETF draft
 * "The Idempotency-Key HTTP Header Field": 422 for a key reused with another payload).
 *
 * Pure: what makes up a request's scope and fingerprint, and the decision on a claim. The platform
 * keeps the claims in Postgres (`platform.idempotency_keys`), the fingerprint keyed (HMAC), since a
 * request body carries personal data.
 */

/** 1–128 characters of `[A-Za-z0-9_.:-]`. */
export const IDEMPOTENCY_KEY_PATTERN = /^[\w.:-]{1,128}$/;

export const isIdempotencyKey = (v: string): boolean => IDEMPOTENCY_KEY_PATTERN.test(v);

/**
 * How long a key is remembered with its request's fingerprint. Within it a different request under
 * the key is refused; after it the key is free again. Retries happen within minutes; a month covers
 * every deadline of a ticket's course.
 */
export const IDEMPOTENCY_KEY_RETENTION_DAYS = 30;

/**
 * JSON with every object's keys sorted, arrays in order, `undefined` members left out: two bodies
 * that mean the same (keys in another order) have one text, and any other difference shows.
 */
export function canonicalJson(value: unknown): string {
  return (
    JSON.stringify(value, (_key, v: unknown) =>
      v && typeof v === 'object' && !Array.isArray(v)
        ? Object.fromEntries(
            Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
          )
        : v,
    ) ?? 'null'
  );
}

/** Where a key applies: one caller, one operation, one resource (the path parameters). */
export function idempotencyScope(req: {
  operation: string;
  params: Record<string, unknown> | undefined;
  userId: string;
}): string {
  return `${req.operation}|${canonicalJson(req.params ?? {})}|${req.userId}`;
}

/** What a repeat must match: the query and the body, canonical. */
export function idempotencyMaterial(req: { query?: unknown; body?: unknown }): string {
  return canonicalJson({ body: req.body ?? null, query: req.query ?? {} });
}

/**
 * A claim's outcome: the first request under the key (go on, and give the key back if it is refused),
 * a repeat of it (go on: the operation answers the first call's result), or another request under a
 * used key (refuse).
 */
export type IdempotencyClaim = 'first' | 'repeat' | 'reused';

export function decideClaim(stored: string | null, fingerprint: string): IdempotencyClaim {
  if (stored === null) return 'first';
  return stored === fingerprint ? 'repeat' : 'reused';
}
