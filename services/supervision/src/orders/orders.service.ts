import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Client } from '@temporalio/client';
import type { EntityManager } from 'typeorm';
import {
  actorOf,
  CONFIG,
  executeWorkflowUpdate,
  isUuid,
  decodeOrderCursor,
  pageOf,
  PolicyRepository,
  ProblemException,
  stableUuid,
  startWorkflowOnce,
  SupervisionOrderRepository,
  TEMPORAL_CLIENT,
} from '@hotline/platform';
import type { OrderRow } from '@hotline/platform';
import {
  listedUnit,
  monthKeyOf,
  ORDER_REMINDER_FRACTIONS,
  ORDER_RESPONSE_LIMITS,
  orderClock,
  orderQuota,
  parseAssessmentPeriod,
  refuseRespondWithin,
  WorkingCalendar,
} from '@hotline/shared';
import type { Actor, Duration, OrderKind, PlatformConfig, Principal, RaisedOrder } from '@hotline/shared';
import { TicketFactsRepository } from '../ticket-facts.repository';
import { KeyTasksRepository } from '../key-tasks/key-tasks.repository';

const workflowId = (orderId: string) => `supervision-order-${orderId}`;
const KIND_ZH: Record<OrderKind, string> = { reminder: '催办', order: '督办' };

/**
 * Reminders and supervision orders (催办 / 督办): raised by the triggers (ticket events) or by a
 * supervisor, each a SupervisionOrderWorkflow keeping its clock; the unit's answer, the
 * supervisor's review and a withdrawal reach the workflow as updates. A unit's clerk sees only
 * the orders addressed to its unit (another unit's is 404, never 403).
 */
/** What the unit and the supervisor read on an order withdrawn because its source was voided. */
export const VOIDED_SOURCE_REASON = '触发该督办的工单记录已更正（该事件并未实际发生），系统自动撤回。';
/** What the unit reads on an order withdrawn because the ticket was taken from it. */
export const UNIT_WITHDRAWN_REASON =
  '该工单已改由其他单位办理（退回获批或经协调确定其他牵头单位），本单位不再承办，系统自动撤回。';
/** Why an order to the former lead is withdrawn when the centre's coordination keeps it as assisting. */
export const LEAD_WITHDRAWN_REASON =
  '经协调该工单已改由其他单位牵头办理，本单位转为协办单位，原对牵头单位的督办事项系统自动撤回。';

@Injectable()
export class OrdersService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(OrdersService.name);
  private sweeper: NodeJS.Timeout | null = null;
  private sweeping = false;

  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(CONFIG) private readonly config: PlatformConfig,
    private readonly orders: SupervisionOrderRepository,
    private readonly policies: PolicyRepository,
    private readonly facts: TicketFactsRepository,
    private readonly tasks: KeyTasksRepository,
  ) {}

  /**
   * Raises an order: its workflow first (idempotent on the order's id), then its row and event in
   * the caller's transaction when given; a repeat of the same id or source key raises nothing (a
   * source key another order holds: not even a workflow; answers that order's id).
   */
  async raise(
    o: RaisedOrder & {
      id: string;
      sourceKey: string | null;
      sourceEventId?: string | null;
      ticketNo: string | null;
      taskId?: string | null;
      by: Actor;
      limit?: Duration;
    },
    m?: EntityManager,
  ): Promise<string> {
    // The condition has its order already (another event met it): no second workflow, which no
    // row would ever name, waits on its timers for nothing.
    const holder = o.sourceKey ? await this.orders.orderWithSourceKey(o.sourceKey, m) : null;
    if (holder !== null && holder !== o.id) return holder;
    const now = Date.now();
    const limit = o.limit ?? ORDER_RESPONSE_LIMITS[o.kind];
    const calendarData = await this.policies.calendarSnapshot('cn-mainland', new Date(now));
    const { respondBy } = orderClock(now, limit, ORDER_REMINDER_FRACTIONS, new WorkingCalendar(calendarData));
    const raisedAt = new Date(now).toISOString();
    await startWorkflowOnce(this.temporal, 'SupervisionOrderWorkflow', {
      workflowId: workflowId(o.id),
      taskQueue: this.config.temporalTaskQueue,
      args: [
        {
          orderId: o.id,
          unitId: o.unitId,
          raisedAt,
          limit,
          reminderFractions: [...ORDER_REMINDER_FRACTIONS],
          calendar: calendarData,
        },
      ],
      staticSummary: `${KIND_ZH[o.kind]} ${o.unitId}${o.ticketNo ? ` 工单 ${o.ticketNo}` : ''}`,
    });
    await this.orders.raise(
      {
        id: o.id,
        sourceKey: o.sourceKey,
        sourceEventId: o.sourceEventId ?? null,
        kind: o.kind,
        trigger: o.trigger,
        stage: o.stage,
        ticketNo: o.ticketNo,
        taskId: o.taskId ?? null,
        unitId: o.unitId,
        instruction: o.instruction,
        by: o.by,
        raisedAt,
        respondBy: new Date(respondBy).toISOString(),
      },
      m,
    );
    return o.id;
  }

  /** A supervisor's own order, on a ticket (its unit by default) or on a unit. */
  async raiseByHand(
    who: Principal,
    cmd: {
      ticketNo?: string;
      taskId?: string;
      unitId?: string;
      kind: OrderKind;
      instruction: string;
      respondWithin?: Duration;
    },
    key: string | null = null,
  ): Promise<OrderRow> {
    // A repeat under the caller's key is the order the first raised (whatever changed since).
    const id = key ? stableUuid(`manual-order:${who.userId}:${key}`) : randomUUID();
    if (key) {
      const raised = await this.orders.find(id);
      if (raised) return raised;
    }
    if (cmd.respondWithin) {
      // Measured on the calendar from now: working days and hours end later than their count says.
      const now = Date.now();
      const calendar = new WorkingCalendar(
        await this.policies.calendarSnapshot('cn-mainland', new Date(now)),
      );
      const bad = refuseRespondWithin(cmd.respondWithin, { now, calendar });
      if (bad) throw new ProblemException('validation_failed', bad, { field: 'respondWithin' });
    }
    let unitId = cmd.unitId ?? null;
    if (cmd.ticketNo) {
      const facts = await this.facts.find(cmd.ticketNo);
      if (!facts)
        throw new ProblemException('ticket_not_found', `no ticket ${cmd.ticketNo} known to supervision`);
      if (!facts.unitId)
        throw new ProblemException('action_rejected', 'the ticket has not been dispatched to a unit');
      if (unitId && unitId !== facts.unitId)
        throw new ProblemException(
          'validation_failed',
          `the ticket is with ${String(facts.unitId)}, not ${unitId}`,
        );
      unitId = facts.unitId as string;
    }
    if (cmd.ticketNo && cmd.taskId)
      throw new ProblemException('validation_failed', 'an order is on a ticket or on a key task, not both');
    if (cmd.taskId) {
      const task = isUuid(cmd.taskId) ? await this.tasks.find(cmd.taskId) : null;
      if (!task) throw new ProblemException('not_found', `no key task ${cmd.taskId}`);
      const units = [task.leadUnitId, ...task.assistingUnitIds];
      if (unitId && !units.includes(unitId))
        throw new ProblemException('validation_failed', `${unitId} neither leads nor assists the task`);
      unitId = unitId ?? task.leadUnitId;
    }
    if (!unitId)
      throw new ProblemException('validation_failed', 'a ticketNo, a taskId or a unitId is required');
    if (!(await this.facts.unitExists(unitId)))
      throw new ProblemException('unknown_unit', `no unit ${unitId}`);
    await this.raise({
      id,
      sourceKey: null,
      kind: cmd.kind,
      trigger: 'manual',
      stage:
        cmd.ticketNo && (await this.facts.find(cmd.ticketNo))?.status === 'closed'
          ? 'post_closure'
          : 'pre_closure',
      unitId,
      ticketNo: cmd.ticketNo ?? null,
      taskId: cmd.taskId ?? null,
      instruction: cmd.instruction.trim(),
      by: actorOf(who),
      limit: cmd.respondWithin,
    });
    return (await this.orders.find(id))!;
  }

  /** One order; a clerk sees only its unit's (another's is 404). */
  async get(who: Principal, id: string): Promise<OrderRow> {
    const o = isUuid(id) ? await this.orders.find(id) : null;
    if (!o || (who.role === 'unit_clerk' && o.unitId !== who.unitId))
      throw new ProblemException('order_not_found', `no order ${id}`);
    return o;
  }

  async list(
    who: Principal,
    q: {
      unitId?: string;
      status?: string;
      ticketNo?: string;
      kind?: string;
      overdue?: boolean;
      limit: number;
      offset: number;
      after?: string;
    },
  ) {
    const unitId = listedUnit(who, q.unitId);
    const after = q.after === undefined ? undefined : decodeOrderCursor(q.after);
    if (after === null)
      throw new ProblemException('validation_failed', 'after is not a cursor this list gave', {
        field: 'after',
      });
    if (after && q.offset !== 0)
      throw new ProblemException('validation_failed', 'give either after or offset, not both', {
        field: 'offset',
      });
    const { items, total, nextCursor } = await this.orders.list({ ...q, unitId, after });
    return { ...pageOf({ items, total }, q), nextCursor };
  }

  /**
   * An action on an open order. A closed one refuses it at once, unless the request carries an
   * Idempotency-Key: then Temporal answers, with the first outcome of that key's update (even on
   * the ended workflow), or, for a key it never saw, `order_closed`.
   */
  private async update(id: string, name: string, arg: unknown, key: string | null, who: Principal) {
    await executeWorkflowUpdate(this.temporal, workflowId(id), name, arg, {
      updateId: key ? `${name}:${who.userId}:${key}` : undefined,
      gone: () => new ProblemException('order_closed', 'the order is closed'),
    });
    return (await this.orders.find(id))!;
  }

  async answer(who: Principal, id: string, response: string, key: string | null) {
    const o = await this.get(who, id);
    if (o.status === 'closed' && !key) throw new ProblemException('order_closed', 'the order is closed');
    return this.update(id, 'answerOrder', { unitId: who.unitId, response, by: actorOf(who) }, key, who);
  }

  async review(
    who: Principal,
    id: string,
    accepted: boolean,
    comment: string | undefined,
    key: string | null,
  ) {
    const o = await this.get(who, id);
    // The acceptance that closed it, sent again (a retry without a key, a second click): the order as it stands.
    if (
      o.status === 'closed' &&
      o.outcome === 'accepted' &&
      accepted &&
      (comment ?? '').trim() === (o.reviewComment ?? '').trim()
    )
      return o;
    if (o.status === 'closed' && !key) throw new ProblemException('order_closed', 'the order is closed');
    return this.update(id, 'reviewOrder', { accepted, comment: comment ?? null, by: actorOf(who) }, key, who);
  }

  async withdraw(who: Principal, id: string, reason: string, key: string | null) {
    const o = await this.get(who, id);
    if (o.status === 'closed' && !key) throw new ProblemException('order_closed', 'the order is closed');
    return this.update(id, 'withdrawOrder', { reason, by: actorOf(who) }, key, who);
  }

  /**
   * Withdraws, as the platform, open orders whose triggering ticket event was voided (a lost
   * attempt's event: `ticket.record_corrected`). An order closed meanwhile (answered and accepted,
   * or withdrawn by hand) is left as it is; one Temporal did not take now stays marked, and the
   * sweep tries it again.
   */
  async withdrawForVoidedSource(orderIds: string[]): Promise<void> {
    await this.withdrawMarked(orderIds.map((id) => ({ id, reason: null })));
  }

  /**
   * Withdraws, as the platform, marked open orders: with their reason (null: their source was
   * voided). One closed meanwhile is left as it is; one Temporal did not take stays marked, and
   * the sweep tries it again.
   */
  async withdrawMarked(orders: { id: string; reason: string | null }[]): Promise<void> {
    for (const { id, reason } of orders)
      await executeWorkflowUpdate(
        this.temporal,
        workflowId(id),
        'withdrawOrder',
        { reason: reason ?? VOIDED_SOURCE_REASON, by: { kind: 'system' } },
        {
          updateId: reason === null ? `withdrawOrder:system:voided-source` : `withdrawOrder:system:marked`,
          gone: () => new ProblemException('order_closed', 'the order is closed'),
        },
      ).catch((err: unknown) => {
        if (err instanceof ProblemException && err.code === 'order_closed') return;
        this.logger.warn(`withdrawal of order ${id} left to the sweep: ${(err as Error).message}`);
      });
  }

  /** The backstop: withdraws what a failed or interrupted withdrawal left (marked, still open). */
  async sweepVoidedSources(graceMs = 10_000): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      await this.withdrawMarked(await this.orders.awaitingWithdrawal(graceMs, 100));
    } catch (err) {
      this.logger.warn(`sweep of voided-source orders failed: ${(err as Error).message}`);
    } finally {
      this.sweeping = false;
    }
  }

  onModuleInit(): void {
    this.sweeper = setInterval(() => void this.sweepVoidedSources(), 15_000);
    this.sweeper.unref();
  }

  onApplicationShutdown(): void {
    if (this.sweeper) clearInterval(this.sweeper);
  }

  /** The monthly quota (GS): orders this month against 20 % of last month's intake. */
  async quota(month?: string) {
    const key = month ?? monthKeyOf(Date.now());
    const period = parseAssessmentPeriod(key);
    if (!period || period.kind !== 'month')
      throw new ProblemException('validation_failed', 'month is YYYY-MM');
    const [y, mo] = key.split('-').map(Number);
    const last = parseAssessmentPeriod(mo === 1 ? `${y - 1}-12` : `${y}-${String(mo - 1).padStart(2, '0')}`);
    // The month before the first one periods are kept for has no intake to measure against.
    if (!last) throw new ProblemException('validation_failed', `no month before ${key} to measure against`);
    const intake = await this.facts.createdBetween(last.from, last.to);
    const raised = await this.orders.ordersRaised(period.from, period.to);
    return { month: key, label: period.label, ...orderQuota(intake, raised) };
  }
}
