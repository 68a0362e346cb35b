import { addDuration } from '../domain/calendar';
import type { Duration, WorkingCalendar } from '../domain/calendar';
import type { OrderKind, OrderStage, OrderTrigger } from './events';
import { visibleLength } from '../domain/text';
import type { CoordinationLevel } from '../domain/vocabulary';

/**
 * Reminders (催办) and supervision orders (督办), RULES §6 (SZ supervision art. 3, SQ art. 18–19,
 * GS 12345督办): what raises one automatically, how long the unit has to answer, how the supervisor
 * reviews the answer, and the monthly quota.
 *
 * The unit answers a reminder within 1 working day and an order within 3 working days (the
 * centre's usual practice; a supervisor raising one by hand may give another limit, 1 hour to
 * 30 days). The answer is reviewed: accepted closes the order; sent back opens a new round with a
 * fresh limit of the same length. Reminders at the policy's fractions, overdue at the limit, like
 * every other deadline of the platform.
 */
export const ORDER_RESPONSE_LIMITS: Readonly<Record<OrderKind, Duration>> = {
  reminder: { amount: 1, unit: 'working_days' },
  order: { amount: 3, unit: 'working_days' },
};

/** What the trigger rule needs to know about the ticket when one of its events arrives. */
export interface TriggerContext {
  /** The event, as the ticket's workflow decided it. */
  event:
    | { type: 'ticket.overdue'; deadline: string; unitId: string | null }
    | { type: 'ticket.returned'; unitId: string }
    /** `signed`: the unit had signed the ticket before it returned it (absent: not). */
    | { type: 'ticket.return_decided'; unitId: string; approved: boolean; signed?: boolean }
    | { type: 'ticket.rectification_ordered'; unitId: string }
    | { type: 'ticket.dispatched'; unitId: string }
    /** A hub's sub-unit refused the ticket; `declines` on the ticket so far (RULES §2: 互相推诿不接单). */
    | { type: 'ticket.sub_declined'; unitId: string; declines: number }
    /** The centre, or the leadership group, designated the lead unit (协调), with assisting units or none. */
    | {
        type: 'ticket.coordinated';
        unitId: string;
        level: CoordinationLevel;
        assisting: number;
        /** The unit led already: the coordination confirmed it. */
        confirmed: boolean;
        /** The lead has signed the ticket (a confirmed lead may have). */
        signed: boolean;
      }
    | { type: 'evaluation.satisfaction_recorded'; unitId: string | null; verdict: string };
  /** Approved extensions so far: a lapsed extension is a promise not kept. */
  extensionCount: number;
  /** Returns so far, this one included. */
  returnCount: number;
  /** In a rectification round (the callback found the ticket unresolved). */
  rectifying: boolean;
  /** Reports of the same problem by the same complainant, this one included (see `repeatCount`). */
  repeatCount: number;
}

export interface RaisedOrder {
  kind: OrderKind;
  trigger: OrderTrigger;
  stage: OrderStage;
  unitId: string;
  /** Chinese, the text the unit's clerk reads. */
  instruction: string;
}

/**
 * A repeated complaint (重复投诉, SQ art. 19: the second report of the same problem) has the unit's
 * principal follow it up in person: a reminder (催办) to the unit saying so, at dispatch.
 */
export const REPEATED_COMPLAINT_REMINDER = 2;
/** Repeated complaints 3 or more times raise an order (RULES §6). */
export const REPEATED_COMPLAINT_THRESHOLD = 3;
/** Returns by 2 or more units (or twice) show the case being passed around. */
export const BUCK_PASSING_RETURNS = 2;

/** The automatic triggers of RULES §6, one event at a time: null when the event raises nothing. */
export function orderFor(c: TriggerContext): RaisedOrder | null {
  const e = c.event;
  switch (e.type) {
    case 'ticket.overdue': {
      if (!e.unitId) return null;
      if (e.deadline === 'sign')
        return {
          kind: 'reminder',
          trigger: 'overdue_without_feedback',
          stage: 'pre_closure',
          unitId: e.unitId,
          instruction: '该工单已超过签收时限仍未签收，请立即签收并办理。',
        };
      if (e.deadline !== 'complete') return null;
      if (c.rectifying)
        return {
          kind: 'order',
          trigger: 'rectification_lapsed',
          stage: 'post_closure',
          unitId: e.unitId,
          instruction: '承诺整改的事项已超过整改时限仍未办结，请说明原因并限期整改到位。',
        };
      if (c.extensionCount > 0)
        return {
          kind: 'order',
          trigger: 'not_done_in_promised_time',
          stage: 'pre_closure',
          unitId: e.unitId,
          instruction: '该工单经批准延期后仍未在承诺时限内办结，请说明原因并限期办结。',
        };
      return {
        kind: 'order',
        trigger: 'overdue_without_feedback',
        stage: 'pre_closure',
        unitId: e.unitId,
        instruction: '该工单经催办后超过办理时限仍未反馈，请限期办理并答复。',
      };
    }
    case 'ticket.returned':
      return c.returnCount >= BUCK_PASSING_RETURNS
        ? {
            kind: 'order',
            trigger: 'buck_passing',
            stage: 'pre_closure',
            unitId: e.unitId,
            instruction: `该工单已被退回${c.returnCount}次，存在推诿扯皮情形，请责任单位说明情况。`,
          }
        : null;
    case 'ticket.sub_declined':
      // Sub-units passing the ticket between themselves without accepting it: the hub answers for it.
      return e.declines >= BUCK_PASSING_RETURNS
        ? {
            kind: 'order',
            trigger: 'buck_passing',
            stage: 'pre_closure',
            unitId: e.unitId,
            instruction: `该工单已被下级承办单位拒收${e.declines}次，存在互相推诿不接单情形，请落实具体承办单位并按时办结。`,
          }
        : null;
    case 'ticket.return_decided':
      // The centre refused the return: the case is the unit's, and the unit refused to accept it.
      return e.approved
        ? null
        : {
            kind: 'order',
            trigger: 'refusal',
            stage: 'pre_closure',
            unitId: e.unitId,
            // Signed before it returned it: told to get on with it, not to sign.
            instruction: e.signed
              ? '该工单属本单位职责，退回申请未获批准，请抓紧办理按时办结，不得推诿。'
              : '该工单属本单位职责，退回申请未获批准，请立即签收办理，不得拒收。',
          };
    case 'ticket.coordinated': {
      // The case was passed around or nobody's: the designated lead is held to act on it. The
      // centre's designation is a reminder (催办); the leadership group's, after the centre's
      // failed, an order (督办) for the unit's principal.
      const together = e.assisting > 0 ? '会同协办单位' : '';
      const decided = e.confirmed ? '确认该工单由你单位牵头办理，不得退回' : '该工单确定由你单位牵头办理';
      const act = e.signed ? '抓紧办理' : '立即签收';
      return e.level === 'leadership_group'
        ? {
            kind: 'order',
            trigger: 'coordination',
            stage: 'pre_closure',
            unitId: e.unitId,
            instruction: `经领导小组协调，${decided}，请单位主要负责人亲自督促${together}限期办结，不得推诿。`,
          }
        : {
            kind: 'reminder',
            trigger: 'coordination',
            stage: 'pre_closure',
            unitId: e.unitId,
            instruction: `经热线中心协调，${decided}，请${act}${together ? `，${together}` : ''}按时办结，不得推诿。`,
          };
    }
    case 'ticket.rectification_ordered':
      return {
        kind: 'order',
        trigger: 'unsatisfied_with_time_left',
        stage: 'pre_closure',
        unitId: e.unitId,
        instruction: '回访发现诉求未解决或市民不满意，请在办理时限内重新办理并答复。',
      };
    case 'ticket.dispatched':
      if (c.repeatCount >= REPEATED_COMPLAINT_THRESHOLD)
        return {
          kind: 'order',
          trigger: 'repeated_complaint',
          stage: 'pre_closure',
          unitId: e.unitId,
          instruction: `同一诉求已重复反映${c.repeatCount}次，请单位主要负责人（区县分管领导）亲自跟进督办。`,
        };
      return c.repeatCount >= REPEATED_COMPLAINT_REMINDER
        ? {
            kind: 'reminder',
            trigger: 'repeated_complaint',
            stage: 'pre_closure',
            unitId: e.unitId,
            instruction: `该诉求属重复投诉（同一诉求第${c.repeatCount}次反映），请单位主要负责人（区县分管领导）亲自跟进办理。`,
          }
        : null;
    case 'evaluation.satisfaction_recorded':
      // A ticket no unit handled (answered at intake) has no unit to supervise.
      return e.verdict === 'unsatisfied' && e.unitId
        ? {
            kind: 'order',
            trigger: 'unsatisfied_after_closure',
            stage: 'post_closure',
            unitId: e.unitId,
            instruction: '该工单办结后市民评价不满意，请核查办理情况并书面说明。',
          }
        : null;
  }
}

/**
 * A post-closure order stands on the verdict that counted when it was raised. When a correction of
 * the ticket's record changes that verdict (evaluation.satisfaction_recorded with `correction`) to
 * one that no longer meets the condition, or leaves none (evaluation.satisfaction_withdrawn), the
 * order's ground is gone and it is withdrawn. A verdict that changes for a new reason (an expert's,
 * a vote's) leaves an order already raised as it is: it was raised on a verdict that stood.
 */
export function correctionVoidsPostClosureOrder(
  e:
    | {
        type: 'evaluation.satisfaction_recorded';
        unitId: string | null;
        verdict: string;
        correction?: boolean;
      }
    | { type: 'evaluation.satisfaction_withdrawn' },
): boolean {
  if (e.type === 'evaluation.satisfaction_withdrawn') return true;
  if (!e.correction) return false;
  return (
    orderFor({ event: e, extensionCount: 0, returnCount: 0, rectifying: false, repeatCount: 1 })?.trigger !==
    'unsatisfied_after_closure'
  );
}

/**
 * Repeated complaint (重复投诉, SQ art. 19): the new report is a repeat when an earlier report of the
 * same problem by the same complainant was replied to within one month before it, or is still
 * unresolved more than 6 days after it was made. "The same problem" is the same complainant
 * (phone), the same category and the same region; a reply is the unit's, or the answer given at
 * intake. Returns how many times it has been reported: the new one, and every earlier report since
 * the first that makes it a repeat.
 */
export interface EarlierReport {
  createdAt: number;
  /** When it was replied to (the reply the complainant received), or null. */
  repliedAt: number | null;
  /** Closed as resolved. */
  resolved: boolean;
}

const DAY = 86_400_000;
export function repeatCount(now: number, earlier: readonly EarlierReport[]): number {
  const before = earlier.filter((r) => r.createdAt < now);
  // What makes this report a repeat: an earlier one replied within the month, or one still
  // unresolved more than 6 days after it was made (replied or not).
  const grounds = before.filter(
    (r) =>
      (r.repliedAt !== null && now - r.repliedAt <= 30 * DAY) || (!r.resolved && now - r.createdAt > 6 * DAY),
  );
  if (grounds.length === 0) return 1;
  // How many times it has been reported: every report of it since the first that makes this a
  // repeat, those not yet answered too (a 2nd report still open when the 3rd comes).
  const first = Math.min(...grounds.map((r) => r.createdAt));
  return before.filter((r) => r.createdAt >= first).length + 1;
}

/** The unit's deadline and the reminders at the policy's fractions of the time allowed. */
export function orderClock(
  from: number,
  limit: Duration,
  fractions: readonly number[],
  calendar: WorkingCalendar,
): { respondBy: number; remindAt: number[] } {
  const respondBy = addDuration(new Date(from), limit, calendar).getTime();
  return { respondBy, remindAt: fractions.map((f) => from + Math.round(f * (respondBy - from))) };
}

export type OrderStatus = 'open' | 'answered' | 'closed';
export interface OrderState {
  status: OrderStatus;
  unitId: string;
  round: number;
}
export type OrderRefusal = {
  code: 'order_not_found' | 'order_not_open' | 'order_not_answered' | 'order_closed' | 'validation_failed';
  message: string;
};

const textOk = (v: unknown, min: number, max: number) =>
  typeof v === 'string' && visibleLength(v) >= min && v.length <= max;

/** The unit's answer: only the unit the order is addressed to, only while open, with content. */
export function refuseOrderAnswer(
  s: OrderState,
  cmd: { unitId: string | null; response: string },
): OrderRefusal | null {
  if (cmd.unitId !== s.unitId) return { code: 'order_not_found', message: 'no such order for your unit' };
  if (s.status === 'closed') return { code: 'order_closed', message: 'the order is closed' };
  if (s.status !== 'open')
    return { code: 'order_not_open', message: 'the order is answered and waits for review' };
  if (!textOk(cmd.response, 5, 4000))
    return { code: 'validation_failed', message: 'a response of 5 to 4000 characters is required' };
  return null;
}

/** The supervisor's review: only an answered order; a send-back says why. */
export function refuseOrderReview(
  s: OrderState,
  cmd: { accepted: boolean; comment?: string | null },
): OrderRefusal | null {
  if (s.status === 'closed') return { code: 'order_closed', message: 'the order is closed' };
  if (s.status !== 'answered')
    return { code: 'order_not_answered', message: 'the unit has not answered the order yet' };
  if (typeof cmd.accepted !== 'boolean')
    return { code: 'validation_failed', message: 'accepted must be true or false' };
  if (!cmd.accepted && !textOk(cmd.comment, 2, 2000))
    return { code: 'validation_failed', message: 'a send-back needs a comment of 2 to 2000 characters' };
  return null;
}

/** A supervisor withdraws an order that is no longer needed (not once it is closed). */
export function refuseOrderWithdrawal(s: OrderState, reason: string): OrderRefusal | null {
  if (s.status === 'closed') return { code: 'order_closed', message: 'the order is closed' };
  if (!textOk(reason, 2, 2000))
    return { code: 'validation_failed', message: 'a reason of 2 to 2000 characters is required' };
  return null;
}

/**
 * The monthly quota (GS): each month's supervision orders are at least 20 % of last month's
 * intake. Reminders (催办) do not count; orders raised by hand and automatically both do.
 */
export const ORDER_QUOTA_SHARE = 0.2;
export function orderQuota(lastMonthIntake: number, ordersThisMonth: number) {
  const target = Math.ceil(lastMonthIntake * ORDER_QUOTA_SHARE);
  return {
    lastMonthIntake,
    target,
    raised: ordersThisMonth,
    met: ordersThisMonth >= target,
    ratio: lastMonthIntake > 0 ? Math.round((ordersThisMonth / lastMonthIntake) * 10_000) / 10_000 : null,
  };
}

/** Reminders at half and four fifths of the time allowed, as the default policy does for tickets. */
export const ORDER_REMINDER_FRACTIONS: readonly number[] = [0.5, 0.8];

/**
 * A limit a supervisor gives by hand: from 1 hour to 30 days, in any unit of the calendar. Given
 * the moment and the calendar, the span is measured on it: 23 working days reach past 30 days.
 */
export function refuseRespondWithin(
  d: Duration,
  clock?: { now: number; calendar: WorkingCalendar },
): string | null {
  const hours: Record<Duration['unit'], number> = {
    minutes: 1 / 60,
    hours: 1,
    working_hours: 1,
    days: 24,
    working_days: 24,
  };
  const h = d.amount * hours[d.unit];
  if (!(h >= 1 && h <= 30 * 24)) return 'respondWithin is from 1 hour to 30 days';
  if (d.unit === 'working_days' && !Number.isInteger(d.amount)) return 'working days are whole days';
  if (clock) {
    const span = addDuration(new Date(clock.now), d, clock.calendar).getTime() - clock.now;
    if (span > 30 * 24 * 3_600_000)
      return `respondWithin is from 1 hour to 30 days: ${d.amount} ${d.unit} from now end after 30 days`;
  }
  return null;
}

/** A key task's indicator past its date without being closed off raises an order on its unit. */
export function orderForOverdueIndicator(i: {
  unitId: string;
  taskTitle: string;
  indicatorName: string;
}): RaisedOrder {
  return {
    kind: 'order',
    trigger: 'indicator_overdue',
    stage: 'pre_closure',
    unitId: i.unitId,
    instruction: `重点任务“${i.taskTitle}”的指标“${i.indicatorName}”已超过完成时限仍未销号，请说明进展并限期完成。`,
  };
}

/**
 * The order a leader's instruction raises, in the words the unit reads: who instructed, and where
 * to read the instruction. Not the instruction's own words: every reading of them is traced (RULES
 * §6, 自动留痕), and an order is read on the desk, in lists and by supervision without a trace.
 */
export function instructionOrderText(leaderName: string): string {
  return `${leaderName.trim()}对本件作出领导批示，请在“领导批示”中查阅批示原文（查阅留痕），按批示要求限期办理并反馈。`;
}
