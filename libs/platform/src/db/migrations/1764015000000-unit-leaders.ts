import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A unit's leader (单位领导) is a unit user with the leader's authority: its own account reviews a
 * sub-unit's result and approves the unit's knowledge entries in person (经领导审核). A unit may
 * want its leader to review in person (`leader_review_in_person`): then a clerk's review in the
 * leader's name is refused.
 */
export class UnitLeaders1764015000000 implements MigrationInterface {
  name = 'UnitLeaders1764015000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE identity.users ADD COLUMN unit_leader boolean NOT NULL DEFAULT false`);
    await q.query(
      `ALTER TABLE identity.users ADD CONSTRAINT users_leader_of_a_unit CHECK (NOT unit_leader OR role = 'unit_clerk')`,
    );
    await q.query(
      `ALTER TABLE catalog.units ADD COLUMN leader_review_in_person boolean NOT NULL DEFAULT false`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE catalog.units DROP COLUMN leader_review_in_person`);
    await q.query(`ALTER TABLE identity.users DROP COLUMN unit_leader`);
  }
}
