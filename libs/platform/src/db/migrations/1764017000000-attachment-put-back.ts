import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A file withdrawn by mistake is put back by sending it again: a new row that names the withdrawn
 * one it puts back (`put_back_of`), so the same file of the same party stays one live row. Each
 * withdrawn row is put back at most once, and two identical rows differ by what they put back, so
 * two uploads at once of one withdrawn file still make one row.
 */
export class AttachmentPutBack1764017000000 implements MigrationInterface {
  name = 'AttachmentPutBack1764017000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE records.attachments ADD COLUMN put_back_of uuid REFERENCES records.attachments(id)`,
    );
    await q.query(`DROP INDEX records.attachments_once`);
    await q.query(
      `CREATE UNIQUE INDEX attachments_once ON records.attachments
         (ticket_no, COALESCE(unit_id, ''), sha256, COALESCE(put_back_of, '00000000-0000-0000-0000-000000000000'))`,
    );
    await q.query(
      `CREATE UNIQUE INDEX attachments_put_back_once ON records.attachments (put_back_of) WHERE put_back_of IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    // Fails while a put-back file is on a record: the old index held one row per file and party.
    await q.query(`DROP INDEX records.attachments_put_back_once`);
    await q.query(`DROP INDEX records.attachments_once`);
    await q.query(`ALTER TABLE records.attachments DROP COLUMN put_back_of`);
    await q.query(
      `CREATE UNIQUE INDEX attachments_once ON records.attachments (ticket_no, COALESCE(unit_id, ''), sha256)`,
    );
  }
}
