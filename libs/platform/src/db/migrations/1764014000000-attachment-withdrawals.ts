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
    // The archive's record names a file's withdrawal (absent when none: every record sealed before
    // reads the same), so a file withdrawn after its year was sealed shows as a change.
    await q.query(RECORD_V1(true));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(RECORD_V1(false));
    await q.query(`DROP TABLE records.attachment_withdrawals`);
  }
}

/** records.record_v1 (migration 1764012000000), with or without the files' withdrawals. */
const RECORD_V1 = (withdrawals: boolean) => `
  CREATE OR REPLACE FUNCTION records.record_v1(no text) RETURNS text LANGUAGE sql STABLE AS $$
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
          'addedAt', records.utc(a.added_at))${
            withdrawals
              ? ` || COALESCE((SELECT jsonb_build_object('withdrawal', jsonb_build_object(
                    'reason', w.reason, 'by', w.withdrawn_by, 'at', records.utc(w.withdrawn_at)))
                  FROM records.attachment_withdrawals w WHERE w.attachment_id = a.id), '{}'::jsonb)`
              : ''
          } ORDER BY a.added_at, a.id)
        FROM records.attachments a WHERE a.ticket_no = no), '[]'::jsonb)
    )::text
  $$`;
