import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Multi-level handling (RULES §2): a unit may have a parent, its hub (a district's sub-centre, a
 * bureau with branches, a street with communities); a hub passes a ticket to its sub-units, each
 * of which then has the ticket on its desk as a `sub` assignment.
 */
export class MultiLevel1764006000000 implements MigrationInterface {
  name = 'MultiLevel1764006000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE catalog.units ADD COLUMN parent_unit_id text REFERENCES catalog.units(id)`);
    await q.query(
      `CREATE INDEX units_by_parent ON catalog.units (parent_unit_id) WHERE parent_unit_id IS NOT NULL`,
    );
    await q.query(`ALTER TABLE dispatch.assignments DROP CONSTRAINT assignments_role_check`);
    await q.query(
      `ALTER TABLE dispatch.assignments ADD CONSTRAINT assignments_role_check
       CHECK (role IN ('lead', 'assisting', 'sub'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM dispatch.assignments WHERE role = 'sub'`);
    await q.query(`ALTER TABLE dispatch.assignments DROP CONSTRAINT assignments_role_check`);
    await q.query(
      `ALTER TABLE dispatch.assignments ADD CONSTRAINT assignments_role_check CHECK (role IN ('lead', 'assisting'))`,
    );
    await q.query(`ALTER TABLE catalog.units DROP COLUMN parent_unit_id`);
  }
}
