import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A ticket's record as the archive keeps it is one text, `records.record_v1`: the export writes
 * it as one line, and its SHA-256 is the digest sealed (`records.record_digest_v1`, the same value
 * as before), so anyone holding the export can check each line against the seal without the
 * platform.
 */
export class ArchiveExport1764012000000 implements MigrationInterface {
  name = 'ArchiveExport1764012000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION records.record_v1(no text) RETURNS text LANGUAGE sql STABLE AS $$
        SELECT jsonb_build_object(
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
        )::text
      $$`);
    await q.query(`
      CREATE OR REPLACE FUNCTION records.record_digest_v1(no text) RETURNS text LANGUAGE sql STABLE AS $$
        SELECT encode(sha256(convert_to(records.record_v1(no), 'UTF8')), 'hex')
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Nothing to undo but the name: the digest gives the same values either way, and reads record_v1.
    void q;
  }
}
