import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tracked plans (跟踪计划, RULES §3, §6): supervision's facts keep the completion day of the plan
 * the unit's last reply gave (copied from `ticket.replied`), and a ticket closed on such a reply
 * gets a tracked plan, which its unit reports done or which lapses at the end of its day.
 * Tickets closed before this change are not tracked (no deployment runs yet; their replies' plan
 * fields are in the ledger).
 */
export class TrackedPlans1764003000000 implements MigrationInterface {
  name = 'TrackedPlans1764003000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE supervision.ticket_facts ADD COLUMN planned_completion_date date`);
    await q.query(`
      CREATE TABLE supervision.tracked_plans (
        ticket_no text PRIMARY KEY,
        unit_id text NOT NULL,
        planned_completion_date date NOT NULL,
        due_at timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'tracking' CHECK (status IN ('tracking', 'done', 'lapsed')),
        tracked_at timestamptz NOT NULL DEFAULT now(),
        lapsed_at timestamptz,
        completed_at timestamptz,
        completed_by text,
        completion_note text
      )`);
    await q.query(
      `CREATE INDEX tracked_plans_by_unit ON supervision.tracked_plans (unit_id, status, due_at)`,
    );
    await q.query(`CREATE INDEX tracked_plans_by_status ON supervision.tracked_plans (status, due_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE supervision.tracked_plans`);
    await q.query(`ALTER TABLE supervision.ticket_facts DROP COLUMN planned_completion_date`);
  }
}
