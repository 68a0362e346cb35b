import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An expert case can be withdrawn: the request that opened it (`ticket.evaluation_requested`) was
 * a lost attempt's, voided by a correction of the ticket's record. The evaluator holding it no
 * longer does (`case_withdrawn`); a real request made after `withdrawn_at` opens it again.
 */
export class ExpertCaseWithdrawal1763997000000 implements MigrationInterface {
  name = 'ExpertCaseWithdrawal1763997000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE evaluation.expert_cases DROP CONSTRAINT expert_cases_status_check`);
    await q.query(
      `ALTER TABLE evaluation.expert_cases ADD CONSTRAINT expert_cases_status_check
         CHECK (status IN ('waiting_for_evaluator','assigned','decided','withdrawn'))`,
    );
    await q.query(`ALTER TABLE evaluation.expert_cases ADD COLUMN withdrawn_at timestamptz`);
    await q.query(
      `ALTER TABLE evaluation.expert_assignments DROP CONSTRAINT expert_assignments_outcome_check`,
    );
    await q.query(
      `ALTER TABLE evaluation.expert_assignments ADD CONSTRAINT expert_assignments_outcome_check
         CHECK (outcome IN ('open','decided','timed_out','returned_unsuited','unavailable','case_withdrawn'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE evaluation.expert_assignments SET outcome = 'unavailable' WHERE outcome = 'case_withdrawn'`,
    );
    await q.query(
      `ALTER TABLE evaluation.expert_assignments DROP CONSTRAINT expert_assignments_outcome_check`,
    );
    await q.query(
      `ALTER TABLE evaluation.expert_assignments ADD CONSTRAINT expert_assignments_outcome_check
         CHECK (outcome IN ('open','decided','timed_out','returned_unsuited','unavailable'))`,
    );
    await q.query(
      `UPDATE evaluation.expert_cases SET status = 'waiting_for_evaluator' WHERE status = 'withdrawn'`,
    );
    await q.query(`ALTER TABLE evaluation.expert_cases DROP COLUMN withdrawn_at`);
    await q.query(`ALTER TABLE evaluation.expert_cases DROP CONSTRAINT expert_cases_status_check`);
    await q.query(
      `ALTER TABLE evaluation.expert_cases ADD CONSTRAINT expert_cases_status_check
         CHECK (status IN ('waiting_for_evaluator','assigned','decided'))`,
    );
  }
}
