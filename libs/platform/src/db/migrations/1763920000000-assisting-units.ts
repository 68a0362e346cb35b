import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Assisting units (协办单位) named at intake, beside the lead unit the matter catalog picks. */
export class AssistingUnits1763920000000 implements MigrationInterface {
  name = 'AssistingUnits1763920000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ticket.tickets ADD COLUMN assisting_unit_ids text[] NOT NULL DEFAULT '{}'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ticket.tickets DROP COLUMN assisting_unit_ids`);
  }
}
