import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Which ticket event raised an automatic order (`source_event_id`), and when that event was voided
 * by a ledger correction (`source_voided_at`): such an order is withdrawn by the platform, and a
 * sweep retries a withdrawal that Temporal did not take at once. Orders raised before this carry
 * the event's id in their source key (`trigger:eventId`); the backfill copies it.
 */
export class OrderSources1763990000000 implements MigrationInterface {
  name = 'OrderSources1763990000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE supervision.orders
        ADD COLUMN source_event_id uuid,
        ADD COLUMN source_voided_at timestamptz`);
    await q.query(`
      UPDATE supervision.orders SET source_event_id = split_part(source_key, ':', 2)::uuid
      WHERE split_part(source_key, ':', 2) ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'`);
    await q.query(`
      CREATE INDEX orders_voided_open ON supervision.orders (source_voided_at)
      WHERE source_voided_at IS NOT NULL AND status <> 'closed'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX supervision.orders_voided_open`);
    await q.query(`ALTER TABLE supervision.orders DROP COLUMN source_voided_at, DROP COLUMN source_event_id`);
  }
}
