import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The units see what the evaluation decided about them on their tickets (the expert's verdict,
 * the objections the centre answered, the vote's result, a reconsideration): dispatch's own copy,
 * keyed by the unit each decision is about, as the ledger's copy is now too.
 */
export class UnitEvaluation1764042000000 implements MigrationInterface {
  name = 'UnitEvaluation1764042000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ticket.ticket_evaluation ADD COLUMN unit_id text`);
    await q.query(`UPDATE ticket.ticket_evaluation SET unit_id = data->>'unitId'`);
    await q.query(`
      CREATE TABLE dispatch.unit_evaluation (
        event_id uuid PRIMARY KEY,
        ticket_no text NOT NULL,
        unit_id text,
        type text NOT NULL,
        actor jsonb NOT NULL,
        data jsonb NOT NULL,
        occurred_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX unit_evaluation_ticket ON dispatch.unit_evaluation (ticket_no, unit_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE dispatch.unit_evaluation`);
    await q.query(`ALTER TABLE ticket.ticket_evaluation DROP COLUMN unit_id`);
  }
}
