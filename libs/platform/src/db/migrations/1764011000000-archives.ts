import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The yearly archive (RULES §8: records are archived by year). `records.record_digest_v1` is the
 * one definition of a ticket's record as sealed: the ticket as registered (not its complainant's
 * encrypted fields, whose ciphertext changes when the keys rotate, nor its status and unit, which
 * the events hold), every event in order with whether it was voided, and every file's name and
 * SHA-256; as canonical JSON (jsonb's own order), hashed with SHA-256. A sealed year and its
 * entries are append-only.
 */
export class Archives1764011000000 implements MigrationInterface {
  name = 'Archives1764011000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION records.utc(t timestamptz) RETURNS text LANGUAGE sql STABLE AS $$
        SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
      $$`);
    await q.query(`
      CREATE FUNCTION records.record_digest_v1(no text) RETURNS text LANGUAGE sql STABLE AS $$
        SELECT encode(sha256(convert_to(jsonb_build_object(
          'ticket', (SELECT jsonb_build_object(
              'ticketNo', t.ticket_no, 'channel', t.channel, 'kind', t.kind, 'category', t.category,
              'regionCode', t.region_code, 'title', t.title, 'content', t.content, 'address', t.address,
              'confidential', t.confidential, 'respondent', t.respondent, 'demand', t.demand,
              'createdBy', t.created_by, 'createdAt', records.utc(t.created_at))
            FROM ticket.tickets t WHERE t.ticket_no = no),
          'events', COALESCE((SELECT jsonb_agg(jsonb_build_object(
              'eventId', e.event_id, 'seq', e.seq, 'type', e.type, 'actor', e.actor, 'data', e.data,
              'occurredAt', records.utc(e.occurred_at), 'voidedBy', e.voided_by) ORDER BY e.seq)
            FROM ticket.ticket_events e WHERE e.ticket_no = no), '[]'::jsonb),
          'attachments', COALESCE((SELECT jsonb_agg(jsonb_build_object(
              'attachmentId', a.id, 'name', a.name, 'kind', a.kind, 'contentType', a.content_type,
              'sha256', a.sha256, 'unitId', a.unit_id, 'addedBy', a.added_by,
              'addedAt', records.utc(a.added_at)) ORDER BY a.added_at, a.id)
            FROM records.attachments a WHERE a.ticket_no = no), '[]'::jsonb)
        )::text, 'UTF8')), 'hex')
      $$`);
    await q.query(`
      CREATE TABLE records.archives (
        year integer PRIMARY KEY CHECK (year BETWEEN 2000 AND 9998),
        digest_version integer NOT NULL,
        ticket_count integer NOT NULL,
        root_digest text NOT NULL,
        sealed_by text NOT NULL,
        sealed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE records.archive_entries (
        ticket_no text PRIMARY KEY REFERENCES ticket.tickets(ticket_no),
        year integer NOT NULL REFERENCES records.archives(year) DEFERRABLE INITIALLY DEFERRED,
        closed_at timestamptz NOT NULL,
        digest text NOT NULL
      )`);
    await q.query(`CREATE INDEX archive_entries_by_year ON records.archive_entries (year, ticket_no)`);
    for (const table of ['archives', 'archive_entries']) {
      await q.query(`
        CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON records.${table}
        FOR EACH ROW EXECUTE FUNCTION records.refuse_change()`);
      await q.query(`
        CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON records.${table}
        FOR EACH STATEMENT EXECUTE FUNCTION records.refuse_change()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE records.archive_entries, records.archives`);
    await q.query(`DROP FUNCTION records.record_digest_v1(text), records.utc(timestamptz)`);
  }
}
