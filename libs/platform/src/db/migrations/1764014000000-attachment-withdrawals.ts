import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A wrong upload (the wrong file, another person's papers) is withdrawn, not deleted: the file stays
 * on the ticket's record (RULES §8: nothing is ever lost or silently changed), and its withdrawal,
 * who, when and why, is a row of its own, as append-only as the file. Once withdrawn, only the
 * centre sees the file.
 */
export class AttachmentWithdrawals1764014000000 implements MigrationInterface {
  name = 'AttachmentWithdrawals1764014000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE records.attachment_withdrawals (
        attachment_id uuid PRIMARY KEY REFERENCES records.attachments(id),
        reason text NOT NULL CHECK (length(btrim(reason)) BETWEEN 1 AND 500),
        withdrawn_by text NOT NULL,
        withdrawn_by_role text NOT NULL,
        withdrawn_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TRIGGER attachment_withdrawals_append_only BEFORE UPDATE OR DELETE ON records.attachment_withdrawals
      FOR EACH ROW EXECUTE FUNCTION records.refuse_change()`);
    await q.query(`
      CREATE TRIGGER attachment_withdrawals_no_truncate BEFORE TRUNCATE ON records.attachment_withdrawals
      FOR EACH STATEMENT EXECUTE FUNCTION records.refuse_change()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE records.attachment_withdrawals`);
  }
}
