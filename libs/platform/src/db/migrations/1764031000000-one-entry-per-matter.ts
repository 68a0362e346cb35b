import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One matter, one process (一事一流程, RULES §5): at most one active catalog entry per category and
 * region scope (a region, or the whole city). A second one approved for the same matter could never
 * route (ties go to the first by id) while the catalog showed two processes for it.
 */
export class OneEntryPerMatter1764031000000 implements MigrationInterface {
  name = 'OneEntryPerMatter1764031000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE UNIQUE INDEX matter_catalog_one_per_matter ON catalog.matter_catalog (category, coalesce(region_code, ''))
       WHERE active`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX catalog.matter_catalog_one_per_matter`);
  }
}
