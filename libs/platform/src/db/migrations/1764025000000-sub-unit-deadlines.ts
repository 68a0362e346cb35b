import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A sub-unit's reply deadline on its desk is the time its pass gave it (`ticket.sub_dispatched`
 * `dueAt`), the one the workflow reminds it of and marks it overdue against. The desk showed its
 * hub's (the lead's reply deadline) instead, so its sort by deadline and its count of what is past
 * due missed it. Existing sub-units' rows are brought to their latest standing pass's time.
 */
export const SUB_UNIT_DEADLINES_FROM_LEDGER = `
  UPDATE dispatch.assignments a SET complete_due_at = x.due
  FROM (
    SELECT DISTINCT ON (e.ticket_no, e.data->>'subUnitId') e.ticket_no, e.data->>'subUnitId' AS unit_id,
      (e.data->>'dueAt')::timestamptz AS due
    FROM ticket.ticket_events e
    WHERE e.voided_by IS NULL AND e.type = 'ticket.sub_dispatched'
    ORDER BY e.ticket_no, e.data->>'subUnitId', e.seq DESC
  ) x
  WHERE a.ticket_no = x.ticket_no AND a.unit_id = x.unit_id AND a.role = 'sub' AND x.due IS NOT NULL
    AND a.complete_due_at IS DISTINCT FROM x.due`;

export class SubUnitDeadlines1764025000000 implements MigrationInterface {
  name = 'SubUnitDeadlines1764025000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(SUB_UNIT_DEADLINES_FROM_LEDGER);
  }

  async down(): Promise<void> {
    // The deadlines brought up to date are the workflow's: nothing to undo.
  }
}
