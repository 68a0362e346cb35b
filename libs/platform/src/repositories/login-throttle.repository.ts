import type { DataSource, EntityManager } from 'typeorm';
import {
  attemptFailed,
  attemptSucceeded,
  attemptVoided,
  beginAttempt,
  FRESH_THROTTLE_STATE,
} from '@hotline/shared';
import type { ThrottleLimit, ThrottleScope, ThrottleState } from '@hotline/shared';

export interface ThrottleKey {
  scope: ThrottleScope;
  key: string;
  limit: ThrottleLimit;
}

export type ThrottleVerdict =
  { allowed: true } | { allowed: false; retryAfterSeconds: number; scope: ThrottleScope };

type Row = {
  failures: number;
  windowStartedAt: Date | null;
  lockedUntil: Date | null;
  lockouts: number;
};

const toState = (r: Row | undefined): ThrottleState =>
  r
    ? {
        failures: r.failures,
        windowStartedAt: r.windowStartedAt ? r.windowStartedAt.getTime() : null,
        lockedUntil: r.lockedUntil ? r.lockedUntil.getTime() : null,
        lockouts: r.lockouts,
      }
    : { ...FRESH_THROTTLE_STATE };
const toDate = (ms: number | null) => (ms === null ? null : new Date(ms));

/** Rows untouched this long are deleted (the longest lock is 24 h, the backoff forgets after 24 h more). */
const PRUNE_AFTER = '3 days';
const PRUNE_EVERY = 500;

/**
 * The failed-login counters (identity.login_throttle), one row per (scope, key), changed under a
 * row lock by the pure rules in libs/shared/src/security/throttle.ts: one transaction per attempt,
 * so concurrent attempts on several instances count exactly.
 */
export class LoginThrottleRepository {
  private calls = 0;
  constructor(private readonly ds: DataSource) {}

  /** An attempt begins on every key: allowed only if every key allows it (then each counts it). */
  async begin(keys: ThrottleKey[], now = Date.now()): Promise<ThrottleVerdict> {
    await this.maybePrune();
    return this.ds.transaction(async (m) => {
      const states = await this.lock(m, keys);
      const decisions = keys.map((k, i) => beginAttempt(states[i], k.limit, now));
      const refused = decisions.map((d, i) => ({ d, k: keys[i] })).filter((x) => !x.d.allowed);
      if (refused.length === 0) {
        for (const [i, k] of keys.entries()) await this.write(m, k, decisions[i].state);
        return { allowed: true };
      }
      // Only the refusing keys change (they may just have been locked); the others do not count it.
      let worst = { retryAfterSeconds: 0, scope: refused[0].k.scope };
      for (const { d, k } of refused) {
        await this.write(m, k, d.state);
        if (!d.allowed && d.retryAfterSeconds > worst.retryAfterSeconds)
          worst = { retryAfterSeconds: d.retryAfterSeconds, scope: k.scope };
      }
      return { allowed: false, ...worst };
    });
  }

  /** The attempt succeeded: the account starts afresh; the address keeps its failures. */
  async succeeded(keys: ThrottleKey[]): Promise<void> {
    await this.settle(keys, (s, k) => attemptSucceeded(s, k.limit));
  }

  /** The attempt failed (wrong credentials, a refused request): the address counts it now. */
  async failed(keys: ThrottleKey[], now = Date.now()): Promise<void> {
    await this.settle(keys, (s, k) => attemptFailed(s, k.limit, now));
  }

  /** The attempt failed for a reason of ours (an outage): it does not count. */
  async voided(keys: ThrottleKey[]): Promise<void> {
    await this.settle(keys, (s, k) => attemptVoided(s, k.limit));
  }

  /** Clears a key (an administrator unlocking an account). */
  async clear(scope: ThrottleScope, key: string): Promise<void> {
    await this.ds.query(`DELETE FROM identity.login_throttle WHERE scope = $1 AND key = $2`, [scope, key]);
  }

  private async settle(keys: ThrottleKey[], next: (s: ThrottleState, k: ThrottleKey) => ThrottleState) {
    await this.ds.transaction(async (m) => {
      const states = await this.lock(m, keys);
      for (const [i, k] of keys.entries()) await this.write(m, k, next(states[i], k));
    });
  }

  /** Locks the keys' rows (created if missing) in one order, so two attempts never deadlock. */
  private async lock(m: EntityManager, keys: ThrottleKey[]): Promise<ThrottleState[]> {
    const order = [...keys.keys()].sort((a, b) =>
      `${keys[a].scope}\u0000${keys[a].key}` < `${keys[b].scope}\u0000${keys[b].key}` ? -1 : 1,
    );
    const states: ThrottleState[] = new Array(keys.length);
    for (const i of order) {
      await m.query(
        `INSERT INTO identity.login_throttle (scope, key) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
        [keys[i].scope, keys[i].key],
      );
      const rows: Row[] = await m.query(
        `SELECT failures, window_started_at AS "windowStartedAt", locked_until AS "lockedUntil", lockouts
         FROM identity.login_throttle WHERE scope = $1 AND key = $2 FOR UPDATE`,
        [keys[i].scope, keys[i].key],
      );
      states[i] = toState(rows[0]);
    }
    return states;
  }

  private async write(m: EntityManager, k: ThrottleKey, s: ThrottleState): Promise<void> {
    await m.query(
      `UPDATE identity.login_throttle
       SET failures = $3, window_started_at = $4, locked_until = $5, lockouts = $6, updated_at = now()
       WHERE scope = $1 AND key = $2`,
      [k.scope, k.key, s.failures, toDate(s.windowStartedAt), toDate(s.lockedUntil), s.lockouts],
    );
  }

  private async maybePrune(): Promise<void> {
    if (this.calls++ % PRUNE_EVERY !== 0) return;
    await this.ds.query(
      `DELETE FROM identity.login_throttle WHERE updated_at < now() - interval '${PRUNE_AFTER}'`,
    );
  }
}
