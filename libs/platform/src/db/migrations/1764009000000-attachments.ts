import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Attachments on a ticket's record (RULES §8: scanned approval slips, evidence). A file is added
 * and never changed or removed: a trigger refuses UPDATE and DELETE. The bytes are kept in the
 * database beside the ledger (one backup, one transaction, nothing lost between two stores); the
 * same file added twice by the same party to the same ticket is one row (a retried upload).
 */
export class Attachments1764009000000 implements MigrationInterface {
  name = 'Attachments1764009000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS records`);
    await q.query(`
      CREATE TABLE records.attachments (
        id uuid PRIMARY KEY,
        ticket_no text NOT NULL REFERENCES ticket.tickets(ticket_no),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        kind text NOT NULL CHECK (kind IN ('evidence', 'approval_slip', 'document', 'other')),
        content_type text NOT NULL CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png')),
        size_bytes integer NOT NULL CHECK (size_bytes > 0),
        sha256 text NOT NULL,
        -- null: added by the centre
        unit_id text REFERENCES catalog.units(id),
        shared_with_units boolean NOT NULL,
        note text NOT NULL DEFAULT '',
        added_by text NOT NULL,
        added_by_role text NOT NULL,
        added_at timestamptz NOT NULL DEFAULT now(),
        content bytea NOT NULL
      )`);
    await q.query(
      `CREATE UNIQUE INDEX attachments_once ON records.attachments (ticket_no, COALESCE(unit_id, ''), sha256)`,
    );
    await q.query(`CREATE INDEX attachments_by_ticket ON records.attachments (ticket_no, added_at)`);
    await q.query(`
      CREATE FUNCTION records.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% on %.% refused: a ticket''s record is never changed', TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER attachments_append_only BEFORE UPDATE OR DELETE ON records.attachments
      FOR EACH ROW EXECUTE FUNCTION records.refuse_change()`);
    await q.query(`
      CREATE TRIGGER attachments_no_truncate BEFORE TRUNCATE ON records.attachments
      FOR EACH STATEMENT EXECUTE FUNCTION records.refuse_change()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SCHEMA records CASCADE`);
  }
}
