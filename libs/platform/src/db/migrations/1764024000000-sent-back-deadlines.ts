import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Supervision's reply deadline of each ticket brought to the one the workflow last set: before,
 * its projection took no deadline from a reply sent back (`ticket.reply_reviewed`), so a ticket
 * sent back kept the deadline of its dispatch, extension or rectification, and a reply made in the
 * time the send-back left was scored late. From here the projection copies it.
 */
export const SENT_BACK_DEADLINES_FROM_LEDGER = `
  UPDATE supervision.ticket_facts f SET complete_due_at = x.due
  FROM (
    SELECT DISTINCT ON (e.ticket_no) e.ticket_no, (e.data->>'completeDueAt')::timestamptz AS due, e.type
    FROM ticket.ticket_events e
    WHERE e.voided_by IS NULL AND e.data->>'completeDueAt' IS NOT NULL
      AND e.type IN ('ticket.dispatched', 'ticket.extension_decided', 'ticket.reply_reviewed',
                     'ticket.rectification_ordered')
    ORDER BY e.ticket_no, e.seq DESC
  ) x
  WHERE f.ticket_no = x.ticket_no AND x.type = 'ticket.reply_reviewed'
    AND f.complete_due_at IS DISTINCT FROM x.due`;

export class SentBackDeadlines1764024000000 implements MigrationInterface {
  name = 'SentBackDeadlines1764024000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(SENT_BACK_DEADLINES_FROM_LEDGER);
  }

  async down(): Promise<void> {
    // The deadlines brought up to date are the workflow's: nothing to undo.
  }
}
