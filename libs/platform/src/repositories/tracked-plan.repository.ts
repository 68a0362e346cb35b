import type { DataSource, EntityManager } from 'typeorm';
import { planDueAt } from '@hotline/shared';
import type { Actor, PlanStatus } from '@hotline/shared';
import { returnedRows } from '../db/returned-rows';
import { stableUuid } from './expert.repository';
import { queryPage } from './page';
import type { RowsPage } from './page';
import { appendSupervisionEvent } from './supervision.repository';

export interface TrackedPlanRow {
  ticketNo: string;
  unitId: string;
  /** The day the unit's reply promised, YYYY-MM-DD (China). */
  plannedCompletionDate: string;
  /** The end of that day: when a plan not reported done lapses. */
  dueAt: string;
  status: PlanStatus;
  trackedAt: string;
  lapsedAt: string | null;
  completedAt: string | null;
  completedBy: string | null;
  completionNote: string | null;
  /** When the close it was tracked on was voided (a ledger correction); null otherwise. */
  withdrawnAt: string | null;
}

const PLAN_COLUMNS = `ticket_no AS "ticketNo", unit_id AS "unitId",
  to_char(planned_completion_date, 'YYYY-MM-DD') AS "plannedCompletionDate", due_at AS "dueAt", status,
  tracked_at AS "trackedAt", lapsed_at AS "lapsedAt", completed_at AS "completedAt",
  completed_by AS "completedBy", completion_note AS "completionNote", withdrawn_at AS "withdrawnAt"`;

const SYSTEM: Actor = { kind: 'system' };

/**
 * Tracked plans (跟踪计划): a closed ticket's accepted plan, until its unit reports it done or it
 * lapses at the end of its day (its PlanDeadlineWorkflow marks it, once, and announces
 * `supervision.plan_due`, which raises the order).
 */
export class TrackedPlanRepository {
  constructor(
    private readonly ds: DataSource,
    private readonly kafkaPrefix: string,
  ) {}

  /**
   * Tracks the plan of a closed ticket, from supervision's facts (the day the last reply promised),
   * in the caller's transaction; a plan withdrawn before is tracked again. The plan, or null when
   * the ticket is not closed, the reply promised none, or the plan is tracked already (a
   * redelivered event).
   */
  async trackOnClose(ticketNo: string, m: EntityManager): Promise<TrackedPlanRow | null> {
    const [facts] = await m.query(
      `SELECT unit_id AS "unitId", to_char(planned_completion_date, 'YYYY-MM-DD') AS day
       FROM supervision.ticket_facts WHERE ticket_no = $1 AND closed_at IS NOT NULL`,
      [ticketNo],
    );
    if (!facts?.day || !facts.unitId) return null;
    const [row] = returnedRows<TrackedPlanRow>(
      await m.query(
        `INSERT INTO supervision.tracked_plans (ticket_no, unit_id, planned_completion_date, due_at)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (ticket_no) DO UPDATE SET unit_id = EXCLUDED.unit_id,
           planned_completion_date = EXCLUDED.planned_completion_date, due_at = EXCLUDED.due_at,
           status = 'tracking', tracked_at = now(), withdrawn_at = NULL
         WHERE tracked_plans.status = 'withdrawn'
         RETURNING ${PLAN_COLUMNS}`,
        [ticketNo, facts.unitId, facts.day, planDueAt(facts.day)],
      ),
    );
    return row ?? null;
  }

  /**
   * The close a plan was tracked on was voided: a plan still tracking is withdrawn (true); one
   * lapsed or done stays as it was, as an order already closed does.
   */
  async withdraw(ticketNo: string, m: EntityManager): Promise<boolean> {
    const rows: unknown[] = await m.query(
      `UPDATE supervision.tracked_plans SET status = 'withdrawn', withdrawn_at = now()
       WHERE ticket_no = $1 AND status = 'tracking' RETURNING ticket_no`,
      [ticketNo],
    );
    return returnedRows(rows).length > 0;
  }

  /**
   * At the end of its day: a plan still tracked lapses and is announced (once, however often the
   * activity runs). True when it lapsed now, false when it was done (or had lapsed, or was
   * withdrawn, or is now tracked on another day than the clock's `dueAt`), null when there is no
   * such plan (yet: its clock starts just before the projection commits).
   */
  async due(ticketNo: string, dueAt?: string): Promise<boolean | null> {
    return this.ds.transaction(async (m) => {
      const [row] = returnedRows<TrackedPlanRow>(
        await m.query(
          `UPDATE supervision.tracked_plans SET status = 'lapsed', lapsed_at = now()
           WHERE ticket_no = $1 AND status = 'tracking' AND ($2::timestamptz IS NULL OR due_at = $2)
           RETURNING ${PLAN_COLUMNS}`,
          [ticketNo, dueAt ?? null],
        ),
      );
      if (!row) {
        const known: unknown[] = await m.query(
          `SELECT 1 FROM supervision.tracked_plans WHERE ticket_no = $1`,
          [ticketNo],
        );
        return known.length > 0 ? false : null;
      }
      await appendSupervisionEvent(m, this.kafkaPrefix, {
        id: stableUuid(`plan_due:${ticketNo}`),
        type: 'supervision.plan_due',
        subjectId: ticketNo,
        actor: SYSTEM,
        data: {
          ticketNo,
          unitId: row.unitId,
          plannedCompletionDate: row.plannedCompletionDate,
          dueAt: new Date(row.dueAt).toISOString(),
        },
      });
      return true;
    });
  }

  async find(ticketNo: string): Promise<TrackedPlanRow | null> {
    const rows: TrackedPlanRow[] = await this.ds.query(
      `SELECT ${PLAN_COLUMNS} FROM supervision.tracked_plans WHERE ticket_no = $1`,
      [ticketNo],
    );
    return rows[0] ?? null;
  }

  /** The unit reports the plan done (from tracking or lapsed); false when it was done already. */
  async complete(ticketNo: string, by: string, note: string): Promise<boolean> {
    const rows: unknown[] = await this.ds.query(
      `UPDATE supervision.tracked_plans
       SET status = 'done', completed_at = now(), completed_by = $2, completion_note = $3
       WHERE ticket_no = $1 AND status <> 'done' RETURNING ticket_no`,
      [ticketNo, by, note],
    );
    return returnedRows(rows).length > 0;
  }

  /** Due soonest first; what is done or withdrawn last. */
  async list(f: {
    unitId?: string;
    status?: string;
    limit: number;
    offset: number;
  }): Promise<RowsPage<TrackedPlanRow>> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (f.unitId) where.push(`unit_id = $${params.push(f.unitId)}`);
    if (f.status) where.push(`status = $${params.push(f.status)}`);
    return queryPage<TrackedPlanRow>(
      this.ds,
      {
        select: PLAN_COLUMNS,
        from: `FROM supervision.tracked_plans ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`,
        orderBy: `(status IN ('done', 'withdrawn')), due_at, ticket_no`,
      },
      params,
      f,
    );
  }
}
