import type { Decision, DecisionContext, EventDraft } from './decision';
import { change, inForce, SYSTEM, UNCHANGED } from './decision';
import {
  passClock,
  passSignClock,
  remindersDue,
  runningDeadlines,
  runningPassSigns,
  runningPassTimes,
} from './clock';
import type { Clock } from './clock';
import { smsUnanswered } from './callback';
import type { TicketState } from './state';

/**
 * What the clock decides when a timer fires: the reminders whose moment has come (none for the
 * SMS wait: the citizen is not reminded), the overdue mark at each deadline that ran out (the
 * ticket carries on; supervision counts it), and the end of the SMS wait, which sends the
 * callback to an operator. Assisting units' sign deadlines run the same way, and a sub-unit's
 * (reminded and marked on the sub-unit, as an assisting unit's are); a sub-unit's time set by its
 * hub too (its reminders are `ticket.sub_reminded`, its mark `ticket.sub_overdue`).
 */
export function decideTimers(s: TicketState, ctx: DecisionContext): Decision {
  const t = ctx.now;
  const fractions = ctx.policy.limits.reminderFractions;
  const d = change(s, (n) => {
    const events: EventDraft[] = [];
    for (const dl of runningDeadlines(n)) {
      const reminders = remindersDue(dl, t, fractions);
      if (dl.kind !== 'callback_sms')
        for (let i = 0; i < reminders; i++)
          events.push({
            type: 'ticket.reminded',
            actor: SYSTEM,
            data: { deadline: dl.kind, dueAt: dl.dueAt, unitId: n.unitId },
          });
      if (t < Date.parse(dl.dueAt)) continue;
      if (dl.kind === 'callback_sms') {
        events.push(...smsUnanswered(n, ctx));
        continue;
      }
      dl.overdue = true;
      if (!n.overdue.includes(dl.kind)) n.overdue.push(dl.kind);
      events.push({
        type: 'ticket.overdue',
        actor: SYSTEM,
        data: { deadline: dl.kind, dueAt: dl.dueAt, unitId: n.unitId },
      });
    }
    if (n.status === 'closed') return events;
    // A sub-unit held to its hub's time: reminded at the policy's fractions of it; past it, marked
    // once, for the hub to act on (recall it, or wait).
    for (const pass of runningPassTimes(n)) {
      if (inForce(ctx, 'sub-pass-reminders')) {
        const clock = passClock(pass);
        for (let i = remindersDue(clock, t, fractions); i > 0; i--)
          events.push({
            type: 'ticket.sub_reminded',
            actor: SYSTEM,
            data: { unitId: pass.hubUnitId, subUnitId: pass.subUnitId, dueAt: pass.dueAt },
          });
        if (clock.remindersSent !== (pass.remindersSent ?? 0)) pass.remindersSent = clock.remindersSent;
      }
      if (t < Date.parse(pass.dueAt)) continue;
      pass.overdue = true;
      events.push({
        type: 'ticket.sub_overdue',
        actor: SYSTEM,
        data: { unitId: pass.hubUnitId, subUnitId: pass.subUnitId, dueAt: pass.dueAt },
      });
    }
    // A sub-unit that has not signed for its pass: held to the policy's sign time, as the lead is.
    for (const pass of runningPassSigns(n)) {
      const clock = passSignClock(pass);
      const ranOut = signTime(pass.subUnitId, clock, t, fractions, events);
      if (clock.remindersSent !== (pass.signRemindersSent ?? 0)) pass.signRemindersSent = clock.remindersSent;
      if (ranOut) pass.signOverdue = true;
    }
    for (const a of n.assisting) {
      if (a.signedAt !== null || a.overdue) continue;
      const clock = {
        startAt: a.dispatchedAt,
        dueAt: a.signDueAt,
        remindersSent: a.remindersSent,
        overdue: false,
      };
      const ranOut = signTime(a.unitId, clock, t, fractions, events);
      a.remindersSent = clock.remindersSent;
      if (ranOut) a.overdue = true;
    }
    return events;
  });
  return d.kind === 'changed' && JSON.stringify(d.state) === JSON.stringify(s) ? UNCHANGED : d;
}

/**
 * A unit's sign time (an assisting unit's, a sub-unit's) at `t`: the reminders whose moment has
 * come (counted on `clock`), and the overdue mark once it ran out. Returns whether it ran out.
 */
function signTime(
  unitId: string,
  clock: Clock,
  t: number,
  fractions: readonly number[],
  events: EventDraft[],
): boolean {
  const data = { deadline: 'sign' as const, dueAt: clock.dueAt, unitId };
  for (let i = remindersDue(clock, t, fractions); i > 0; i--)
    events.push({ type: 'ticket.reminded', actor: SYSTEM, data: { ...data } });
  if (t < Date.parse(clock.dueAt)) return false;
  events.push({ type: 'ticket.overdue', actor: SYSTEM, data: { ...data } });
  return true;
}
