import type { DataSource } from 'typeorm';
import type { CatalogEntry, ComplaintNature } from '@hotline/shared';
import { returnedRows } from '../db/returned-rows';
import { writeAs } from './admin-actor';
import type { AdminActor } from './admin-actor';

export interface UnitRow {
  id: string;
  name: string;
  kind: string;
  regionCode: string | null;
  /** The hub it is a sub-unit of (RULES §2 multi-level handling), if any. */
  parentUnitId?: string | null;
  /** Its leader reviews in person (经领导审核): a clerk's review in the leader's name is refused. */
  leaderReviewInPerson?: boolean;
  /** Its service promises (服务承诺) as the centre records them: a reply contradicting one does not close. */
  servicePromises?: string[];
}

const UNIT_COLUMNS = `id, name, kind, region_code AS "regionCode", parent_unit_id AS "parentUnitId",
  leader_review_in_person AS "leaderReviewInPerson", service_promises AS "servicePromises"`;

/**
 * The matter catalog (承办事项库), its units and regions. What intake reads for every ticket (the
 * regions, the categories, a category's entries, a unit) is cached for a few seconds: it changes
 * by migration or seed, rarely.
 */
export class CatalogRepository {
  private lists = new Map<string, { at: number; value: string[] }>();
  private rows = new Map<string, { at: number; value: unknown[] }>();

  constructor(
    private readonly ds: DataSource,
    private readonly cacheMs = 5_000,
  ) {}

  /** Forgets what it cached: the catalog just changed (an approved application). */
  forget(): void {
    this.lists.clear();
    this.rows.clear();
  }

  private async cached(key: string, load: () => Promise<string[]>): Promise<string[]> {
    const hit = this.lists.get(key);
    if (hit && Date.now() - hit.at < this.cacheMs) return hit.value;
    const value = await load();
    this.lists.set(key, { at: Date.now(), value });
    return value;
  }

  async entriesFor(category: string): Promise<CatalogEntry[]> {
    return this.cachedRows(`entries:${category}`, () =>
      this.ds.query(
        `SELECT id, category, region_code AS "regionCode", unit_id AS "unitId", priority
         FROM catalog.matter_catalog WHERE category = $1 AND active`,
        [category],
      ),
    );
  }

  async unit(id: string): Promise<UnitRow | null> {
    const rows = await this.cachedRows<UnitRow>(`unit:${id}`, () =>
      this.ds.query(`SELECT ${UNIT_COLUMNS} FROM catalog.units WHERE id = $1`, [id]),
    );
    return rows[0] ?? null;
  }

  private async cachedRows<T>(key: string, load: () => Promise<T[]>): Promise<T[]> {
    const hit = this.rows.get(key);
    if (hit && Date.now() - hit.at < this.cacheMs) return hit.value as T[];
    const value = await load();
    this.rows.set(key, { at: Date.now(), value });
    return value;
  }

  /** The active unit that is the body for complaints about officials of this nature, if any. */
  async natureBody(nature: ComplaintNature): Promise<UnitRow | null> {
    const rows = await this.cachedRows<UnitRow>(`nature:${nature}`, () =>
      this.ds.query(
        `SELECT id, name, kind, region_code AS "regionCode" FROM catalog.units
         WHERE complaint_nature = $1 AND active`,
        [nature],
      ),
    );
    return rows[0] ?? null;
  }

  /** A hub's active sub-units (RULES §2 multi-level handling), by name. */
  /** Whether the unit's leader reviews in person (经领导审核); false when there is no such unit. */
  async setLeaderReviewInPerson(unitId: string, inPerson: boolean, actor?: AdminActor): Promise<boolean> {
    const result: unknown = await writeAs(
      this.ds,
      actor,
      `UPDATE catalog.units SET leader_review_in_person = $2 WHERE id = $1 RETURNING id`,
      [unitId, inPerson],
    );
    this.rows.delete(`unit:${unitId}`);
    return returnedRows(result).length > 0;
  }

  /** Records the unit's service promises (the whole list); false: no such unit. */
  async setServicePromises(unitId: string, promises: string[], actor?: AdminActor): Promise<boolean> {
    const result: unknown = await writeAs(
      this.ds,
      actor,
      `UPDATE catalog.units SET service_promises = $2::text[] WHERE id = $1 RETURNING id`,
      [unitId, promises],
    );
    this.rows.delete(`unit:${unitId}`);
    return returnedRows(result).length > 0;
  }

  async subUnits(hubId: string): Promise<UnitRow[]> {
    return this.ds.query(
      `SELECT ${UNIT_COLUMNS} FROM catalog.units WHERE parent_unit_id = $1 AND active ORDER BY name, id`,
      [hubId],
    );
  }

  async units(): Promise<UnitRow[]> {
    return this.ds.query(
      `SELECT id, name, kind, region_code AS "regionCode" FROM catalog.units WHERE active ORDER BY id`,
    );
  }

  async regionExists(code: string): Promise<boolean> {
    const regions = await this.cached('regions', async () =>
      (await this.ds.query(`SELECT code FROM catalog.regions`)).map((r: { code: string }) => r.code),
    );
    return regions.includes(code);
  }

  async categories(): Promise<string[]> {
    return this.cached('categories', async () =>
      (
        await this.ds.query(
          `SELECT DISTINCT category FROM catalog.matter_catalog WHERE active ORDER BY category`,
        )
      ).map((r: { category: string }) => r.category),
    );
  }
}
