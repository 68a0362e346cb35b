import type { DataSource } from 'typeorm';
import type { CatalogEntry } from '@hotline/shared';

export interface UnitRow {
  id: string;
  name: string;
  kind: string;
  regionCode: string | null;
}

export class CatalogRepository {
  constructor(private readonly ds: DataSource) {}

  async entriesFor(category: string): Promise<CatalogEntry[]> {
    return this.ds.query(
      `SELECT id, category, region_code AS "regionCode", unit_id AS "unitId", priority
       FROM catalog.matter_catalog WHERE category = $1 AND active`,
      [category],
    );
  }

  async unit(id: string): Promise<UnitRow | null> {
    const rows = await this.ds.query(
      `SELECT id, name, kind, region_code AS "regionCode" FROM catalog.units WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  async units(): Promise<UnitRow[]> {
    return this.ds.query(
      `SELECT id, name, kind, region_code AS "regionCode" FROM catalog.units WHERE active ORDER BY id`,
    );
  }

  async regionExists(code: string): Promise<boolean> {
    const rows = await this.ds.query(`SELECT 1 FROM catalog.regions WHERE code = $1`, [code]);
    return rows.length > 0;
  }

  async categories(): Promise<string[]> {
    const rows = await this.ds.query(
      `SELECT DISTINCT category FROM catalog.matter_catalog WHERE active ORDER BY category`,
    );
    return rows.map((r: { category: string }) => r.category);
  }
}
