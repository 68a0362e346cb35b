import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Everything done to a ticket is on its record (RULES §8): the archive's record of a ticket names
 * what the evaluation decided of it as well — the expert's final verdict and the objections to it
 * the centre answered, the public vote's result, a reconsideration asked and decided (the events
 * the evaluation service wrote; the evaluators' identities are not among them). The key is absent
 * when there are none, so every record without them reads, and digests, as before; a record sealed
 * before with one of them now shows as changed, for the administrator to enter again.
 */
/** Frozen here as this migration wrote them (the shared list may grow in later migrations). */
const ON_RECORD = [
  'evaluation.expert_verdict_recorded',
  'evaluation.objection_recorded',
  'evaluation.vote_closed',
  'evaluation.reconsideration_requested',
  'evaluation.reconsideration_decided',
] as const;

const RECORD_V1 = (evaluation: boolean) => `
  CREATE OR REPLACE FUNCTION records.record_v1(no text) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT (jsonb_build_object(
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
          'addedAt', records.utc(a.added_at)) || COALESCE((SELECT jsonb_build_object('withdrawal', jsonb_build_object(
                    'reason', w.reason, 'by', w.withdrawn_by, 'at', records.utc(w.withdrawn_at)))
                  FROM records.attachment_withdrawals w WHERE w.attachment_id = a.id), '{}'::jsonb) ORDER BY a.added_at, a.id)
        FROM records.attachments a WHERE a.ticket_no = no), '[]'::jsonb)
    )${
      evaluation
        ? ` || COALESCE((SELECT jsonb_build_object('evaluation', jsonb_agg(jsonb_build_object(
          'eventId', v.event_id, 'type', v.type, 'actor', v.actor, 'data', v.data,
          'occurredAt', records.utc(v.occurred_at)) ORDER BY v.occurred_at, v.event_id))
        FROM evaluation.events v WHERE v.ticket_no = no
          AND v.type IN (${ON_RECORD.map((t) => `'${t}'`).join(', ')})
        HAVING count(*) > 0), '{}'::jsonb)`
        : ''
    })::text
  $$`;

/** The ledger's copy of them, for the ticket's own answer on intake. */
const COPY = `
  CREATE TABLE ticket.ticket_evaluation (
    event_id uuid PRIMARY KEY,
    ticket_no text NOT NULL,
    type text NOT NULL,
    actor jsonb NOT NULL,
    data jsonb NOT NULL,
    occurred_at timestamptz NOT NULL
  )`;

export class EvaluationOnRecord1764032000000 implements MigrationInterface {
  name = 'EvaluationOnRecord1764032000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(RECORD_V1(true));
    await q.query(COPY);
    await q.query(
      `CREATE INDEX ticket_evaluation_ticket ON ticket.ticket_evaluation (ticket_no, occurred_at)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ticket.ticket_evaluation`);
    await q.query(RECORD_V1(false));
  }
}
