import { randomUUID } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { WorkflowUpdateStage, type WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { CN_MAINLAND_CALENDAR, ORDER_RESPONSE_LIMITS, orderClock, WorkingCalendar } from '@hotline/shared';
import type { SupervisionOrderActivities } from '../src/supervision/order/supervision-order.activities';
import type { IndicatorDeadlineActivities } from '../src/supervision/indicator/indicator-deadline.activities';
import type { PlanDeadlineActivities } from '../src/supervision/plan/plan-deadline.activities';
import type {
  SupervisionOrderInput,
  SupervisionOrderState,
} from '../src/supervision/order/supervision-order.workflow';
import { rejection, skipTo, timeSkipping, until as reach } from './helpers';

/**
 * A supervision order's clock (督办: 3 working days to answer, reminders at the policy's fractions,
 * overdue at the limit), its review (accepted closes it; sent back opens a new round with a fresh
 * limit) and withdrawal, under time skipping, both sides of every boundary. Activities are fakes.
 */
const MIN = 60_000;
const cal = new WorkingCalendar(CN_MAINLAND_CALENDAR);
const clerk = {
  kind: 'user' as const,
  userId: 'clerk.transport',
  role: 'unit_clerk' as const,
  unitId: 'transport',
};
const supervisor = { kind: 'user' as const, userId: 'supervisor', role: 'supervisor' as const };

describe('SupervisionOrderWorkflow (time-skipping)', () => {
  let env: TestWorkflowEnvironment;
  const taskQueue = `orders-${randomUUID()}`;
  const log: { orderId: string; what: string; at: number }[] = [];
  const note = async (orderId: string, what: string) =>
    void log.push({ orderId, what, at: await env.currentTimeMs() });

  const closedOff = new Set<string>();
  const slow = new Set<string>();
  const reportedDone = new Set<string>();
  const activities: SupervisionOrderActivities & IndicatorDeadlineActivities & PlanDeadlineActivities = {
    markPlanDue: async (p) => {
      await note(p.ticketNo, reportedDone.has(p.ticketNo) ? 'due:done' : 'due:lapsed');
      return !reportedDone.has(p.ticketNo);
    },
    markIndicatorDue: async (i) => {
      await note(i.indicatorId, closedOff.has(i.indicatorId) ? 'due:closed_off' : 'due:overdue');
      return !closedOff.has(i.indicatorId);
    },
    remindOrder: (i) => note(i.orderId, `reminded:${i.round}:${i.n}`),
    markOrderOverdue: (i) => note(i.orderId, `overdue:${i.round}`),
    recordOrderAnswer: async (i) => {
      // A slow database for the orders in `slow`: actions arriving meanwhile wait for their turn.
      if (slow.has(i.orderId)) await new Promise((r) => setTimeout(r, 3000));
      await note(i.orderId, `answered:${i.round}:${i.late}`);
    },
    recordOrderReview: (i) => note(i.orderId, `reviewed:${i.round}:${i.accepted}`),
    recordOrderWithdrawal: (i) => note(i.orderId, 'withdrawn'),
  };

  let stop: () => Promise<void>;
  beforeAll(async () => {
    ({ env, stop } = await timeSkipping(taskQueue, activities));
  });
  afterAll(async () => {
    await stop?.();
  });

  /** Keeps the history as a replay fixture (replay.spec.ts), once; HOTLINE_RECORD_HISTORIES=1 re-records. */
  async function keep(h: WorkflowHandle, name: string): Promise<void> {
    const file = path.resolve(__dirname, 'histories', `${name}.json`);
    if (!existsSync(file) || process.env.HOTLINE_RECORD_HISTORIES === '1')
      writeFileSync(file, JSON.stringify(JSON.parse(historyToJSON(await h.fetchHistory())), null, 2) + '\n');
  }

  const whats = (id: string) => log.filter((e) => e.orderId === id).map((e) => e.what);
  const until = (p: () => boolean) => reach('the expected activity calls', p);
  async function raised() {
    const orderId = randomUUID();
    const t0 = await env.currentTimeMs();
    const input: SupervisionOrderInput = {
      orderId,
      unitId: 'transport',
      raisedAt: new Date(t0).toISOString(),
      limit: ORDER_RESPONSE_LIMITS.order,
      reminderFractions: [0.5, 0.8],
      calendar: CN_MAINLAND_CALENDAR,
    };
    const h = await env.client.workflow.start('SupervisionOrderWorkflow', {
      workflowId: `supervision-order-${orderId}`,
      taskQueue,
      args: [input],
    });
    return { h, id: orderId, t0, ...orderClock(t0, ORDER_RESPONSE_LIMITS.order, [0.5, 0.8], cal) };
  }
  const answer = (
    h: WorkflowHandle,
    unitId: string | null = 'transport',
    response = '已安排专人现场核查并整改。',
  ) =>
    h.executeUpdate<SupervisionOrderState, [unknown]>('answerOrder', {
      args: [{ unitId, response, by: clerk }],
    });
  const review = (h: WorkflowHandle, accepted: boolean, comment?: string) =>
    h.executeUpdate<SupervisionOrderState, [unknown]>('reviewOrder', {
      args: [{ accepted, comment, by: supervisor }],
    });
  const withdraw = (h: WorkflowHandle, reason = '已由上级统一督办') =>
    h.executeUpdate<SupervisionOrderState, [unknown]>('withdrawOrder', {
      args: [{ reason, by: supervisor }],
    });

  it('reminds at half and four fifths of 3 working days, not a minute early; overdue at the limit, not before', async () => {
    const { id, t0, remindAt, respondBy } = await raised();
    await skipTo(env, t0, remindAt[0] - t0 - MIN);
    expect(whats(id)).toEqual([]);
    await skipTo(env, t0, remindAt[0] - t0 + MIN);
    await until(() => whats(id).includes('reminded:1:1'));
    await skipTo(env, t0, remindAt[1] - t0 - MIN);
    expect(whats(id)).toEqual(['reminded:1:1']);
    await skipTo(env, t0, remindAt[1] - t0 + MIN);
    await until(() => whats(id).includes('reminded:1:2'));
    await skipTo(env, t0, respondBy - t0 - MIN);
    expect(whats(id)).toEqual(['reminded:1:1', 'reminded:1:2']);
    await skipTo(env, t0, respondBy - t0 + MIN);
    await until(() => whats(id).includes('overdue:1'));
  });

  it('an answer just inside the limit is on time and stops the clock; just after it, late but taken', async () => {
    const early = await raised();
    await skipTo(env, early.t0, early.respondBy - early.t0 - MIN);
    expect(await answer(early.h)).toMatchObject({ status: 'answered', overdue: false });
    await skipTo(env, early.t0, early.respondBy - early.t0 + 10 * MIN);
    expect(whats(early.id)).toEqual(['reminded:1:1', 'reminded:1:2', 'answered:1:false']);

    const late = await raised();
    await skipTo(env, late.t0, late.respondBy - late.t0 + MIN);
    await until(() => whats(late.id).includes('overdue:1'));
    expect(await answer(late.h)).toMatchObject({ status: 'answered', overdue: true });
    expect(whats(late.id)).toContain('answered:1:true');
  });

  it('only the addressed unit answers, with content, once per round; review only an answered order', async () => {
    const { h, id } = await raised();
    expect(await rejection(answer(h, 'water'))).toBe('order_not_found');
    expect(await rejection(answer(h, null))).toBe('order_not_found');
    expect(await rejection(answer(h, 'transport', '  好 '))).toBe('validation_failed');
    expect(await rejection(review(h, true))).toBe('order_not_answered');
    await answer(h);
    expect(await rejection(answer(h))).toBe('order_not_open');
    expect(await rejection(review(h, false))).toBe('validation_failed');
    expect(whats(id)).toEqual(['answered:1:false']);
  });

  it('two actions waiting for the same turn take it one after the other: a withdrawal is recorded once', async () => {
    const { h, id } = await raised();
    slow.add(id);
    // Each action is sent once the one before is accepted (its handler is running or waiting), so
    // the order of arrival is fixed however slow the machine: answer, then two withdrawals. Both
    // withdrawals are valid when they arrive (the answer is not recorded yet) and wait for it; both
    // are woken when it is: only the first may act, the second meets the closed order.
    const accepted = (name: string, arg: unknown) =>
      h.startUpdate<SupervisionOrderState, [unknown]>(name, {
        args: [arg],
        waitForStage: WorkflowUpdateStage.ACCEPTED,
      });
    const answering = await accepted('answerOrder', {
      unitId: 'transport',
      response: '已安排专人现场核查并整改。',
      by: clerk,
    });
    const first = await accepted('withdrawOrder', { reason: '已由上级统一督办', by: supervisor });
    const second = await accepted('withdrawOrder', { reason: '重复撤销', by: supervisor });
    await answering.result();
    await first.result();
    expect(await rejection(second.result())).toBe('order_closed');
    expect(whats(id)).toEqual(['answered:1:false', 'withdrawn']);
  });

  it('sent back: a new round with a fresh limit, reminded and overdue again; accepted: closed, the workflow ends', async () => {
    const { h, id } = await raised();
    await answer(h);
    const back = await review(h, false, '未说明整改时限，请补充。');
    expect(back).toMatchObject({ status: 'open', round: 2, overdue: false, remindersSent: 0 });
    const t1 = await env.currentTimeMs();
    expect(Date.parse(back.respondBy)).toBe(orderClock(t1, ORDER_RESPONSE_LIMITS.order, [], cal).respondBy);
    await skipTo(env, t1, Date.parse(back.respondBy) - t1 + MIN);
    await until(() => whats(id).includes('overdue:2'));
    expect(whats(id)).toEqual([
      'answered:1:false',
      'reviewed:1:false',
      'reminded:2:1',
      'reminded:2:2',
      'overdue:2',
    ]);
    await answer(h);
    expect(await review(h, true)).toMatchObject({ status: 'closed', round: 2 });
    expect(await h.result()).toMatchObject({ status: 'closed' });
    expect(whats(id).slice(-2)).toEqual(['answered:2:true', 'reviewed:2:true']);
    await keep(h, 'supervision-order-sent-back-accepted');
  });

  it('withdrawn before it closes, then nothing more: no answer, no reminder, no overdue', async () => {
    const { h, id, t0, respondBy } = await raised();
    expect(await withdraw(h)).toMatchObject({ status: 'closed' });
    // The workflow has ended: a later answer finds no order (the service answers `order_closed`).
    await expect(answer(h)).rejects.toThrow();
    await skipTo(env, t0, respondBy - t0 + MIN);
    expect(whats(id)).toEqual(['withdrawn']);
    expect(await h.result()).toMatchObject({ status: 'closed' });
  });

  it("a key task's indicator: nothing a minute before its date; at its date marked due, once; quiet when closed off", async () => {
    const t0 = await env.currentTimeMs();
    const open = randomUUID();
    const done = randomUUID();
    const start = (indicatorId: string) =>
      env.client.workflow.start('IndicatorDeadlineWorkflow', {
        workflowId: `indicator-deadline-${indicatorId}`,
        taskQueue,
        args: [{ indicatorId, dueAt: new Date(t0 + 30 * 24 * 60 * MIN).toISOString() }],
      });
    const [h] = await Promise.all([start(open), start(done)]);
    await skipTo(env, t0, 30 * 24 * 60 * MIN - MIN);
    expect(whats(open)).toEqual([]);
    closedOff.add(done);
    await skipTo(env, t0, 30 * 24 * 60 * MIN + MIN);
    expect(await h.result()).toEqual({ overdue: true });
    await until(() => whats(done).length > 0);
    expect(whats(open)).toEqual(['due:overdue']);
    expect(whats(done)).toEqual(['due:closed_off']);
    await keep(h, 'indicator-deadline-overdue');
  });

  it('a tracked plan: nothing a minute before its day ends; then lapsed, once; quiet when reported done', async () => {
    const t0 = await env.currentTimeMs();
    const open = `2026${String(Date.now()).slice(-10)}`;
    const done = `2027${String(Date.now()).slice(-10)}`;
    const dueIn = 90 * 24 * 60 * MIN;
    const start = (ticketNo: string) =>
      env.client.workflow.start('PlanDeadlineWorkflow', {
        workflowId: `plan-deadline-${ticketNo}`,
        taskQueue,
        args: [{ ticketNo, dueAt: new Date(t0 + dueIn).toISOString() }],
      });
    const [h] = await Promise.all([start(open), start(done)]);
    await skipTo(env, t0, dueIn - MIN);
    expect(whats(open)).toEqual([]);
    reportedDone.add(done);
    await skipTo(env, t0, dueIn + MIN);
    expect(await h.result()).toEqual({ lapsed: true });
    await until(() => whats(done).length > 0);
    expect(whats(open)).toEqual(['due:lapsed']);
    expect(whats(done)).toEqual(['due:done']);
    await keep(h, 'plan-deadline-lapsed');
  });
});
