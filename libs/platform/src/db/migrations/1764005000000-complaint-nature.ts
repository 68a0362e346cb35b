import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Complaints about officials classed by nature (GS: efficiency 效能投诉, conduct 纠风, integrity
 * 廉政举报): a ticket records its nature; a unit may be the body for one nature (at most one unit
 * each), where such tickets go whatever their matter.
 */
export class ComplaintNature1764005000000 implements MigrationInterface {
  name = 'ComplaintNature1764005000000';

  async up(q: QueryRunner): Promise<void> {
    const natures = `('efficiency', 'conduct', 'integrity')`;
    await q.query(
      `ALTER TABLE catalog.units ADD COLUMN complaint_nature text CHECK (complaint_nature IN ${natures})`,
    );
    await q.query(
      `CREATE UNIQUE INDEX units_by_complaint_nature ON catalog.units (complaint_nature)
       WHERE complaint_nature IS NOT NULL`,
    );
    await q.query(
      `ALTER TABLE ticket.tickets ADD COLUMN complaint_nature text CHECK (complaint_nature IN ${natures})`,
    );
    await q.query(
      `CREATE INDEX tickets_by_complaint_nature ON ticket.tickets (complaint_nature, created_at DESC)
       WHERE complaint_nature IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ticket.tickets DROP COLUMN complaint_nature`);
    await q.query(`ALTER TABLE catalog.units DROP COLUMN complaint_nature`);
  }
}
