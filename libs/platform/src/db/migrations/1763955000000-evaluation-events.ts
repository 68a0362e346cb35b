import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The evaluation service's own event log (issue #8): every evaluation event is kept here and sent
 * to Kafka through platform.outbox in the same transaction (libs/platform evaluation-events.ts).
 */
export class EvaluationEvents1763955000000 implements MigrationInterface {
  name = 'EvaluationEvents1763955000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE evaluation.events (
        event_id uuid PRIMARY KEY,
        ticket_no text NOT NULL,
        type text NOT NULL,
        actor jsonb NOT NULL,
        data jsonb NOT NULL,
        occurred_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX evaluation_events_ticket ON evaluation.events (ticket_no, occurred_at)`);
    await q.query(`CREATE INDEX evaluation_events_type ON evaluation.events (type, occurred_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE evaluation.events`);
  }
}
