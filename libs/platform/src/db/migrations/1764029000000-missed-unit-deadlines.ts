import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The deadlines each unit missed (sign, reply), one row per `ticket.overdue` of a unit's deadline,
 * under the unit it named: the units' overview counted every overdue event of a ticket against its
 * current unit, the centre's own review and callback deadlines with them, and the earlier unit's
 * misses against the unit a returned ticket went to next. Filled here from the ledger's standing
 * events; kept by supervision's ticket-facts projection from then on.
 */
export const MISSED_UNIT_DEADLINES_FROM_LEDGER = `
  INSERT INTO supervision.missed_deadlines (event_id, ticket_no, unit_id, deadline, due_at, missed_at)
  SELECT e.event_id, e.ticket_no, e.data->>'unitId', e.data->>'deadline', (e.data->>'dueAt')::timestamptz,
         e.occurred_at
  FROM ticket.ticket_events e
  WHERE e.voided_by IS NULL AND e.type = 'ticket.overdue' AND e.data->>'deadline' IN ('sign','complete')
    AND e.data->>'unitId' IS NOT NULL
  ON CONFLICT (event_id) DO NOTHING`;

export class MissedUnitDeadlines1764029000000 implements MigrationInterface {
  name = 'MissedUnitDeadlines1764029000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE supervision.missed_deadlines (
        event_id uuid PRIMARY KEY,
        ticket_no text NOT NULL,
        unit_id text NOT NULL,
        deadline text NOT NULL CHECK (deadline IN ('sign','complete')),
        due_at timestamptz NOT NULL,
        missed_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX missed_deadlines_unit ON supervision.missed_deadlines (unit_id, missed_at)`);
    await q.query(`CREATE INDEX missed_deadlines_ticket ON supervision.missed_deadlines (ticket_no)`);
    await q.query(MISSED_UNIT_DEADLINES_FROM_LEDGER);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE supervision.missed_deadlines`);
  }
}
