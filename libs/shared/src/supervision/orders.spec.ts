import { WorkingCalendar } from '../domain/calendar';
import { CN_MAINLAND_CALENDAR } from '../domain/calendar-data';
import {
  correctionVoidsPostClosureOrder,
  ORDER_RESPONSE_LIMITS,
  orderClock,
  orderFor,
  orderQuota,
  refuseOrderAnswer,
  refuseOrderReview,
  refuseOrderWithdrawal,
  refuseRespondWithin,
  repeatCount,
} from './orders';
import type { TriggerContext } from './orders';

const ctx = (event: TriggerContext['event'], over: Partial<TriggerContext> = {}): TriggerContext => ({
  event,
  extensionCount: 0,
  returnCount: 0,
  rectifying: false,
  repeatCount: 1,
  ...over,
});
const U = 'transport';

describe('supervision orders: the automatic triggers (RULES §6)', () => {
  it('a missed sign deadline is a reminder (催办); a missed reply deadline after the reminders an order (督办)', () => {
    expect(orderFor(ctx({ type: 'ticket.overdue', deadline: 'sign', unitId: U }))).toMatchObject({
      kind: 'reminder',
      trigger: 'overdue_without_feedback',
      stage: 'pre_closure',
      unitId: U,
    });
    expect(orderFor(ctx({ type: 'ticket.overdue', deadline: 'complete', unitId: U }))).toMatchObject({
      kind: 'order',
      trigger: 'overdue_without_feedback',
    });
  });

  it('overdue after an approved extension is a promise not kept; in a rectification round a lapsed rectification', () => {
    const overdue = { type: 'ticket.overdue' as const, deadline: 'complete', unitId: U };
    expect(orderFor(ctx(overdue, { extensionCount: 1 }))?.trigger).toBe('not_done_in_promised_time');
    expect(orderFor(ctx(overdue, { rectifying: true, extensionCount: 1 }))).toMatchObject({
      trigger: 'rectification_lapsed',
      stage: 'post_closure',
    });
  });

  it("the centre's own deadlines and an overdue with no unit raise nothing", () => {
    for (const deadline of ['dispatch', 'review', 'callback_sms', 'callback_manual', 'direct_reply'])
      expect(orderFor(ctx({ type: 'ticket.overdue', deadline, unitId: U }))).toBeNull();
    expect(orderFor(ctx({ type: 'ticket.overdue', deadline: 'complete', unitId: null }))).toBeNull();
  });

  it('the second return is buck-passing; the first is not', () => {
    const returned = { type: 'ticket.returned' as const, unitId: U };
    expect(orderFor(ctx(returned, { returnCount: 1 }))).toBeNull();
    expect(orderFor(ctx(returned, { returnCount: 2 }))).toMatchObject({ trigger: 'buck_passing' });
    expect(orderFor(ctx(returned, { returnCount: 2 }))?.instruction).toContain('退回2次');
  });

  it('sub-units passing a ticket around (a second decline) is buck-passing, on the hub', () => {
    const declined = (declines: number) => ({ type: 'ticket.sub_declined' as const, unitId: U, declines });
    expect(orderFor(ctx(declined(1)))).toBeNull();
    expect(orderFor(ctx(declined(2)))).toMatchObject({ trigger: 'buck_passing', unitId: U, kind: 'order' });
    expect(orderFor(ctx(declined(3)))?.instruction).toContain('拒收3次');
  });

  it('a coordination holds the designated lead to act: the centre’s a reminder, the group’s an order', () => {
    const coordinated = (
      level: 'centre' | 'leadership_group',
      over: { assisting?: number; confirmed?: boolean; signed?: boolean } = {},
    ) => ({
      type: 'ticket.coordinated' as const,
      unitId: U,
      level,
      assisting: 0,
      confirmed: false,
      signed: false,
      ...over,
    });
    expect(orderFor(ctx(coordinated('centre')))).toMatchObject({
      kind: 'reminder',
      trigger: 'coordination',
      stage: 'pre_closure',
      unitId: U,
    });
    expect(orderFor(ctx(coordinated('centre')))?.instruction).toBe(
      '经热线中心协调，该工单确定由你单位牵头办理，请立即签收按时办结，不得推诿。',
    );
    expect(orderFor(ctx(coordinated('centre', { assisting: 2 })))?.instruction).toContain(
      '，会同协办单位按时办结',
    );
    const group = orderFor(ctx(coordinated('leadership_group', { assisting: 1 })));
    expect(group).toMatchObject({ kind: 'order', trigger: 'coordination', unitId: U });
    expect(group?.instruction).toMatch(/^经领导小组协调.*主要负责人.*会同协办单位/);
  });

  it('a confirmed lead is told it keeps the case and may not return it; one that signed is not told to sign', () => {
    const confirmed = (signed: boolean) =>
      orderFor(
        ctx({
          type: 'ticket.coordinated',
          unitId: U,
          level: 'centre',
          assisting: 0,
          confirmed: true,
          signed,
        }),
      )?.instruction;
    expect(confirmed(true)).toBe(
      '经热线中心协调，确认该工单由你单位牵头办理，不得退回，请抓紧办理按时办结，不得推诿。',
    );
    expect(confirmed(false)).toContain('请立即签收');
  });

  it('a refused return is a refusal; an approved one raises nothing', () => {
    expect(orderFor(ctx({ type: 'ticket.return_decided', unitId: U, approved: false }))?.trigger).toBe(
      'refusal',
    );
    expect(orderFor(ctx({ type: 'ticket.return_decided', unitId: U, approved: true }))).toBeNull();
    // Told to sign only when it had not signed: one that had is told to get on with it.
    expect(
      orderFor(ctx({ type: 'ticket.return_decided', unitId: U, approved: false }))?.instruction,
    ).toContain('立即签收');
    const signed = orderFor(ctx({ type: 'ticket.return_decided', unitId: U, approved: false, signed: true }));
    expect(signed?.instruction).toBe('该工单属本单位职责，退回申请未获批准，请抓紧办理按时办结，不得推诿。');
  });

  it('unsatisfied with time left (pre-closure) and unsatisfied after closure (post-closure)', () => {
    expect(orderFor(ctx({ type: 'ticket.rectification_ordered', unitId: U }))).toMatchObject({
      trigger: 'unsatisfied_with_time_left',
      stage: 'pre_closure',
    });
    const verdict = (v: string) =>
      orderFor(ctx({ type: 'evaluation.satisfaction_recorded', unitId: U, verdict: v }));
    expect(verdict('unsatisfied')).toMatchObject({
      trigger: 'unsatisfied_after_closure',
      stage: 'post_closure',
    });
    expect(verdict('satisfied')).toBeNull();
    expect(verdict('basically_satisfied')).toBeNull();
    // A ticket answered at intake has no unit to hold to its verdict.
    expect(
      orderFor(ctx({ type: 'evaluation.satisfaction_recorded', unitId: null, verdict: 'unsatisfied' })),
    ).toBeNull();
  });

  it('a correction that takes the unsatisfied verdict away voids the post-closure order; a new verdict does not', () => {
    const recorded = (verdict: string, correction?: boolean) =>
      correctionVoidsPostClosureOrder({
        type: 'evaluation.satisfaction_recorded',
        unitId: U,
        verdict,
        ...(correction ? { correction } : {}),
      });
    expect(recorded('satisfied', true)).toBe(true);
    expect(recorded('basically_satisfied', true)).toBe(true);
    expect(recorded('unsatisfied', true)).toBe(false);
    // An expert's or a vote's verdict is a new fact: the order raised on the earlier one stands.
    expect(recorded('satisfied')).toBe(false);
    expect(correctionVoidsPostClosureOrder({ type: 'evaluation.satisfaction_withdrawn' })).toBe(true);
  });

  it('a complaint reported the second time is a reminder on dispatch for the principal; the third and on an order', () => {
    const dispatched = { type: 'ticket.dispatched' as const, unitId: U };
    expect(orderFor(ctx(dispatched, { repeatCount: 1 }))).toBeNull();
    const second = orderFor(ctx(dispatched, { repeatCount: 2 }));
    expect(second).toMatchObject({
      kind: 'reminder',
      trigger: 'repeated_complaint',
      stage: 'pre_closure',
      unitId: U,
    });
    expect(second!.instruction).toContain('重复投诉');
    expect(second!.instruction).toContain('主要负责人');
    for (const n of [3, 7])
      expect(orderFor(ctx(dispatched, { repeatCount: n }))).toMatchObject({
        kind: 'order',
        trigger: 'repeated_complaint',
        instruction: expect.stringContaining(`重复反映${n}次`),
      });
  });

  it('every instruction the unit reads is Chinese', () => {
    const o = orderFor(ctx({ type: 'ticket.overdue', deadline: 'complete', unitId: U }))!;
    expect(o.instruction).toMatch(/[\u4e00-\u9fff]/);
  });
});

describe('repeated complaint (SQ art. 19)', () => {
  const DAY = 86_400_000;
  const now = Date.parse('2026-11-30T02:00:00Z');
  it('counts an earlier report replied within one month, inclusive, and not after', () => {
    expect(repeatCount(now, [{ createdAt: now - 40 * DAY, repliedAt: now - 30 * DAY, resolved: true }])).toBe(
      2,
    );
    expect(
      repeatCount(now, [{ createdAt: now - 40 * DAY, repliedAt: now - 30 * DAY - 1, resolved: true }]),
    ).toBe(1);
  });
  it('counts an unreplied, unresolved report made more than 6 days before, not one of 6 days', () => {
    expect(repeatCount(now, [{ createdAt: now - 6 * DAY - 1, repliedAt: null, resolved: false }])).toBe(2);
    expect(repeatCount(now, [{ createdAt: now - 6 * DAY, repliedAt: null, resolved: false }])).toBe(1);
  });
  it('ignores reports not earlier than this one', () => {
    expect(repeatCount(now, [{ createdAt: now, repliedAt: null, resolved: false }])).toBe(1);
  });
  it('counts a report still open between the first and this one: the third report is the third', () => {
    const replied = { createdAt: now - 3 * DAY, repliedAt: now - 2 * DAY, resolved: false };
    const open = { createdAt: now - 1000, repliedAt: null, resolved: false };
    expect(repeatCount(now, [replied, open])).toBe(3);
    // An open report alone, made within 6 days, makes no repeat.
    expect(repeatCount(now, [open])).toBe(1);
    // Reports before the first that makes it a repeat are not of this run of it.
    const old = { createdAt: now - 200 * DAY, repliedAt: now - 190 * DAY, resolved: true };
    expect(repeatCount(now, [old, replied, open])).toBe(3);
  });
  it('counts a report replied to long ago but still unresolved more than 6 days on', () => {
    expect(
      repeatCount(now, [{ createdAt: now - 50 * DAY, repliedAt: now - 40 * DAY, resolved: false }]),
    ).toBe(2);
    expect(repeatCount(now, [{ createdAt: now - 50 * DAY, repliedAt: now - 40 * DAY, resolved: true }])).toBe(
      1,
    );
  });
  it('two qualifying earlier reports make three', () => {
    const r = { createdAt: now - 10 * DAY, repliedAt: now - 5 * DAY, resolved: false };
    expect(repeatCount(now, [r, r])).toBe(3);
  });
});

describe('the order clock', () => {
  const cal = new WorkingCalendar(CN_MAINLAND_CALENDAR);
  it('an order raised on a Friday is due 3 working days later, at the end of Wednesday, with reminders at the fractions', () => {
    const raised = Date.parse('2026-11-27T02:00:00Z'); // Friday 10:00 China time
    const { respondBy, remindAt } = orderClock(raised, ORDER_RESPONSE_LIMITS.order, [0.5, 0.8], cal);
    expect(new Date(respondBy).toISOString()).toBe('2026-12-02T15:59:59.999Z'); // the end of the third working day
    expect(remindAt).toHaveLength(2);
    expect(remindAt[0]).toBe(raised + Math.round(0.5 * (respondBy - raised)));
    expect(remindAt.every((t) => t > raised && t < respondBy)).toBe(true);
  });
  it('a reminder (催办) is due in 1 working day', () => {
    const raised = Date.parse('2026-11-24T02:00:00Z'); // Tuesday
    expect(
      new Date(orderClock(raised, ORDER_RESPONSE_LIMITS.reminder, [], cal).respondBy).toISOString(),
    ).toBe('2026-11-25T15:59:59.999Z');
  });
});

describe('answer, review, withdrawal', () => {
  const open = { status: 'open' as const, unitId: U, round: 1 };
  const answered = { ...open, status: 'answered' as const };
  const closed = { ...open, status: 'closed' as const };
  it('only the addressed unit answers, once per round, with content', () => {
    expect(refuseOrderAnswer(open, { unitId: U, response: '已安排专人现场处理。' })).toBeNull();
    expect(refuseOrderAnswer(open, { unitId: 'water', response: '已安排专人现场处理。' })?.code).toBe(
      'order_not_found',
    );
    expect(refuseOrderAnswer(open, { unitId: null, response: '已安排专人现场处理。' })?.code).toBe(
      'order_not_found',
    );
    expect(refuseOrderAnswer(answered, { unitId: U, response: '已安排专人现场处理。' })?.code).toBe(
      'order_not_open',
    );
    expect(refuseOrderAnswer(closed, { unitId: U, response: '已安排专人现场处理。' })?.code).toBe(
      'order_closed',
    );
    expect(refuseOrderAnswer(open, { unitId: U, response: '    好 ' })?.code).toBe('validation_failed');
    expect(refuseOrderAnswer(open, { unitId: U, response: '好'.repeat(4001) })?.code).toBe(
      'validation_failed',
    );
    expect(refuseOrderAnswer(open, { unitId: U, response: '好'.repeat(4000) })).toBeNull();
  });
  it('review only an answered order; a send-back needs a comment', () => {
    expect(refuseOrderReview(answered, { accepted: true })).toBeNull();
    expect(refuseOrderReview(answered, { accepted: false, comment: '未说明整改时限' })).toBeNull();
    expect(refuseOrderReview(answered, { accepted: false })?.code).toBe('validation_failed');
    expect(refuseOrderReview(open, { accepted: true })?.code).toBe('order_not_answered');
    expect(refuseOrderReview(closed, { accepted: true })?.code).toBe('order_closed');
  });
  it('withdraw anything not closed, with a reason', () => {
    expect(refuseOrderWithdrawal(open, '重复督办')).toBeNull();
    expect(refuseOrderWithdrawal(answered, '重复督办')).toBeNull();
    expect(refuseOrderWithdrawal(closed, '重复督办')?.code).toBe('order_closed');
    expect(refuseOrderWithdrawal(open, ' ')?.code).toBe('validation_failed');
  });
});

describe('the monthly quota (GS: orders ≥ 20 % of last month’s intake)', () => {
  it('rounds the target up and says whether it is met', () => {
    expect(orderQuota(101, 20)).toEqual({
      lastMonthIntake: 101,
      target: 21,
      raised: 20,
      met: false,
      ratio: 0.198,
    });
    expect(orderQuota(100, 20)).toMatchObject({ target: 20, met: true, ratio: 0.2 });
    expect(orderQuota(0, 0)).toMatchObject({ target: 0, met: true, ratio: null });
  });
});

describe('a limit given by hand', () => {
  it('from 1 hour to 30 days, in any unit', () => {
    expect(refuseRespondWithin({ amount: 1, unit: 'hours' })).toBeNull();
    expect(refuseRespondWithin({ amount: 59, unit: 'minutes' })).not.toBeNull();
    expect(refuseRespondWithin({ amount: 30, unit: 'days' })).toBeNull();
    expect(refuseRespondWithin({ amount: 31, unit: 'working_days' })).not.toBeNull();
    expect(refuseRespondWithin({ amount: 721, unit: 'hours' })).not.toBeNull();
    expect(refuseRespondWithin({ amount: 1.5, unit: 'working_days' })).not.toBeNull();
    expect(refuseRespondWithin({ amount: 0, unit: 'days' })).not.toBeNull();
  });

  it('measures working days on the calendar: 23 of them reach past 30 days, 20 do not', () => {
    const clock = {
      now: Date.parse('2026-12-07T14:40:00+08:00'),
      calendar: new WorkingCalendar(CN_MAINLAND_CALENDAR),
    };
    expect(refuseRespondWithin({ amount: 23, unit: 'working_days' })).toBeNull(); // by count alone
    expect(refuseRespondWithin({ amount: 23, unit: 'working_days' }, clock)).toMatch(/after 30 days/);
    expect(refuseRespondWithin({ amount: 20, unit: 'working_days' }, clock)).toBeNull();
    expect(refuseRespondWithin({ amount: 30, unit: 'days' }, clock)).toBeNull();
  });
});
