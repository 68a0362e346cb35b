import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A file on a ticket's record may carry the complainant's personal data (a copy of an ID card, a
 * letter with an address): every download is written to the personal-data access log, as a reveal
 * is (RULES §8: access to complainant data is logged).
 */
export class AttachmentDownloads1764010000000 implements MigrationInterface {
  name = 'AttachmentDownloads1764010000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit.personal_data_access DROP CONSTRAINT personal_data_access_action_check`);
    await q.query(
      `ALTER TABLE audit.personal_data_access ADD CONSTRAINT personal_data_access_action_check
       CHECK (action IN ('reveal', 'search', 'download'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit.personal_data_access DROP CONSTRAINT personal_data_access_action_check`);
    await q.query(
      `ALTER TABLE audit.personal_data_access ADD CONSTRAINT personal_data_access_action_check
       CHECK (action IN ('reveal', 'search'))`,
    );
  }
}
