import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Ledger corrections (issue #6 §1, one source of truth under load): each event the workflow
 * records names its transition (the run and how many transitions the run had recorded before),
 * so that a later write in the same place can tell a lost attempt's events (the Temporal server
 * dropped the task that wrote them) and void them. A voided event stays, marked with the
 * `ticket.record_corrected` event that voided it, and leaves the ticket's history.
 */
export class LedgerCorrections1763980000000 implements MigrationInterface {
  name = 'LedgerCorrections1763980000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE ticket.ticket_events
        ADD COLUMN run_id text,
        ADD COLUMN serial integer,
        ADD COLUMN voided_by uuid`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE ticket.ticket_events DROP COLUMN voided_by, DROP COLUMN serial, DROP COLUMN run_id`);
  }
}
