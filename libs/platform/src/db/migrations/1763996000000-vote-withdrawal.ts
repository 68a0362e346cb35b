import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A vote window can be withdrawn: the approval that opened it was a lost attempt's, voided by a
 * correction of the ticket's record. A withdrawn window counts nothing and closes with no result;
 * a real approval after `withdrawn_at` opens it again, one from before (the lost attempt's own
 * workflow, late) does not.
 */
export class VoteWithdrawal1763996000000 implements MigrationInterface {
  name = 'VoteWithdrawal1763996000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE evaluation.vote_windows DROP CONSTRAINT vote_windows_status_check`);
    await q.query(
      `ALTER TABLE evaluation.vote_windows ADD CONSTRAINT vote_windows_status_check
         CHECK (status IN ('open','closed','withdrawn'))`,
    );
    await q.query(`ALTER TABLE evaluation.vote_windows ADD COLUMN withdrawn_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM evaluation.public_votes v USING evaluation.vote_windows w
                   WHERE v.ticket_no = w.ticket_no AND w.status = 'withdrawn'`);
    await q.query(`DELETE FROM evaluation.vote_windows WHERE status = 'withdrawn'`);
    await q.query(`ALTER TABLE evaluation.vote_windows DROP COLUMN withdrawn_at`);
    await q.query(`ALTER TABLE evaluation.vote_windows DROP CONSTRAINT vote_windows_status_check`);
    await q.query(
      `ALTER TABLE evaluation.vote_windows ADD CONSTRAINT vote_windows_status_check
         CHECK (status IN ('open','closed'))`,
    );
  }
}
