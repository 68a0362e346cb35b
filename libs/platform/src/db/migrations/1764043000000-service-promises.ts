import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A unit's service promises (服务承诺, e.g. "24小时内上门维修"), as the centre records them: a reply
 * contradicting one does not close the ticket (closure standard art. 5.5).
 */
export class ServicePromises1764043000000 implements MigrationInterface {
  name = 'ServicePromises1764043000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE catalog.units ADD COLUMN service_promises text[] NOT NULL DEFAULT '{}'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE catalog.units DROP COLUMN service_promises`);
  }
}
