import { addDuration } from '../domain/calendar';
import type { Duration } from '../domain/calendar';
import type { DeadlineKind } from '../domain/vocabulary';
import type { DecisionContext } from './decision';
import { inForce, iso } from './decision';
import type { DeadlineState, SubDispatchState, TicketState } from './state';

/**
 * The ticket's clock (RULES §2): every deadline is a start, a due time and how many of the
 * policy's reminders have gone out. Reminders fall at the policy's fractions of the time allowed
 * (SQ: 50 % and 80 %), the overdue mark at the due time; a missed deadline never stops the ticket.
 * One arithmetic serves the ticket's deadlines and each assisting unit's sign deadline.
 */
export interface Clock {
  startAt: string;
  dueAt: string;
  remindersSent: number;
  overdue: boolean;
}

/** `duration` after `from` on the policy's calendar (working days and hours skip holidays). */
export function deadlineAfter(from: number | string, duration: Duration, ctx: DecisionContext): string {
  const start = typeof from === 'string' ? Date.parse(from) : from;
  return addDuration(new Date(start), duration, ctx.calendar).toISOString();
}

/** A clock from `startAt` to `dueAt`; reminders whose moment has passed (a moved deadline) are not sent again. */
export function newClock(startAt: string, dueAt: string, ctx: DecisionContext): Clock {
  const start = Date.parse(startAt);
  const span = Date.parse(dueAt) - start;
  const passed = ctx.policy.limits.reminderFractions.filter((f) => start + f * span <= ctx.now).length;
  return { startAt, dueAt, remindersSent: passed, overdue: false };
}

export function startDeadline(
  s: TicketState,
  kind: DeadlineKind,
  startAt: number | string,
  dueAt: string,
  ctx: DecisionContext,
): void {
  const from = typeof startAt === 'string' ? startAt : iso(startAt);
  s.deadlines[kind] = { kind, ...newClock(from, dueAt, ctx) };
}

export function clearDeadlines(s: TicketState, ...kinds: DeadlineKind[]): void {
  for (const k of kinds) delete s.deadlines[k];
}

/** The moment a clock next needs attention: its next reminder, or its end. */
export function nextMomentOf(c: Clock, fractions: readonly number[]): number {
  const start = Date.parse(c.startAt);
  const due = Date.parse(c.dueAt);
  const f = fractions[c.remindersSent];
  return f !== undefined && start + f * (due - start) < due ? start + f * (due - start) : due;
}

/** Moves a clock's reminders up to `t`; returns how many fall before its end and are to be sent. */
export function remindersDue(c: Clock, t: number, fractions: readonly number[]): number {
  const start = Date.parse(c.startAt);
  const due = Date.parse(c.dueAt);
  let toSend = 0;
  while (c.remindersSent < fractions.length && start + fractions[c.remindersSent] * (due - start) <= t) {
    c.remindersSent++;
    if (t < due) toSend++;
  }
  return toSend;
}

/** The ticket's running deadlines. */
export function runningDeadlines(s: TicketState): DeadlineState[] {
  return Object.values(s.deadlines).filter((d): d is DeadlineState => !!d && !d.overdue);
}

/**
 * The passes to sub-units still waiting for a result by a time their hub set, not yet overdue
 * (multi-level handling: the hub holds its sub-unit to its own time: reminded at the policy's
 * fractions of it, marked once at its end).
 */
export function runningPassTimes(s: TicketState): (SubDispatchState & { dueAt: string })[] {
  return (s.subDispatches ?? []).filter(
    (d): d is SubDispatchState & { dueAt: string } => d.status === 'dispatched' && !!d.dueAt && !d.overdue,
  );
}

/** The passes whose sub-unit has not signed yet and whose sign time runs (not yet overdue). */
export function runningPassSigns(s: TicketState): (SubDispatchState & { signDueAt: string })[] {
  return (s.subDispatches ?? []).filter(
    (d): d is SubDispatchState & { signDueAt: string } =>
      d.status === 'dispatched' && !d.signedAt && !!d.signDueAt && !d.signOverdue,
  );
}

/** The clock of a pass's sign time: from the pass to the time its sub-unit is to sign by. */
export function passSignClock(d: SubDispatchState & { signDueAt: string }): Clock {
  return {
    startAt: d.dispatchedAt,
    dueAt: d.signDueAt,
    remindersSent: d.signRemindersSent ?? 0,
    overdue: false,
  };
}

/** The clock of a pass with a time of its own: from the pass to that time. */
export function passClock(d: SubDispatchState & { dueAt: string }): Clock {
  return { startAt: d.dispatchedAt, dueAt: d.dueAt, remindersSent: d.remindersSent ?? 0, overdue: false };
}

/**
 * The next moment a timer must fire, over every running clock; null when none runs. `amended`: as
 * the decision context's (a course recorded before a pass's reminders woke only at its end).
 */
export function nextWake(
  s: TicketState,
  fractions: readonly number[],
  amended: DecisionContext['amended'] = {},
): number | null {
  const passReminders = inForce({ amended }, 'sub-pass-reminders');
  const clocks: Clock[] = [
    ...runningDeadlines(s),
    ...s.assisting
      .filter((a) => a.signedAt === null && !a.overdue)
      .map((a) => ({ ...a, startAt: a.dispatchedAt, dueAt: a.signDueAt })),
  ];
  const moments = [
    ...clocks.map((c) => nextMomentOf(c, fractions)),
    // Only passes made under the amendment 'sub-unit-sign-time' carry a sign time.
    ...runningPassSigns(s).map((d) => nextMomentOf(passSignClock(d), fractions)),
    ...runningPassTimes(s).map((d) =>
      passReminders ? nextMomentOf(passClock(d), fractions) : Date.parse(d.dueAt),
    ),
  ];
  return moments.length ? Math.min(...moments) : null;
}

/** The earliest due time over the running deadlines (the `DueAt` an administrator filters by). */
export function earliestDue(s: TicketState): string | null {
  const due = runningDeadlines(s)
    .map((d) => d.dueAt)
    .sort();
  return due[0] ?? null;
}
