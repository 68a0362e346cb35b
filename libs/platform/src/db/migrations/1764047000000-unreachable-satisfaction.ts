import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A ticket closed unreachable (the manual callback an unsatisfied SMS answer asked for never reached
 * the citizen) has no callback verdict (libs/shared `satisfaction.ts`, rule 4): before, its SMS
 * answer counted. The tickets counted that way are listed for the evaluation service to decide
 * again once (it drains the list at start), which withdraws their verdict (`rule_changed`).
 */
export class UnreachableSatisfaction1764047000000 implements MigrationInterface {
  name = 'UnreachableSatisfaction1764047000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      INSERT INTO evaluation.satisfaction_recheck (ticket_no)
      SELECT ticket_no FROM evaluation.ticket_satisfaction
      WHERE outcome = 'unreachable' AND counted_source IN ('sms', 'manual')
      ON CONFLICT (ticket_no) DO NOTHING`);
  }

  async down(): Promise<void> {
    // Nothing to undo: a list drained at start; the withdrawals it led to are events.
  }
}
