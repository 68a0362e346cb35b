import { isDayKey } from '../domain/closure-standard';
import type { RaisedOrder } from './orders';

/**
 * Tracked plans (跟踪计划, RULES §3 and §6): a reply may close a long-cycle matter (demolition,
 * pollution control, a repair crew sent) on an accepted plan with its completion date; the centre
 * keeps tracking it to the end. When such a ticket closes, supervision tracks the plan: the unit
 * reports it done; a plan not reported done by the end of its day (China time) has lapsed, a
 * promise not kept, and raises a supervision order (not done in the promised time, post-closure).
 * A plan still tracked when the close it was tracked on is voided (a ledger correction) is
 * withdrawn; it is tracked again when the ticket closes on a plan for real.
 */
export const PLAN_STATUSES = ['tracking', 'done', 'lapsed', 'withdrawn'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

/** The plan of the reply that closed the ticket: only a structured plan with its day is tracked. */
export function trackedPlanDay(reply: {
  isPlan?: boolean;
  plannedCompletionDate?: string | null;
}): string | null {
  if (reply.isPlan !== true) return null;
  const day = reply.plannedCompletionDate;
  // A real day only: 2027-02-30 has the shape and no place in a date column.
  return isDayKey(day) ? day : null;
}

/** The end of a China calendar day (UTC+8), when a plan due that day lapses. */
export function planDueAt(day: string): string {
  const start = Date.parse(`${day}T00:00:00+08:00`);
  if (Number.isNaN(start)) throw new RangeError(`bad day ${day}`);
  return new Date(start + 86_400_000).toISOString();
}

/** The order a lapsed plan raises on its unit. */
export function orderForLapsedPlan(p: { unitId: string; plannedCompletionDate: string }): RaisedOrder {
  return {
    kind: 'order',
    trigger: 'not_done_in_promised_time',
    stage: 'post_closure',
    unitId: p.unitId,
    instruction:
      `该工单答复承诺于${p.plannedCompletionDate}前完成的办理计划已到期，尚未报告完成。` +
      '请说明落实情况，并限期完成后报告。',
  };
}

/**
 * What a unit's report that the plan is done does: it is the unit's plan, and done once; a
 * withdrawn plan is no longer tracked (its ticket is open again), so there is nothing to report.
 */
export function decidePlanCompletion(
  plan: { unitId: string; status: PlanStatus } | null,
  unitId: string,
): 'not_found' | 'already_done' | 'withdrawn' | 'done' {
  if (!plan || plan.unitId !== unitId) return 'not_found';
  if (plan.status === 'withdrawn') return 'withdrawn';
  return plan.status === 'done' ? 'already_done' : 'done';
}

/** The clock of a plan's day: one per ticket and day, so a plan tracked again on another day gets its own. */
export function planClockId(ticketNo: string, day: string): string {
  return `plan-deadline-${ticketNo}-${day}`;
}
