import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ticket core, second version: every event carries the state the workflow decided (copied by
 * the projections), and failing activities raise alerts.
 */
export class CoreV21763930000000 implements MigrationInterface {
  name = 'CoreV21763930000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ticket.ticket_events ADD COLUMN state jsonb`);
    await q.query(`
      CREATE TABLE platform.alerts (
        id uuid PRIMARY KEY,
        kind text NOT NULL,
        subject text NOT NULL,
        detail text NOT NULL,
        attempt integer,
        raised_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX alerts_raised ON platform.alerts (raised_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE platform.alerts`);
    await q.query(`ALTER TABLE ticket.ticket_events DROP COLUMN state`);
  }
}
