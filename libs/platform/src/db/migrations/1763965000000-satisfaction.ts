import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Satisfaction (issue #8):
 * - evaluation.ticket_satisfaction: per ticket, every verdict fact (callbacks by round, the vote's
 *   result, the expert's verdict) and the verdict that counts by the precedence rule
 *   (libs/shared/src/evaluation/satisfaction.ts), with a version bumped at each change (each change
 *   is an `evaluation.satisfaction_recorded` event).
 * - supervision.satisfaction_facts: supervision's copy of what counts, from those events.
 */
export class Satisfaction1763965000000 implements MigrationInterface {
  name = 'Satisfaction1763965000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE evaluation.ticket_satisfaction (
        ticket_no text PRIMARY KEY,
        unit_id text,
        category text,
        region_code text,
        channel text,
        closed_at timestamptz,
        outcome text,
        callbacks jsonb NOT NULL DEFAULT '[]',
        vote_verdict text,
        expert_verdict text,
        counted_verdict text,
        counted_source text,
        counted_version integer NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX ticket_satisfaction_counted ON evaluation.ticket_satisfaction (closed_at)
       WHERE counted_verdict IS NOT NULL`,
    );
    await q.query(`
      CREATE TABLE supervision.satisfaction_facts (
        ticket_no text PRIMARY KEY,
        unit_id text NOT NULL,
        category text NOT NULL,
        region_code text NOT NULL,
        verdict text NOT NULL,
        source text NOT NULL,
        closed_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE supervision.satisfaction_facts`);
    await q.query(`DROP TABLE evaluation.ticket_satisfaction`);
  }
}
