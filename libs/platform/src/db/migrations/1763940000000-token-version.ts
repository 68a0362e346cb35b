import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Token revocation and login throttling (issue #7).
 * - identity.users.token_version: claimed in every token as `ver`; deactivating a user or changing
 *   their password bumps it, so the tokens issued before stop working (within the guard's cache TTL).
 * - identity.login_throttle: failed-login counters and locks per account and per client address
 *   (libs/shared/src/security/throttle.ts), in Postgres so they hold across restarts and instances.
 */
export class TokenVersion1763940000000 implements MigrationInterface {
  name = 'TokenVersion1763940000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE identity.users ADD COLUMN token_version integer NOT NULL DEFAULT 0`);
    await q.query(`
      CREATE TABLE identity.login_throttle (
        scope text NOT NULL CHECK (scope IN ('account','address')),
        key text NOT NULL,
        failures integer NOT NULL DEFAULT 0,
        window_started_at timestamptz,
        locked_until timestamptz,
        lockouts integer NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (scope, key)
      )`);
    await q.query(`CREATE INDEX login_throttle_updated_at ON identity.login_throttle (updated_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE identity.login_throttle`);
    await q.query(`ALTER TABLE identity.users DROP COLUMN token_version`);
  }
}
