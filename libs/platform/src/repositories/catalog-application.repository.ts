import type { DataSource, EntityManager } from 'typeorm';
import { entryAfter } from '@hotline/shared';
import type { ApplicationStatus, CatalogAction, CatalogApplicationInput, EntryFields } from '@hotline/shared';
import { returnedRows } from '../db/returned-rows';
import { queryPage } from './page';
import type { RowsPage } from './page';

export interface CatalogEntryRow extends EntryFields {
  id: string;
  unitId: string;
  active: boolean;
}

export interface CatalogApplicationRow {
  id: string;
  unitId: string;
  action: CatalogAction;
  entryId: string | null;
  name: string | null;
  category: string | null;
  regionCode: string | null;
  priority: number | null;
  reason: string;
  status: ApplicationStatus;
  appliedBy: string;
  appliedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
}

const ENTRY_COLUMNS = `id, name, category, region_code AS "regionCode", unit_id AS "unitId", priority, active`;
const APPLICATION_COLUMNS = `id, unit_id AS "unitId", action, entry_id AS "entryId", name, category,
  region_code AS "regionCode", priority, reason, status, applied_by AS "appliedBy", applied_at AS "appliedAt",
  decided_by AS "decidedBy", decided_at AS "decidedAt", decision_note AS "decisionNote"`;

/**
 * The matter catalog's entries and the units' applications to change them (RULES §5). An approved
 * application changes the catalog in the same transaction as its decision: approved and applied,
 * or neither.
 */
export class CatalogApplicationRepository {
  constructor(private readonly ds: DataSource) {}

  async entry(id: string): Promise<CatalogEntryRow | null> {
    const rows: CatalogEntryRow[] = await this.ds.query(
      `SELECT ${ENTRY_COLUMNS} FROM catalog.matter_catalog WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  async entries(f: {
    unitId?: string;
    category?: string;
    limit: number;
    offset: number;
  }): Promise<RowsPage<CatalogEntryRow>> {
    return queryPage<CatalogEntryRow>(
      this.ds,
      {
        select: ENTRY_COLUMNS,
        from: `FROM catalog.matter_catalog WHERE active AND ($1::text IS NULL OR unit_id = $1)
          AND ($2::text IS NULL OR category = $2)`,
        orderBy: 'category, priority, id',
      },
      [f.unitId ?? null, f.category ?? null],
      f,
    );
  }

  /** Records an application under its id; the same id again (a repeat at once) records nothing more. */
  async apply(
    id: string,
    unitId: string,
    by: string,
    a: CatalogApplicationInput,
  ): Promise<CatalogApplicationRow> {
    await this.ds.query(
      `INSERT INTO catalog.entry_applications (id, unit_id, action, entry_id, name, category, region_code,
         region_given, priority, reason, applied_by)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) ON CONFLICT (id) DO NOTHING`,
      [
        id,
        unitId,
        a.action,
        a.entryId ?? null,
        a.name?.trim() || null,
        a.category ?? null,
        a.regionCode ?? null,
        a.regionCode !== undefined,
        a.priority ?? null,
        a.reason.trim(),
        by,
      ],
    );
    return (await this.application(id))!;
  }

  async application(id: string): Promise<CatalogApplicationRow | null> {
    const rows: CatalogApplicationRow[] = await this.ds.query(
      `SELECT ${APPLICATION_COLUMNS} FROM catalog.entry_applications WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  async applications(f: {
    unitId?: string;
    status?: string;
    limit: number;
    offset: number;
  }): Promise<RowsPage<CatalogApplicationRow>> {
    return queryPage<CatalogApplicationRow>(
      this.ds,
      {
        select: APPLICATION_COLUMNS,
        from: `FROM catalog.entry_applications WHERE ($1::text IS NULL OR unit_id = $1)
          AND ($2::text IS NULL OR status = $2)`,
        orderBy: 'applied_at DESC, id',
      },
      [f.unitId ?? null, f.status ?? null],
      f,
    );
  }

  /**
   * Decides a pending application; approved, the catalog changes in the same transaction (an
   * addition gets a new entry, a change rewrites the entry, a removal deactivates it). Null when it
   * was decided already (by this call's twin or another decider); 'entry_gone' when the entry it
   * names was removed meanwhile (then nothing changes).
   */
  /**
   * The active entry other than `exceptId` that already holds this matter (the same category and
   * region scope: one matter, one process), if any.
   */
  async entryForMatter(
    category: string,
    regionCode: string | null,
    exceptId: string | null = null,
  ): Promise<string | null> {
    const rows: { id: string }[] = await this.ds.query(
      `SELECT id FROM catalog.matter_catalog
       WHERE active AND category = $1 AND region_code IS NOT DISTINCT FROM $2 AND id IS DISTINCT FROM $3`,
      [category, regionCode, exceptId],
    );
    return rows[0]?.id ?? null;
  }

  async decide(
    id: string,
    d: { approve: boolean; by: string; note: string },
  ): Promise<CatalogApplicationRow | null | 'entry_gone' | 'matter_taken'> {
    return this.ds
      .transaction((m) => this.decideIn(m, id, d))
      .catch((err: unknown) => {
        // Another active entry holds the same matter (the unique index decides, races too).
        if ((err as { code?: string }).code === '23505') return 'matter_taken' as const;
        throw err;
      });
  }

  private async decideIn(
    m: EntityManager,
    id: string,
    d: { approve: boolean; by: string; note: string },
  ): Promise<CatalogApplicationRow | null | 'entry_gone'> {
    {
      const [app]: (CatalogApplicationRow & { regionGiven: boolean })[] = await m.query(
        `SELECT ${APPLICATION_COLUMNS}, region_given AS "regionGiven" FROM catalog.entry_applications
         WHERE id = $1 AND status = 'pending' FOR UPDATE`,
        [id],
      );
      if (!app) return null;
      let entryId = app.entryId;
      if (d.approve) {
        const input: CatalogApplicationInput = {
          action: app.action,
          entryId: app.entryId,
          name: app.name,
          category: app.category,
          priority: app.priority,
          reason: app.reason,
          ...(app.regionGiven ? { regionCode: app.regionCode } : {}),
        };
        if (app.action === 'add') {
          const e = entryAfter(input, null);
          entryId = `m-${e.category}-${id.slice(0, 8)}`;
          await m.query(
            `INSERT INTO catalog.matter_catalog (id, name, category, region_code, unit_id, priority)
             VALUES ($1,$2,$3,$4,$5,$6)`,
            [entryId, e.name, e.category, e.regionCode, app.unitId, e.priority],
          );
        } else {
          const [entry]: CatalogEntryRow[] = await m.query(
            `SELECT ${ENTRY_COLUMNS} FROM catalog.matter_catalog WHERE id = $1 AND active AND unit_id = $2 FOR UPDATE`,
            [app.entryId, app.unitId],
          );
          if (!entry) return 'entry_gone';
          if (app.action === 'remove')
            await m.query(`UPDATE catalog.matter_catalog SET active = false WHERE id = $1`, [entry.id]);
          else {
            const e = entryAfter(input, entry);
            await m.query(
              `UPDATE catalog.matter_catalog SET name = $2, category = $3, region_code = $4, priority = $5 WHERE id = $1`,
              [entry.id, e.name, e.category, e.regionCode, e.priority],
            );
          }
        }
      }
      const [row] = returnedRows<CatalogApplicationRow>(
        await m.query(
          `UPDATE catalog.entry_applications
           SET status = $2, decided_by = $3, decided_at = now(), decision_note = $4, entry_id = $5
           WHERE id = $1 RETURNING ${APPLICATION_COLUMNS}`,
          [id, d.approve ? 'approved' : 'refused', d.by, d.note, entryId],
        ),
      );
      return row;
    }
  }
}
