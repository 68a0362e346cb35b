import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { queryPage, returnedRows } from '@hotline/platform';
import type { RowsPage } from '@hotline/platform';
import type { KeyTaskSource } from '@hotline/shared';

/** What a report still pending reads once another's acceptance closed its indicator off. */
export const SETTLED_BY_CLOSE_OFF = '该指标已验收销号，本报告不再单独审核';

export interface KeyTaskRow {
  id: string;
  source: KeyTaskSource;
  title: string;
  description: string;
  leadUnitId: string;
  assistingUnitIds: string[];
  createdBy: string;
  createdAt: string;
  status: 'open' | 'closed_off';
  closedOffAt: string | null;
}
export interface IndicatorRow {
  id: string;
  taskId: string;
  name: string;
  target: string;
  dueAt: string;
  status: 'open' | 'reported' | 'closed_off';
  overdue: boolean;
  percent: number;
  closedOffAt: string | null;
}

const TASK = `id, source, title, description, lead_unit_id AS "leadUnitId", assisting_unit_ids AS "assistingUnitIds",
  created_by AS "createdBy", created_at AS "createdAt", status, closed_off_at AS "closedOffAt"`;
const IND = `id, task_id AS "taskId", name, target, due_at AS "dueAt", status, overdue, percent,
  closed_off_at AS "closedOffAt"`;

/** Key tasks, their indicators and the units' progress reports (督查督办系统). */
@Injectable()
export class KeyTasksRepository {
  constructor(private readonly ds: DataSource) {}

  transaction<T>(run: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(run);
  }

  async create(
    m: EntityManager,
    t: Omit<KeyTaskRow, 'status' | 'closedOffAt' | 'createdAt'>,
    indicators: { id: string; name: string; target: string; dueAt: string }[],
  ): Promise<void> {
    await m.query(
      `INSERT INTO supervision.key_tasks (id, source, title, description, lead_unit_id, assisting_unit_ids, created_by, created_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,now())`,
      [t.id, t.source, t.title, t.description, t.leadUnitId, t.assistingUnitIds, t.createdBy],
    );
    for (const i of indicators)
      await m.query(
        `INSERT INTO supervision.task_indicators (id, task_id, name, target, due_at) VALUES ($1,$2,$3,$4,$5)`,
        [i.id, t.id, i.name, i.target, i.dueAt],
      );
  }

  async find(
    id: string,
  ): Promise<(KeyTaskRow & { indicators: (IndicatorRow & { reports: unknown[] })[] }) | null> {
    const [t] = await this.ds.query(`SELECT ${TASK} FROM supervision.key_tasks WHERE id = $1`, [id]);
    if (!t) return null;
    const inds: IndicatorRow[] = await this.ds.query(
      `SELECT ${IND} FROM supervision.task_indicators WHERE task_id = $1 ORDER BY due_at, name`,
      [id],
    );
    const reports: (Record<string, unknown> & { indicatorId: string })[] = await this.ds.query(
      `SELECT r.id, r.indicator_id AS "indicatorId", r.unit_id AS "unitId", r.progress, r.percent, r.reported_by AS "reportedBy",
              r.reported_at AS "reportedAt", r.accepted, r.review_comment AS "reviewComment", r.reviewed_by AS "reviewedBy",
              r.reviewed_at AS "reviewedAt"
       FROM supervision.task_reports r JOIN supervision.task_indicators i ON i.id = r.indicator_id
       WHERE i.task_id = $1 ORDER BY r.reported_at`,
      [id],
    );
    return {
      ...t,
      indicators: inds.map((i) => ({ ...i, reports: reports.filter((r) => r.indicatorId === i.id) })),
    };
  }

  async list(f: {
    unitId?: string;
    status?: string;
    limit: number;
    offset: number;
  }): Promise<RowsPage<KeyTaskRow>> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (f.unitId)
      where.push(`(lead_unit_id = $${params.push(f.unitId)} OR $${params.length} = ANY(assisting_unit_ids))`);
    if (f.status) where.push(`status = $${params.push(f.status)}`);
    return queryPage<KeyTaskRow>(
      this.ds,
      {
        select: TASK,
        from: `FROM supervision.key_tasks ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`,
        orderBy: 'created_at DESC, id',
      },
      params,
      f,
    );
  }

  async report(r: {
    id: string;
    indicatorId: string;
    unitId: string;
    progress: string;
    percent: number;
    by: string;
  }): Promise<boolean> {
    return this.ds.transaction(async (m) => {
      // A repeat of the same report (the same id, derived from its Idempotency-Key) writes nothing.
      const inserted: unknown[] = await m.query(
        `INSERT INTO supervision.task_reports (id, indicator_id, unit_id, progress, percent, reported_by, reported_at)
         VALUES ($1,$2,$3,$4,$5,$6,now()) ON CONFLICT (id) DO NOTHING RETURNING id`,
        [r.id, r.indicatorId, r.unitId, r.progress, r.percent, r.by],
      );
      if (inserted.length === 0) return false;
      await m.query(
        `UPDATE supervision.task_indicators SET status = 'reported' WHERE id = $1 AND status <> 'closed_off'`,
        [r.indicatorId],
      );
      return true;
    });
  }

  /** Whether a report with this id was recorded (a repeat of it is answered, not refused). */
  async reportExists(id: string): Promise<boolean> {
    const rows: unknown[] = await this.ds.query(`SELECT 1 FROM supervision.task_reports WHERE id = $1`, [id]);
    return rows.length > 0;
  }

  /** One report of the indicator, with its review (null: waiting), or null. */
  async reportOf(
    indicatorId: string,
    reportId: string,
  ): Promise<{ id: string; percent: number; accepted: boolean | null } | null> {
    const [r] = await this.ds.query(
      `SELECT id, percent, accepted FROM supervision.task_reports WHERE indicator_id = $1 AND id = $2`,
      [indicatorId, reportId],
    );
    return r ?? null;
  }

  async pendingReport(indicatorId: string): Promise<{ id: string; percent: number } | null> {
    const [r] = await this.ds.query(
      `SELECT id, percent FROM supervision.task_reports WHERE indicator_id = $1 AND accepted IS NULL
       ORDER BY reported_at DESC LIMIT 1`,
      [indicatorId],
    );
    return r ?? null;
  }

  /**
   * The review of one report (the latest pending when it was read); accepted at 100 % closes the
   * indicator off, and the task with its last. False, and nothing written, when that report was
   * reviewed meanwhile (two reviews at once: the other went first). Other units' pending reports
   * stay pending, for their own review, unless this one closes the indicator off: then they are
   * settled with it (not accepted, SETTLED_BY_CLOSE_OFF).
   */
  async review(i: {
    indicatorId: string;
    reportId: string;
    accepted: boolean;
    comment: string | null;
    by: string;
    closeOff: boolean;
    percent: number;
  }): Promise<boolean> {
    return this.ds.transaction(async (m) => {
      const reviewed: unknown[] = await m.query(
        `UPDATE supervision.task_reports SET accepted = $3, review_comment = $4, reviewed_by = $5, reviewed_at = now()
         WHERE id = $1 AND indicator_id = $2 AND accepted IS NULL RETURNING id`,
        [i.reportId, i.indicatorId, i.accepted, i.comment, i.by],
      );
      if (returnedRows(reviewed).length === 0) return false;
      // Closed off, the indicator takes no more reviews: another unit's report still pending would
      // wait for good. It is settled with the close-off, not accepted, and says why.
      if (i.closeOff)
        await m.query(
          `UPDATE supervision.task_reports SET accepted = false, review_comment = $2, reviewed_by = $3, reviewed_at = now()
           WHERE indicator_id = $1 AND accepted IS NULL`,
          [i.indicatorId, SETTLED_BY_CLOSE_OFF, i.by],
        );
      await m.query(
        `UPDATE supervision.task_indicators SET
           status = CASE WHEN $2 THEN 'closed_off' ELSE 'open' END,
           percent = CASE WHEN $3 THEN $4 ELSE percent END,
           closed_off_at = CASE WHEN $2 THEN now() END
         WHERE id = $1`,
        [i.indicatorId, i.closeOff, i.accepted, i.percent],
      );
      await m.query(
        `UPDATE supervision.key_tasks t SET status = 'closed_off', closed_off_at = now()
         WHERE t.id = (SELECT task_id FROM supervision.task_indicators WHERE id = $1)
           AND NOT EXISTS (SELECT 1 FROM supervision.task_indicators i WHERE i.task_id = t.id AND i.status <> 'closed_off')`,
        [i.indicatorId],
      );
      return true;
    });
  }

  async indicatorTitle(indicatorId: string): Promise<{ taskTitle: string; indicatorName: string } | null> {
    const [r] = await this.ds.query(
      `SELECT t.title AS "taskTitle", i.name AS "indicatorName" FROM supervision.task_indicators i
       JOIN supervision.key_tasks t ON t.id = i.task_id WHERE i.id = $1`,
      [indicatorId],
    );
    return r ?? null;
  }
}
