import type { DataSource } from 'typeorm';
import { returnedRows } from '../db/returned-rows';
import { queryPage } from './page';
import type { RowsPage } from './page';
import type { Actor, ReconsiderationOutcome } from '@hotline/shared';
import { appendEvaluationEvent } from './evaluation-events';
import { stableUuid } from './expert.repository';

export interface ReconsiderationRow {
  ticketNo: string;
  id: string;
  unitId: string | null;
  reason: string;
  requestedBy: string;
  requestedAt: string;
  decideBy: string;
  reminders: number;
  overdue: boolean;
  status: 'requested' | 'decided';
  outcome: ReconsiderationOutcome | null;
  decision: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  late: boolean | null;
}

const COLUMNS = `ticket_no AS "ticketNo", id, unit_id AS "unitId", reason, requested_by AS "requestedBy",
  requested_at AS "requestedAt", decide_by AS "decideBy", reminders, overdue, status, outcome, decision,
  decided_by AS "decidedBy", decided_at AS "decidedAt", late`;

/** Reconsideration (复查, GS): the request, its clock's marks and the decision, each an event. */
export class ReconsiderationRepository {
  constructor(
    private readonly ds: DataSource,
    private readonly kafkaPrefix: string,
  ) {}

  /** Records the request (once per ticket): false when one exists. */
  async request(r: {
    ticketNo: string;
    id: string;
    unitId: string;
    reason: string;
    by: Actor & { userId: string };
    requestedAt: string;
    decideBy: string;
  }): Promise<boolean> {
    return this.ds.transaction(async (m) => {
      const rows: unknown[] = await m.query(
        `INSERT INTO evaluation.reconsiderations
           (ticket_no, id, unit_id, reason, requested_by, requested_at, decide_by, status)
         VALUES ($1,$2,$3,$4,$5,$6,$7,'requested') ON CONFLICT (ticket_no) DO NOTHING RETURNING id`,
        [r.ticketNo, r.id, r.unitId, r.reason, r.by.userId, r.requestedAt, r.decideBy],
      );
      if (rows.length === 0) return false;
      await appendEvaluationEvent(m, this.kafkaPrefix, {
        id: r.id,
        type: 'evaluation.reconsideration_requested',
        ticketNo: r.ticketNo,
        actor: r.by,
        occurredAt: r.requestedAt,
        data: { reconsiderationId: r.id, unitId: r.unitId, reason: r.reason, decideBy: r.decideBy },
      });
      return true;
    });
  }

  async reminded(ticketNo: string, n: number, dueAt: string): Promise<void> {
    await this.ds.transaction(async (m) => {
      const [row] = returnedRows<{ id: string }>(
        await m.query(
          `UPDATE evaluation.reconsiderations SET reminders = greatest(reminders, $2) WHERE ticket_no = $1
           RETURNING id`,
          [ticketNo, n],
        ),
      );
      const id = row?.id;
      if (!id) return;
      await appendEvaluationEvent(m, this.kafkaPrefix, {
        id: stableUuid(`reconsideration_reminded:${ticketNo}:${n}`),
        type: 'evaluation.reconsideration_reminded',
        ticketNo,
        actor: { kind: 'system' },
        data: { reconsiderationId: id, dueAt },
      });
    });
  }

  async overdue(ticketNo: string, dueAt: string): Promise<void> {
    await this.ds.transaction(async (m) => {
      const [row] = returnedRows<{ id: string }>(
        await m.query(
          `UPDATE evaluation.reconsiderations SET overdue = true WHERE ticket_no = $1 RETURNING id`,
          [ticketNo],
        ),
      );
      const id = row?.id;
      if (!id) return;
      await appendEvaluationEvent(m, this.kafkaPrefix, {
        id: stableUuid(`reconsideration_overdue:${ticketNo}`),
        type: 'evaluation.reconsideration_overdue',
        ticketNo,
        actor: { kind: 'system' },
        data: { reconsiderationId: id, dueAt },
      });
    });
  }

  async decide(d: {
    ticketNo: string;
    outcome: ReconsiderationOutcome;
    decision: string;
    userId: string;
    late: boolean;
  }): Promise<void> {
    await this.ds.transaction(async (m) => {
      const [row] = returnedRows<{ id: string; unitId: string | null }>(
        await m.query(
          `UPDATE evaluation.reconsiderations SET status = 'decided', outcome = $2, decision = $3, decided_by = $4,
           decided_at = now(), late = $5
         WHERE ticket_no = $1 AND status = 'requested' RETURNING id, unit_id AS "unitId"`,
          [d.ticketNo, d.outcome, d.decision, d.userId, d.late],
        ),
      );
      const r = row;
      if (!r) return;
      await appendEvaluationEvent(m, this.kafkaPrefix, {
        id: stableUuid(`reconsideration_decided:${d.ticketNo}`),
        type: 'evaluation.reconsideration_decided',
        ticketNo: d.ticketNo,
        actor: { kind: 'user', userId: d.userId },
        data: {
          reconsiderationId: r.id,
          unitId: r.unitId ?? '-',
          outcome: d.outcome,
          decision: d.decision,
          late: d.late,
        },
      });
    });
  }

  async find(ticketNo: string): Promise<ReconsiderationRow | null> {
    const rows = await this.ds.query(
      `SELECT ${COLUMNS} FROM evaluation.reconsiderations WHERE ticket_no = $1`,
      [ticketNo],
    );
    return rows[0] ?? null;
  }

  async list(f: { status?: string; limit: number; offset: number }): Promise<RowsPage<ReconsiderationRow>> {
    return queryPage<ReconsiderationRow>(
      this.ds,
      {
        select: COLUMNS,
        from: `FROM evaluation.reconsiderations WHERE ($1::text IS NULL OR status = $1)`,
        orderBy: 'decide_by, ticket_no',
      },
      [f.status ?? null],
      f,
    );
  }
}
