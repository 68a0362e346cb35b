import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A sign deadline missed counts as a late sign (PA: −0.5), when it passes: before this, only a
 * signature made late was counted, so a unit that never signed lost nothing while one that signed a
 * minute late lost half a point. `missed` marks the rows entered from a `ticket.overdue` of the
 * sign deadline (the lead's, an assisting unit's or a sub-unit's); a late signature after its own
 * missed deadline is not entered again. Filled here from the ledger's standing events; kept by
 * supervision's ticket-facts projection from then on.
 */
export const MISSED_SIGNS_FROM_LEDGER = `
  INSERT INTO supervision.late_signs (event_id, ticket_no, unit_id, role, signed_at, missed)
  SELECT e.event_id, e.ticket_no, e.data->>'unitId',
    coalesce((SELECT a->>'role' FROM jsonb_array_elements(e.state->'assignments') a
              WHERE a->>'unitId' = e.data->>'unitId' LIMIT 1), 'lead'),
    e.occurred_at, true
  FROM ticket.ticket_events e
  WHERE e.voided_by IS NULL AND e.type = 'ticket.overdue' AND e.data->>'deadline' = 'sign'
    AND e.data->>'unitId' IS NOT NULL
  ON CONFLICT (event_id) DO NOTHING`;

/** A late signature after the same unit's missed sign deadline on the ticket was counted there already. */
export const LATE_AFTER_MISSED = `
  DELETE FROM supervision.late_signs s
  WHERE NOT s.missed AND EXISTS (
    SELECT 1 FROM supervision.late_signs m
    WHERE m.missed AND m.ticket_no = s.ticket_no AND m.unit_id = s.unit_id AND m.role = s.role
      AND m.signed_at <= s.signed_at)`;

export class MissedSigns1764028000000 implements MigrationInterface {
  name = 'MissedSigns1764028000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE supervision.late_signs ADD COLUMN missed boolean NOT NULL DEFAULT false`);
    await q.query(MISSED_SIGNS_FROM_LEDGER);
    await q.query(LATE_AFTER_MISSED);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM supervision.late_signs WHERE missed`);
    await q.query(`ALTER TABLE supervision.late_signs DROP COLUMN missed`);
  }
}
