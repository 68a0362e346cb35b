import type { DataSource } from 'typeorm';
import { decideClaim, IDEMPOTENCY_KEY_RETENTION_DAYS } from '@hotline/shared';
import type { IdempotencyClaim } from '@hotline/shared';

/** Expired rows are deleted once every this many claims, at most this many at a time. */
const PRUNE_EVERY = 1000;
const PRUNE_BATCH = 5000;

/**
 * The keys in use (platform.idempotency_keys): one row per (scope, key) with the fingerprint of the
 * request first sent under it. A claim is one statement when the key is new; concurrent claims of
 * one key queue on its row, so of two different requests sent at once exactly one is `first`.
 */
export class IdempotencyKeyRepository {
  private claims = 0;
  constructor(private readonly ds: DataSource) {}

  async claim(scope: string, key: string, fingerprint: string): Promise<IdempotencyClaim> {
    if (++this.claims % PRUNE_EVERY === 0) void this.prune().catch(() => undefined);
    // A row past the retention is taken over as if the key were new.
    for (let attempt = 0; attempt < 3; attempt++) {
      const inserted: unknown[] = await this.ds.query(
        `INSERT INTO platform.idempotency_keys (scope, key, fingerprint) VALUES ($1, $2, $3)
         ON CONFLICT (scope, key) DO UPDATE
           SET fingerprint = EXCLUDED.fingerprint, created_at = now(), answer = NULL, answered_at = NULL
           WHERE platform.idempotency_keys.created_at < now() - make_interval(days => $4)
         RETURNING 1`,
        [scope, key, fingerprint, IDEMPOTENCY_KEY_RETENTION_DAYS],
      );
      if (inserted.length > 0) return 'first';
      const [row]: { fingerprint: string }[] = await this.ds.query(
        `SELECT fingerprint FROM platform.idempotency_keys WHERE scope = $1 AND key = $2`,
        [scope, key],
      );
      // Gone between the two statements (its first request was refused and gave it back): again.
      if (row) return decideClaim(row.fingerprint, fingerprint);
    }
    throw new Error(`the idempotency key ${key} is being claimed and given back without end`);
  }

  /**
   * The first request under a key is done: `answer` is what it answered (sealed), or null when it
   * failed; a repeat waits for this, then replays the answer or runs again.
   */
  async answer(scope: string, key: string, fingerprint: string, answer: string | null): Promise<void> {
    await this.ds.query(
      `UPDATE platform.idempotency_keys SET answer = $4, answered_at = now()
       WHERE scope = $1 AND key = $2 AND fingerprint = $3`,
      [scope, key, fingerprint, answer],
    );
  }

  /** The first request's answer: not yet done (`done: false`), or done with its answer (or null). */
  async answerOf(scope: string, key: string): Promise<{ done: boolean; answer: string | null }> {
    const [row]: { answer: string | null; done: boolean }[] = await this.ds.query(
      `SELECT answer, answered_at IS NOT NULL AS done FROM platform.idempotency_keys WHERE scope = $1 AND key = $2`,
      [scope, key],
    );
    return row ? { done: row.done, answer: row.answer } : { done: true, answer: null };
  }

  /** Gives a key back: the request that claimed it first was refused, so nothing was done under it. */
  async release(scope: string, key: string, fingerprint: string): Promise<void> {
    await this.ds.query(
      `DELETE FROM platform.idempotency_keys WHERE scope = $1 AND key = $2 AND fingerprint = $3`,
      [scope, key, fingerprint],
    );
  }

  /** Deletes keys past the retention, a batch at a time. */
  async prune(): Promise<number> {
    const rows: unknown[] = await this.ds.query(
      `DELETE FROM platform.idempotency_keys WHERE ctid IN (
         SELECT ctid FROM platform.idempotency_keys
         WHERE created_at < now() - make_interval(days => $1) LIMIT $2)
       RETURNING 1`,
      [IDEMPOTENCY_KEY_RETENTION_DAYS, PRUNE_BATCH],
    );
    return rows.length;
  }
}
