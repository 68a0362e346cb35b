import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Amendments to the yearly archive (补充归档): a sealed record that grew for a reason the centre
 * stands by is entered again, beside its seal, with its digest now, the digest it stood on before,
 * the reason, who and when. Append-only like the seal; a record is checked against its latest one.
 */
export class ArchiveAmendments1764019000000 implements MigrationInterface {
  name = 'ArchiveAmendments1764019000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE records.archive_amendments (
        id bigserial PRIMARY KEY,
        ticket_no text NOT NULL REFERENCES records.archive_entries(ticket_no),
        year integer NOT NULL REFERENCES records.archives(year),
        previous_digest text NOT NULL,
        digest text NOT NULL CHECK (digest <> previous_digest),
        reason text NOT NULL CHECK (length(btrim(reason)) > 0),
        amended_by text NOT NULL,
        amended_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX archive_amendments_by_ticket ON records.archive_amendments (ticket_no, id DESC)`,
    );
    await q.query(`CREATE INDEX archive_amendments_by_year ON records.archive_amendments (year, id)`);
    await q.query(`
      CREATE TRIGGER archive_amendments_append_only BEFORE UPDATE OR DELETE ON records.archive_amendments
      FOR EACH ROW EXECUTE FUNCTION records.refuse_change()`);
    await q.query(`
      CREATE TRIGGER archive_amendments_no_truncate BEFORE TRUNCATE ON records.archive_amendments
      FOR EACH STATEMENT EXECUTE FUNCTION records.refuse_change()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE records.archive_amendments`);
  }
}
