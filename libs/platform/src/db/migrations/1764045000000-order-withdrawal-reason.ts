import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Why the platform is to withdraw an open order it marked (`source_voided_at`): its source was
 * voided (null, as before), or the ticket was taken from the unit the order is addressed to (an
 * approved return, the centre's coordination): the order asks a unit to act on a ticket no longer
 * its own.
 */
export class OrderWithdrawalReason1764045000000 implements MigrationInterface {
  name = 'OrderWithdrawalReason1764045000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE supervision.orders ADD COLUMN withdrawal_reason text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE supervision.orders DROP COLUMN withdrawal_reason`);
  }
}
