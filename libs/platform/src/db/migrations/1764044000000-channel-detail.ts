import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Which leader mailbox or upper platform a ticket came through (`channel_detail`, RULES §1:
 * 省委书记/省长/市委书记/市长/区领导/局长信箱, 政风行风热线; 国务院"互联网+督查", 国家政务服务平台,
 * 省12345, 好差评): the policy may hold them apart (SZ version 3). The archive's record of a ticket
 * names it in `ticket.channelDetail` where it was said; absent otherwise, so every record without
 * one reads, and digests, as before.
 */
const EVALUATION_ON_RECORD = [
  'evaluation.expert_verdict_recorded',
  'evaluation.objection_recorded',
  'evaluation.vote_closed',
  'evaluation.reconsideration_requested',
  'evaluation.reconsideration_decided',
] as const;

const RECORD_V1 = (detail: boolean) => `
  CREATE OR REPLACE FUNCTION records.record_v1(no text) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT (jsonb_build_object(
      'ticket', (SELECT jsonb_build_object(
          'ticketNo', t.ticket_no, 'channel', t.channel, 'kind', t.kind, 'category', t.category,
          'regionCode', t.region_code, 'title', t.title, 'content', t.content, 'address', t.address,
          'confidential', t.confidential, 'respondent', t.respondent, 'demand', t.demand,
          'createdBy', t.created_by, 'createdAt', records.utc(t.created_at))${
            detail
              ? ` || CASE WHEN t.channel_detail IS NULL THEN '{}'::jsonb
                   ELSE jsonb_build_object('channelDetail', t.channel_detail) END`
              : ''
          }
        FROM ticket.tickets t WHERE t.ticket_no = no),
      'events', COALESCE((SELECT jsonb_agg(jsonb_build_object(
          'eventId', e.event_id, 'seq', e.seq, 'type', e.type, 'actor', e.actor, 'data', e.data,
          'occurredAt', records.utc(e.occurred_at), 'voidedBy', e.voided_by) ORDER BY e.seq)
        FROM ticket.ticket_events e WHERE e.ticket_no = no), '[]'::jsonb),
      'attachments', COALESCE((SELECT jsonb_agg(jsonb_build_object(
          'attachmentId', a.id, 'name', a.name, 'kind', a.kind, 'contentType', a.content_type,
          'sha256', a.sha256, 'unitId', a.unit_id, 'addedBy', a.added_by,
          'addedAt', records.utc(a.added_at)) || COALESCE((SELECT jsonb_build_object('withdrawal', jsonb_build_object(
                    'reason', w.reason, 'by', w.withdrawn_by, 'at', records.utc(w.withdrawn_at)))
                  FROM records.attachment_withdrawals w WHERE w.attachment_id = a.id), '{}'::jsonb) ORDER BY a.added_at, a.id)
        FROM records.attachments a WHERE a.ticket_no = no), '[]'::jsonb)
    ) || COALESCE((SELECT jsonb_build_object('evaluation', jsonb_agg(jsonb_build_object(
          'eventId', v.event_id, 'type', v.type, 'actor', v.actor, 'data', v.data,
          'occurredAt', records.utc(v.occurred_at)) ORDER BY v.occurred_at, v.event_id))
        FROM evaluation.events v WHERE v.ticket_no = no
          AND v.type IN (${EVALUATION_ON_RECORD.map((t) => `'${t}'`).join(', ')})
        HAVING count(*) > 0), '{}'::jsonb))::text
  $$`;

export class ChannelDetail1764044000000 implements MigrationInterface {
  name = 'ChannelDetail1764044000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ticket.tickets ADD COLUMN channel_detail text`);
    await q.query(RECORD_V1(true));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(RECORD_V1(false));
    await q.query(`ALTER TABLE ticket.tickets DROP COLUMN channel_detail`);
  }
}
