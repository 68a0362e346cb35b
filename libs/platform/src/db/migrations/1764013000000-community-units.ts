import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A community (社区) is a unit of its own kind: a street's sub-unit, the fourth level a ticket goes
 * down to (RULES §2 multi-level handling; GS 三级/四级承办单位: a street with communities).
 */
export class CommunityUnits1764013000000 implements MigrationInterface {
  name = 'CommunityUnits1764013000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE catalog.units DROP CONSTRAINT units_kind_check`);
    await q.query(
      `ALTER TABLE catalog.units ADD CONSTRAINT units_kind_check
       CHECK (kind IN ('department', 'district', 'street', 'community', 'utility', 'hub'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE catalog.units DROP CONSTRAINT units_kind_check`);
    await q.query(
      `ALTER TABLE catalog.units ADD CONSTRAINT units_kind_check
       CHECK (kind IN ('department', 'district', 'street', 'utility', 'hub'))`,
    );
  }
}
