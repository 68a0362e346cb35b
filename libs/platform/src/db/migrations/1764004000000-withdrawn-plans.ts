import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A tracked plan whose close a ledger correction voided is withdrawn (kept, with when), not left
 * tracking a ticket that is open again; the ticket's real close tracks it again.
 */
export class WithdrawnPlans1764004000000 implements MigrationInterface {
  name = 'WithdrawnPlans1764004000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE supervision.tracked_plans DROP CONSTRAINT tracked_plans_status_check`);
    await q.query(
      `ALTER TABLE supervision.tracked_plans ADD CONSTRAINT tracked_plans_status_check
       CHECK (status IN ('tracking', 'done', 'lapsed', 'withdrawn'))`,
    );
    await q.query(`ALTER TABLE supervision.tracked_plans ADD COLUMN withdrawn_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM supervision.tracked_plans WHERE status = 'withdrawn'`);
    await q.query(`ALTER TABLE supervision.tracked_plans DROP COLUMN withdrawn_at`);
    await q.query(`ALTER TABLE supervision.tracked_plans DROP CONSTRAINT tracked_plans_status_check`);
    await q.query(
      `ALTER TABLE supervision.tracked_plans ADD CONSTRAINT tracked_plans_status_check
       CHECK (status IN ('tracking', 'done', 'lapsed'))`,
    );
  }
}
