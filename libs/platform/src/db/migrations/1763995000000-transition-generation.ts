import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The workflow task that decided a transition (`generation`: the run's history length when that
 * task began). A write whose place already holds another attempt's events from a later task is
 * stale (an attempt that outlived its task, a worker cut off from Temporal) and writes nothing;
 * one from an earlier task is a lost attempt's, and is voided as before.
 */
export class TransitionGeneration1763995000000 implements MigrationInterface {
  name = 'TransitionGeneration1763995000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ticket.ticket_events ADD COLUMN generation integer`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ticket.ticket_events DROP COLUMN generation`);
  }
}
