import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The closed-tickets register pages newest first (`GET /api/v1/closed-tickets`): tens of thousands
 * of tickets close a day, so its order is an index, not a sort of the whole table per page.
 */
export class ClosedTicketsOrder1763998000000 implements MigrationInterface {
  name = 'ClosedTicketsOrder1763998000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX closed_tickets_newest ON evaluation.closed_tickets (closed_at DESC, ticket_no DESC)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX evaluation.closed_tickets_newest`);
  }
}
