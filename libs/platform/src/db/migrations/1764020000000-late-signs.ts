import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every unit's late signatures (PA: −0.5 each), one row per signing event: the lead's
 * (`ticket.signed`), an assisting unit's (`ticket.assistance_signed`) and a sub-unit's
 * (`ticket.sub_signed`), each counted against the unit that signed. Before this only the lead
 * unit of the moment was counted, through `supervision.ticket_facts.signed_late`, so an assisting
 * unit's or a sub-unit's late signature, and a lead's once the ticket went to another unit, were
 * lost to the assessment. Filled here from the ledger's standing events; kept by supervision's
 * ticket-facts projection from then on.
 */
/** Every standing late signature in the ledger, entered once (the migration's fill; tested on Postgres). */
export const LATE_SIGNS_FROM_LEDGER = `
  INSERT INTO supervision.late_signs (event_id, ticket_no, unit_id, role, signed_at)
  SELECT e.event_id, e.ticket_no,
    CASE WHEN e.type = 'ticket.sub_signed' THEN e.data->>'subUnitId' ELSE e.data->>'unitId' END,
    CASE e.type WHEN 'ticket.signed' THEN 'lead' WHEN 'ticket.assistance_signed' THEN 'assisting' ELSE 'sub' END,
    e.occurred_at
  FROM ticket.ticket_events e
  WHERE e.voided_by IS NULL
    AND e.type IN ('ticket.signed', 'ticket.assistance_signed', 'ticket.sub_signed')
    AND (e.data->>'late')::boolean IS TRUE
  ON CONFLICT (event_id) DO NOTHING`;

export class LateSigns1764020000000 implements MigrationInterface {
  name = 'LateSigns1764020000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE supervision.late_signs (
        event_id uuid PRIMARY KEY,
        ticket_no text NOT NULL,
        unit_id text NOT NULL,
        role text NOT NULL CHECK (role IN ('lead', 'assisting', 'sub')),
        signed_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX late_signs_by_time ON supervision.late_signs (signed_at, unit_id)`);
    await q.query(`CREATE INDEX late_signs_by_ticket ON supervision.late_signs (ticket_no)`);
    await q.query(LATE_SIGNS_FROM_LEDGER);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE supervision.late_signs`);
  }
}
