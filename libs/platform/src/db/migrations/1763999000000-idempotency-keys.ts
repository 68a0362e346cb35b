import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The Idempotency-Keys in use, each with the fingerprint of the request it was first sent with: a
 * different request under a used key is refused (`idempotency_key_reused`) instead of being
 * answered with the first one's result. Rows older than the retention are free again and pruned.
 */
export class IdempotencyKeys1763999000000 implements MigrationInterface {
  name = 'IdempotencyKeys1763999000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE platform.idempotency_keys (
        scope text NOT NULL,
        key text NOT NULL,
        fingerprint text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (scope, key)
      )`);
    await q.query(`CREATE INDEX idempotency_keys_created ON platform.idempotency_keys (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE platform.idempotency_keys`);
  }
}
