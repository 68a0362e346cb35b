import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { recordServiceEvent } from '../outbox/service-events';
import type { RowsPage } from './page';
import {
  parseSupervisionEvent,
  SUPERVISION_EVENT_VERSION,
  SUPERVISION_EVENTS_TOPIC,
  topicName,
} from '@hotline/shared';
import type {
  Actor,
  AnySupervisionEvent,
  OrderKind,
  OrderOutcome,
  OrderStage,
  OrderTrigger,
  SupervisionEventDataMap,
  SupervisionEventType,
} from '@hotline/shared';
import { returnedRows } from '../db/returned-rows';
import { encodeOrderCursor } from './desk-cursor';
import type { OrderCursor } from './desk-cursor';
import { stableUuid } from './expert.repository';

export interface PendingSupervisionEvent<T extends SupervisionEventType = SupervisionEventType> {
  /** Give a stable id when the write may be retried (an activity): a repeat then records nothing. */
  id?: string;
  type: T;
  subjectId: string;
  actor: Actor;
  data: SupervisionEventDataMap[T];
  occurredAt?: string;
}

/**
 * Records a supervision event in supervision.events and its outbox row, inside the caller's
 * transaction. Idempotent on the event id; null when that id was recorded before.
 */
export async function appendSupervisionEvent<T extends SupervisionEventType>(
  m: EntityManager,
  kafkaPrefix: string,
  pending: PendingSupervisionEvent<T>,
): Promise<AnySupervisionEvent | null> {
  const event = parseSupervisionEvent({
    id: pending.id ?? randomUUID(),
    type: pending.type,
    version: SUPERVISION_EVENT_VERSION,
    subjectId: pending.subjectId,
    occurredAt: pending.occurredAt ?? new Date().toISOString(),
    actor: pending.actor,
    data: pending.data,
  });
  const recorded = await recordServiceEvent(
    m,
    {
      table: 'supervision.events',
      keyColumn: 'subject_id',
      topic: topicName({ kafkaPrefix }, SUPERVISION_EVENTS_TOPIC),
    },
    event,
    event.subjectId,
  );
  if (!recorded) return null;
  return event;
}

export interface OrderRow {
  id: string;
  kind: OrderKind;
  trigger: OrderTrigger;
  stage: OrderStage;
  ticketNo: string | null;
  /** A key task the order is about (an overdue indicator, or raised by hand on the task). */
  taskId: string | null;
  unitId: string;
  instruction: string;
  raisedBy: string;
  raisedAt: string;
  respondBy: string;
  round: number;
  status: 'open' | 'answered' | 'closed';
  reminders: number;
  overdue: boolean;
  wentOverdue: boolean;
  sentBack: number;
  response: string | null;
  answeredBy: string | null;
  answeredAt: string | null;
  late: boolean | null;
  reviewComment: string | null;
  reviewedBy: string | null;
  reviewedAt: string | null;
  outcome: OrderOutcome | null;
  closedAt: string | null;
}

const ORDER_COLUMNS = `id, kind, trigger, stage, ticket_no AS "ticketNo", task_id AS "taskId", unit_id AS "unitId", instruction,
  raised_by AS "raisedBy", raised_at AS "raisedAt", respond_by AS "respondBy", round, status, reminders, overdue,
  went_overdue AS "wentOverdue", sent_back AS "sentBack", response, answered_by AS "answeredBy",
  answered_at AS "answeredAt", late, review_comment AS "reviewComment", reviewed_by AS "reviewedBy",
  reviewed_at AS "reviewedAt", outcome, closed_at AS "closedAt"`;

export interface NewOrder {
  id: string;
  /** For an automatic trigger: the same key never raises a second order. */
  sourceKey: string | null;
  /** The ticket event that raised it (an automatic trigger on a ticket event). */
  sourceEventId?: string | null;
  kind: OrderKind;
  trigger: OrderTrigger;
  stage: OrderStage;
  ticketNo: string | null;
  taskId?: string | null;
  unitId: string;
  instruction: string;
  by: Actor;
  raisedAt: string;
  respondBy: string;
}

const SYSTEM: Actor = { kind: 'system' };
const byOf = (a: Actor) => (a.kind === 'user' ? a.userId : 'system');

/**
 * Supervision orders (催办 / 督办): the row the desks read, and every change an event through the
 * outbox. The order's workflow calls the marks (reminded, overdue, answered, reviewed, withdrawn);
 * each is recorded once however often the activity runs.
 */
export class SupervisionOrderRepository {
  constructor(
    private readonly ds: DataSource,
    private readonly kafkaPrefix: string,
  ) {}

  /** The order's id for an automatic trigger: the same trigger never raises two. */
  static idFor(sourceKey: string): string {
    return stableUuid(`supervision-order:${sourceKey}`);
  }

  /** Records a raised order; false when it exists (same id or same source key). */
  async raise(o: NewOrder, m?: EntityManager): Promise<boolean> {
    const run = async (tx: EntityManager) => {
      const rows: unknown[] = await tx.query(
        `INSERT INTO supervision.orders (id, source_key, kind, trigger, stage, ticket_no, unit_id, instruction,
           raised_by, raised_at, respond_by, task_id, source_event_id)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13) ON CONFLICT DO NOTHING RETURNING id`,
        [
          o.id,
          o.sourceKey,
          o.kind,
          o.trigger,
          o.stage,
          o.ticketNo,
          o.unitId,
          o.instruction,
          byOf(o.by),
          o.raisedAt,
          o.respondBy,
          o.taskId ?? null,
          o.sourceEventId ?? null,
        ],
      );
      if (rows.length === 0) return false;
      await appendSupervisionEvent(tx, this.kafkaPrefix, {
        id: stableUuid(`order_raised:${o.id}`),
        type: 'supervision.order_raised',
        subjectId: o.id,
        actor: o.by,
        occurredAt: o.raisedAt,
        data: {
          orderId: o.id,
          kind: o.kind,
          trigger: o.trigger,
          stage: o.stage,
          unitId: o.unitId,
          ticketNo: o.ticketNo,
          instruction: o.instruction,
          respondBy: o.respondBy,
        },
      });
      return true;
    };
    return m ? run(m) : this.ds.transaction(run);
  }

  /** Whether an order was raised under this source key (checked before starting a workflow for it). */
  /** The order that holds a source key now, if any. */
  async orderWithSourceKey(sourceKey: string, m?: EntityManager): Promise<string | null> {
    const rows: { id: string }[] = await (m ?? this.ds).query(
      `SELECT id FROM supervision.orders WHERE source_key = $1`,
      [sourceKey],
    );
    return rows[0]?.id ?? null;
  }

  async sourceKeyTaken(sourceKey: string, m: EntityManager): Promise<boolean> {
    const rows: unknown[] = await m.query(`SELECT 1 FROM supervision.orders WHERE source_key = $1`, [
      sourceKey,
    ]);
    return rows.length > 0;
  }

  /**
   * Marks the open orders of a ticket that these (now voided) events raised: they are to be
   * withdrawn. Their source key is released, so that the condition, should a real event meet it
   * later, raises an order again. Returns the orders' ids.
   */
  async sourceVoided(ticketNo: string, eventIds: string[], m: EntityManager): Promise<string[]> {
    const rows = returnedRows<{ id: string }>(
      await m.query(
        `UPDATE supervision.orders SET source_voided_at = now(), source_key = source_key || ':voided:' || id
         WHERE ticket_no = $1 AND source_event_id = ANY($2::uuid[]) AND status <> 'closed'
           AND source_voided_at IS NULL
         RETURNING id`,
        [ticketNo, eventIds],
      ),
    );
    return rows.map((r) => r.id);
  }

  /**
   * Marks the open order raised under this source key as to be withdrawn (its ground was taken
   * back by a correction) and releases the key, as `sourceVoided` does. Returns its id, if any.
   */
  async sourceKeyVoided(sourceKey: string, m: EntityManager): Promise<string[]> {
    const rows = returnedRows<{ id: string }>(
      await m.query(
        `UPDATE supervision.orders SET source_voided_at = now(), source_key = source_key || ':voided:' || id
         WHERE source_key = $1 AND status <> 'closed' AND source_voided_at IS NULL
         RETURNING id`,
        [sourceKey],
      ),
    );
    return rows.map((r) => r.id);
  }

  /**
   * Marks the open orders on a ticket addressed to units it was taken from (an approved return,
   * the centre's coordination) as to be withdrawn, with the reason, and releases their source keys
   * (a standing condition then raises its order to the unit that has the ticket). Returns their ids.
   */
  async unitsWithdrawn(
    ticketNo: string,
    unitIds: string[],
    reason: string,
    m: EntityManager,
  ): Promise<string[]> {
    if (unitIds.length === 0) return [];
    const rows = returnedRows<{ id: string }>(
      await m.query(
        `UPDATE supervision.orders SET source_voided_at = now(), withdrawal_reason = $3,
           source_key = source_key || ':withdrawn:' || id
         WHERE ticket_no = $1 AND unit_id = ANY($2::text[]) AND status <> 'closed'
           AND source_voided_at IS NULL
         RETURNING id`,
        [ticketNo, unitIds, reason],
      ),
    );
    return rows.map((r) => r.id);
  }

  /**
   * Orders marked to withdraw more than `graceMs` ago and still open, with why (null: their source
   * was voided).
   */
  async awaitingWithdrawal(graceMs: number, limit: number): Promise<{ id: string; reason: string | null }[]> {
    return this.ds.query(
      `SELECT id, withdrawal_reason AS reason FROM supervision.orders
       WHERE source_voided_at IS NOT NULL AND status <> 'closed'
         AND source_voided_at < now() - make_interval(secs => $1)
       ORDER BY source_voided_at LIMIT $2`,
      [graceMs / 1000, limit],
    );
  }

  async find(id: string): Promise<OrderRow | null> {
    const rows: OrderRow[] = await this.ds.query(
      `SELECT ${ORDER_COLUMNS} FROM supervision.orders WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  async list(f: {
    unitId?: string;
    status?: string;
    ticketNo?: string;
    kind?: string;
    overdue?: boolean;
    limit: number;
    offset: number;
    after?: OrderCursor;
  }): Promise<RowsPage<OrderRow> & { nextCursor: string | null }> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (f.unitId) where.push(`unit_id = $${params.push(f.unitId)}`);
    if (f.status) where.push(`status = $${params.push(f.status)}`);
    if (f.ticketNo) where.push(`ticket_no = $${params.push(f.ticketNo)}`);
    if (f.kind) where.push(`kind = $${params.push(f.kind)}`);
    if (f.overdue !== undefined) where.push(`overdue = $${params.push(f.overdue)}`);
    const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ total }] = await this.ds.query(
      `SELECT count(*)::int AS total FROM supervision.orders ${filter}`,
      params,
    );
    // After a cursor: the orders behind that one in the list's order, however the list changed.
    const after = f.after
      ? `${filter ? ' AND' : 'WHERE'} ((status = 'closed'), respond_by, id) > ($${params.push(f.after.closed)}::boolean,
           $${params.push(f.after.respondBy)}::timestamptz, $${params.push(f.after.id)}::uuid)`
      : '';
    const rows: (OrderRow & { cursorAt: string; cursorClosed: boolean })[] = await this.ds.query(
      `SELECT ${ORDER_COLUMNS}, (status = 'closed') AS "cursorClosed",
              to_char(respond_by AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "cursorAt"
       FROM supervision.orders ${filter}${after}
       ORDER BY (status = 'closed'), respond_by, id
       LIMIT $${params.push(f.limit + 1)} OFFSET $${params.push(f.after ? 0 : f.offset)}`,
      params,
    );
    const more = rows.length > f.limit;
    const page = rows.slice(0, f.limit);
    const last = page[page.length - 1];
    return {
      items: page.map(({ cursorAt: _at, cursorClosed: _closed, ...r }) => r as OrderRow),
      total,
      nextCursor:
        more && last
          ? encodeOrderCursor({ closed: last.cursorClosed, respondBy: last.cursorAt, id: last.id })
          : null,
    };
  }

  /** A mark on the order and its event, in one transaction; nothing when the order is missing. */
  private async mark<T extends SupervisionEventType>(
    orderId: string,
    sql: string,
    params: unknown[],
    event: (row: { unitId: string; ticketNo: string | null }) => PendingSupervisionEvent<T>,
  ): Promise<void> {
    await this.ds.transaction(async (m) => {
      const [row] = returnedRows<{ unitId: string; ticketNo: string | null }>(
        await m.query(
          `UPDATE supervision.orders SET ${sql} WHERE id = $1 RETURNING unit_id AS "unitId", ticket_no AS "ticketNo"`,
          [orderId, ...params],
        ),
      );
      if (!row) return;
      await appendSupervisionEvent(m, this.kafkaPrefix, event(row));
    });
  }

  reminded(i: { orderId: string; round: number; n: number; respondBy: string }): Promise<void> {
    return this.mark(i.orderId, `reminders = reminders + 1`, [], (r) => ({
      id: stableUuid(`order_reminded:${i.orderId}:${i.round}:${i.n}`),
      type: 'supervision.order_reminded',
      subjectId: i.orderId,
      actor: SYSTEM,
      data: { orderId: i.orderId, unitId: r.unitId, round: i.round, respondBy: i.respondBy },
    }));
  }

  overdue(i: { orderId: string; round: number; respondBy: string }): Promise<void> {
    return this.mark(i.orderId, `overdue = true, went_overdue = true`, [], (r) => ({
      id: stableUuid(`order_overdue:${i.orderId}:${i.round}`),
      type: 'supervision.order_overdue',
      subjectId: i.orderId,
      actor: SYSTEM,
      data: { orderId: i.orderId, unitId: r.unitId, round: i.round, respondBy: i.respondBy },
    }));
  }

  answered(i: {
    orderId: string;
    round: number;
    response: string;
    by: Actor & { userId: string };
    late: boolean;
  }): Promise<void> {
    return this.mark(
      i.orderId,
      `status = 'answered', response = $2, answered_by = $3, answered_at = now(), late = $4`,
      [i.response, i.by.userId, i.late],
      (r) => ({
        id: stableUuid(`order_answered:${i.orderId}:${i.round}`),
        type: 'supervision.order_answered',
        subjectId: i.orderId,
        actor: i.by,
        data: { orderId: i.orderId, unitId: r.unitId, round: i.round, response: i.response, late: i.late },
      }),
    );
  }

  /** The review: accepted closes the order (and records its closure); sent back opens the next round. */
  async reviewed(i: {
    orderId: string;
    round: number;
    accepted: boolean;
    comment: string;
    by: Actor & { userId: string };
    nextRespondBy: string | null;
  }): Promise<void> {
    await this.ds.transaction(async (m) => {
      const [row] = returnedRows<{ unitId: string; ticketNo: string | null }>(
        await m.query(
          `UPDATE supervision.orders SET review_comment = $2, reviewed_by = $3, reviewed_at = now(),
             status = CASE WHEN $4 THEN 'closed' ELSE 'open' END,
             outcome = CASE WHEN $4 THEN 'accepted' ELSE outcome END,
             closed_at = CASE WHEN $4 THEN now() ELSE closed_at END,
             sent_back = sent_back + CASE WHEN $4 THEN 0 ELSE 1 END,
             round = CASE WHEN $4 THEN round ELSE round + 1 END,
             respond_by = coalesce($5, respond_by), overdue = CASE WHEN $4 THEN overdue ELSE false END
           WHERE id = $1 AND round = $6 AND status = 'answered'
           RETURNING unit_id AS "unitId", ticket_no AS "ticketNo"`,
          [i.orderId, i.comment, i.by.userId, i.accepted, i.nextRespondBy, i.round],
        ),
      );
      if (!row) return;
      await appendSupervisionEvent(m, this.kafkaPrefix, {
        id: stableUuid(`order_reviewed:${i.orderId}:${i.round}`),
        type: 'supervision.order_reviewed',
        subjectId: i.orderId,
        actor: i.by,
        data: {
          orderId: i.orderId,
          unitId: row.unitId,
          round: i.round,
          accepted: i.accepted,
          comment: i.comment,
          respondBy: i.accepted ? null : i.nextRespondBy,
        },
      });
      if (i.accepted)
        await appendSupervisionEvent(m, this.kafkaPrefix, {
          id: stableUuid(`order_closed:${i.orderId}`),
          type: 'supervision.order_closed',
          subjectId: i.orderId,
          actor: i.by,
          data: { orderId: i.orderId, unitId: row.unitId, outcome: 'accepted', ticketNo: row.ticketNo },
        });
    });
  }

  /** Withdrawn by a supervisor, or by the platform (`reviewed_by` null) when its source was voided. */
  withdrawn(i: { orderId: string; reason: string; by: Actor }): Promise<void> {
    return this.mark(
      i.orderId,
      `status = 'closed', outcome = 'withdrawn', closed_at = now(), review_comment = $2, reviewed_by = $3,
       reviewed_at = now()`,
      [i.reason, i.by.kind === 'user' ? (i.by.userId ?? null) : null],
      (r) => ({
        id: stableUuid(`order_closed:${i.orderId}`),
        type: 'supervision.order_closed',
        subjectId: i.orderId,
        actor: i.by,
        data: { orderId: i.orderId, unitId: r.unitId, outcome: 'withdrawn', ticketNo: r.ticketNo },
      }),
    );
  }

  /** The quota's figures: orders (督办, not reminders) raised in [from, to). */
  async ordersRaised(from: string, to: string): Promise<number> {
    const [r] = await this.ds.query(
      // A withdrawn order (its ground voided by a correction of the record) supervised nothing.
      `SELECT count(*)::int AS n FROM supervision.orders
       WHERE kind = 'order' AND raised_at >= $1 AND raised_at < $2 AND outcome IS DISTINCT FROM 'withdrawn'`,
      [from, to],
    );
    return r.n;
  }

  /** What the escalation rule reads: the unit's orders since a time. */
  async unitRecord(
    unitId: string,
    since: string,
  ): Promise<{ trigger: OrderTrigger; raisedAt: string; wentOverdue: boolean; sentBack: boolean }[]> {
    return this.ds.query(
      `SELECT trigger, raised_at AS "raisedAt", went_overdue AS "wentOverdue", sent_back > 0 AS "sentBack"
       FROM supervision.orders WHERE unit_id = $1 AND raised_at >= $2 AND outcome IS DISTINCT FROM 'withdrawn'`,
      [unitId, since],
    );
  }
}

/** A key task's indicator at its date: marked overdue (unless closed off), and an event. */
export class IndicatorDeadlineRepository {
  constructor(
    private readonly ds: DataSource,
    private readonly kafkaPrefix: string,
  ) {}

  /**
   * Marks the indicator overdue at its date, unless it was closed off: true when marked (announced
   * once), false when closed off, null when there is no such indicator (yet: the clocks start just
   * before their key task commits).
   */
  async due(indicatorId: string): Promise<boolean | null> {
    return this.ds.transaction(async (m) => {
      const [row] = returnedRows<{ taskId: string; unitId: string; dueAt: Date }>(
        await m.query(
          `UPDATE supervision.task_indicators i SET overdue = true FROM supervision.key_tasks t
           WHERE i.id = $1 AND t.id = i.task_id AND i.status <> 'closed_off'
           RETURNING i.task_id AS "taskId", t.lead_unit_id AS "unitId", i.due_at AS "dueAt"`,
          [indicatorId],
        ),
      );
      if (!row) {
        const known: unknown[] = await m.query(`SELECT 1 FROM supervision.task_indicators WHERE id = $1`, [
          indicatorId,
        ]);
        return known.length > 0 ? false : null;
      }
      await appendSupervisionEvent(m, this.kafkaPrefix, {
        id: stableUuid(`indicator_due:${indicatorId}`),
        type: 'supervision.indicator_due',
        subjectId: row.taskId,
        actor: SYSTEM,
        data: {
          taskId: row.taskId,
          indicatorId,
          unitId: row.unitId,
          dueAt: new Date(row.dueAt).toISOString(),
        },
      });
      return true;
    });
  }
}
