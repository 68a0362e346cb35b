import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ledger (`GET /api/v1/tickets` on intake) pages newest first, with or without its filters:
 * tens of thousands of tickets come in a day, so its order is an index, not a sort of the whole
 * table per page.
 */
export class LedgerOrder1764001000000 implements MigrationInterface {
  name = 'LedgerOrder1764001000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX tickets_newest ON ticket.tickets (created_at DESC, ticket_no DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ticket.tickets_newest`);
  }
}
