import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Whether the citizen says the problem was actually solved (实际解决), as the last manual callback
 * that asked recorded it (null: never asked). Supervision's facts; the analysis counts the actual
 * resolution rate against the targets seen in practice (RULES §7: ≥ 60 % city-wide, ≥ 50 % for
 * supervised tickets). Filled from the ledger's standing events.
 */
export class ActualResolution1764041000000 implements MigrationInterface {
  name = 'ActualResolution1764041000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE supervision.ticket_facts ADD COLUMN resolved boolean`);
    await q.query(`
      UPDATE supervision.ticket_facts f SET resolved = x.resolved
      FROM (SELECT DISTINCT ON (ticket_no) ticket_no, (data->>'resolved')::boolean AS resolved
            FROM ticket.ticket_events
            WHERE voided_by IS NULL AND type = 'ticket.callback_answered' AND data ? 'resolved'
            ORDER BY ticket_no, seq DESC) x
      WHERE f.ticket_no = x.ticket_no`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE supervision.ticket_facts DROP COLUMN resolved`);
  }
}
