import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The matter catalog changes only on a unit's application approved by the centre (RULES §5): the
 * applications, with what was asked, who asked, who decided and the entry it made or changed.
 */
export class CatalogApplications1764007000000 implements MigrationInterface {
  name = 'CatalogApplications1764007000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE catalog.entry_applications (
        id uuid PRIMARY KEY,
        unit_id text NOT NULL REFERENCES catalog.units(id),
        action text NOT NULL CHECK (action IN ('add', 'change', 'remove')),
        entry_id text REFERENCES catalog.matter_catalog(id),
        name text,
        category text,
        region_code text REFERENCES catalog.regions(code),
        region_given boolean NOT NULL DEFAULT false,
        priority integer,
        reason text NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'refused')),
        applied_by text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now(),
        decided_by text,
        decided_at timestamptz,
        decision_note text
      )`);
    await q.query(
      `CREATE INDEX entry_applications_by_status ON catalog.entry_applications (status, applied_at DESC)`,
    );
    await q.query(
      `CREATE INDEX entry_applications_by_unit ON catalog.entry_applications (unit_id, applied_at DESC)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE catalog.entry_applications`);
  }
}
