import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The coordinations (协调) supervision counts, one row per `ticket.coordinated`: the ticket, the
 * unit it was taken from, the designated lead, and who designated it (the centre, or the leadership
 * group its coordination was escalated to). The ticket's facts and the units' overview read them.
 * Filled here from the ledger's standing events; kept by supervision's ticket-facts projection
 * from then on.
 */
export const COORDINATIONS_FROM_LEDGER = `
  INSERT INTO supervision.coordinations (event_id, ticket_no, from_unit_id, unit_id, level, coordinated_at)
  SELECT e.event_id, e.ticket_no, e.data->>'fromUnitId', e.data->>'unitId',
         coalesce(e.data->>'level', 'centre'), e.occurred_at
  FROM ticket.ticket_events e
  WHERE e.voided_by IS NULL AND e.type = 'ticket.coordinated'
  ON CONFLICT (event_id) DO NOTHING`;

export class Coordinations1764046000000 implements MigrationInterface {
  name = 'Coordinations1764046000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE supervision.coordinations (
        event_id uuid PRIMARY KEY,
        ticket_no text NOT NULL,
        from_unit_id text NOT NULL,
        unit_id text NOT NULL,
        level text NOT NULL CHECK (level IN ('centre','leadership_group')),
        coordinated_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX coordinations_ticket ON supervision.coordinations (ticket_no)`);
    await q.query(`CREATE INDEX coordinations_unit ON supervision.coordinations (unit_id)`);
    await q.query(`CREATE INDEX coordinations_from_unit ON supervision.coordinations (from_unit_id)`);
    await q.query(COORDINATIONS_FROM_LEDGER);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE supervision.coordinations`);
  }
}
