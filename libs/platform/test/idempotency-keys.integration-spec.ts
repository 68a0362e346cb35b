import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { IdempotencyKeyRepository, createDataSource } from '../src';
import { IDEMPOTENCY_KEY_RETENTION_DAYS, loadConfig } from '@hotline/shared';

/** The key store on the real Postgres: claims at once, give-backs, expiry. */
describe('idempotency keys (platform.idempotency_keys)', () => {
  let ds: DataSource;
  let keys: IdempotencyKeyRepository;
  beforeAll(async () => {
    ds = await createDataSource(loadConfig(process.env).databaseUrl, { poolSize: 12 }).initialize();
    keys = new IdempotencyKeyRepository(ds);
  });
  afterAll(async () => {
    await ds?.destroy();
  });
  const scope = () => `test|${randomUUID()}|clerk`;

  it('makes one of twelve concurrent claims of the same request the first, the rest repeats', async () => {
    const s = scope();
    const claims = await Promise.all(Array.from({ length: 12 }, () => keys.claim(s, 'k', 'f1')));
    expect(claims.filter((c) => c === 'first')).toHaveLength(1);
    expect(claims.filter((c) => c === 'repeat')).toHaveLength(11);
  });

  it('of twelve different requests sent at once under one key, lets exactly one through', async () => {
    const s = scope();
    const claims = await Promise.all(Array.from({ length: 12 }, (_, i) => keys.claim(s, 'k', `f${i}`)));
    expect(claims.filter((c) => c === 'first')).toHaveLength(1);
    expect(claims.filter((c) => c === 'reused')).toHaveLength(11);
  });

  it('frees a key given back, for its own request only', async () => {
    const s = scope();
    expect(await keys.claim(s, 'k', 'f1')).toBe('first');
    await keys.release(s, 'k', 'f2'); // not the one that holds it: nothing
    expect(await keys.claim(s, 'k', 'f2')).toBe('reused');
    await keys.release(s, 'k', 'f1');
    expect(await keys.claim(s, 'k', 'f2')).toBe('first');
  });

  it('takes over a key past the retention, and prunes such keys', async () => {
    const s = scope();
    await keys.claim(s, 'old', 'f1');
    await keys.claim(s, 'older', 'f1');
    await ds.query(
      `UPDATE platform.idempotency_keys SET created_at = now() - make_interval(days => $2 + 1) WHERE scope = $1`,
      [s, IDEMPOTENCY_KEY_RETENTION_DAYS],
    );
    expect(await keys.claim(s, 'old', 'f2')).toBe('first');
    expect(await keys.prune()).toBeGreaterThanOrEqual(1);
    const left: { key: string }[] = await ds.query(
      `SELECT key FROM platform.idempotency_keys WHERE scope = $1 ORDER BY key`,
      [s],
    );
    expect(left.map((r) => r.key)).toEqual(['old']);
  });

  it("keeps the first request's answer, for its own request only; a key taken over starts without one", async () => {
    const s = scope();
    await keys.claim(s, 'k', 'f1');
    expect(await keys.answerOf(s, 'k')).toEqual({ done: false, answer: null });
    await keys.answer(s, 'k', 'f2', 'not theirs'); // another request under the key: nothing
    expect(await keys.answerOf(s, 'k')).toEqual({ done: false, answer: null });
    await keys.answer(s, 'k', 'f1', 'sealed');
    expect(await keys.answerOf(s, 'k')).toEqual({ done: true, answer: 'sealed' });
    await keys.claim(s, 'failed', 'f1');
    await keys.answer(s, 'failed', 'f1', null);
    expect(await keys.answerOf(s, 'failed')).toEqual({ done: true, answer: null });
    await ds.query(
      `UPDATE platform.idempotency_keys SET created_at = now() - make_interval(days => $2 + 1) WHERE scope = $1`,
      [s, IDEMPOTENCY_KEY_RETENTION_DAYS],
    );
    expect(await keys.claim(s, 'k', 'f3')).toBe('first');
    expect(await keys.answerOf(s, 'k')).toEqual({ done: false, answer: null });
  });
});
