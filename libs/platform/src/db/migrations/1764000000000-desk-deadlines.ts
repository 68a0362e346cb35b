import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The unit's desk shows its deadlines: the reply (completion) deadline as the workflow last set it
 * for the unit (dispatch, an extension decided, a reply sent back, a rectification ordered) and the
 * end of its return window, copied from the events that carry them. Existing rows are filled from
 * the standing record.
 */
export class DeskDeadlines1764000000000 implements MigrationInterface {
  name = 'DeskDeadlines1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE dispatch.assignments ADD COLUMN complete_due_at timestamptz,
      ADD COLUMN return_window_ends_at timestamptz`);
    await q.query(`
      UPDATE dispatch.assignments a SET
        complete_due_at = (
          SELECT (e.data->>'completeDueAt')::timestamptz FROM ticket.ticket_events e
          WHERE e.ticket_no = a.ticket_no AND e.voided_by IS NULL AND e.data->>'unitId' = a.unit_id
            AND e.type IN ('ticket.dispatched', 'ticket.extension_decided', 'ticket.reply_reviewed',
                           'ticket.rectification_ordered')
            AND e.data->>'completeDueAt' IS NOT NULL AND e.occurred_at >= a.dispatched_at
          ORDER BY e.seq DESC LIMIT 1),
        return_window_ends_at = (
          SELECT (e.data->>'returnWindowEndsAt')::timestamptz FROM ticket.ticket_events e
          WHERE e.ticket_no = a.ticket_no AND e.voided_by IS NULL AND e.data->>'unitId' = a.unit_id
            AND e.type = 'ticket.dispatched' AND e.occurred_at >= a.dispatched_at
          ORDER BY e.seq DESC LIMIT 1)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE dispatch.assignments DROP COLUMN complete_due_at, DROP COLUMN return_window_ends_at`,
    );
  }
}
