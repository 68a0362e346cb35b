import { DEADLINE_KINDS } from '../domain/vocabulary';
import type { Actor } from '../domain/events';
import type { DispatchCommand, Route, UnitRef } from './contract';
import type { Decision, DecisionContext, EventDraft } from './decision';
import { change, inForce, iso, rejected, SYSTEM, UNCHANGED } from './decision';
import { clearDeadlines, deadlineAfter, startDeadline } from './clock';
import type { TicketState } from './state';

/** The most assisting units (协办单位) a ticket has beside its lead. */
export const MAX_ASSISTING_UNITS = 10;

/**
 * Dispatch (派单, RULES §1): the ticket goes to the unit the matter catalog names, or the centre
 * names one by hand when the catalog has none (特事特办). From the dispatch run the unit's sign
 * deadline, its completion deadline and its return window; each assisting unit (协办单位) gets
 * its own sign deadline. A unit the centre designates by coordination gets no return window
 * (`returnable` false): it may not return the ticket.
 */
export function dispatchTo(
  s: TicketState,
  unit: Route | UnitRef,
  assisting: readonly UnitRef[],
  ctx: DecisionContext,
  actor: Actor = SYSTEM,
  returnable = true,
): EventDraft[] {
  const at = ctx.now;
  const limits = ctx.policy.limits;
  const signDueAt = deadlineAfter(at, limits.sign, ctx);
  const completeDueAt = deadlineAfter(at, limits.complete, ctx);
  const returnWindowEndsAt = returnable ? deadlineAfter(at, limits.returnWindow, ctx) : null;
  if (s.unitId !== null && s.unitId !== unit.unitId && !s.formerUnitIds.includes(s.unitId))
    s.formerUnitIds.push(s.unitId);
  s.formerUnitIds = s.formerUnitIds.filter((id) => id !== unit.unitId);
  // An assisting unit made lead is the lead from now on, not both.
  s.assisting = s.assisting.filter((a) => a.unitId !== unit.unitId);
  s.awaitingManualDispatch = false;
  s.awaitingDirectAnswer = false;
  s.unitId = unit.unitId;
  s.unitName = unit.unitName;
  s.status = 'dispatched';
  s.signDueAt = signDueAt;
  s.signedAt = null;
  s.signedLate = false;
  s.returnWindowEndsAt = returnWindowEndsAt;
  s.pendingExtension = null;
  s.extensionsGranted = [];
  s.extensionBaseDueAt = completeDueAt;
  // A new lead unit starts with its own clock; the previous unit's violations stay on the record.
  s.overdue = s.overdue.filter((k) => k === 'acceptance_notice');
  // The ticket's own clocks stay: the acceptance notice to the petitioner runs from intake.
  clearDeadlines(s, ...DEADLINE_KINDS.filter((k) => k !== 'acceptance_notice'));
  startDeadline(s, 'sign', at, signDueAt, ctx);
  startDeadline(s, 'complete', at, completeDueAt, ctx);
  const events: EventDraft[] = [
    {
      type: 'ticket.dispatched',
      actor,
      data: {
        unitId: unit.unitId,
        unitName: unit.unitName,
        catalogEntryId: 'catalogEntryId' in unit ? unit.catalogEntryId : null,
        signDueAt,
        completeDueAt,
        returnWindowEndsAt,
      },
    },
  ];
  return [...events, ...addAssisting(s, assisting, ctx, actor)];
}

/**
 * Puts the assisting units named on the ticket beside its lead (not the lead, not one already on
 * it), each to sign within the policy's time from now.
 */
export function addAssisting(
  s: TicketState,
  assisting: readonly UnitRef[],
  ctx: DecisionContext,
  actor: Actor = SYSTEM,
): EventDraft[] {
  const at = ctx.now;
  const events: EventDraft[] = [];
  for (const a of assisting) {
    if (a.unitId === s.unitId || s.assisting.some((x) => x.unitId === a.unitId)) continue;
    const due = deadlineAfter(at, ctx.policy.limits.sign, ctx);
    s.assisting.push({
      unitId: a.unitId,
      unitName: a.unitName,
      dispatchedAt: iso(at),
      signDueAt: due,
      signedAt: null,
      late: false,
      remindersSent: 0,
      overdue: false,
    });
    events.push({
      type: 'ticket.assistance_dispatched',
      actor,
      data: { unitId: a.unitId, unitName: a.unitName, signDueAt: due },
    });
  }
  return events;
}

/** No catalog entry: the ticket waits for the centre, within the policy's dispatch limit. */
export function awaitManualDispatch(s: TicketState, createdAt: string, ctx: DecisionContext): void {
  s.status = 'created';
  s.awaitingManualDispatch = true;
  startDeadline(s, 'dispatch', createdAt, deadlineAfter(createdAt, ctx.policy.limits.dispatch, ctx), ctx);
}

/** The centre dispatches by hand (特事特办): only a ticket that waits for it. */
export function decideManualDispatch(s: TicketState, cmd: DispatchCommand, ctx: DecisionContext): Decision {
  if (s.status !== 'created') {
    // The same dispatch again (the same unit, and the same assisting units: amendment
    // `dispatch-once`; before it, any assisting units) is the one made.
    const assisting = (ids: readonly { unitId: string }[]) => JSON.stringify(ids.map((a) => a.unitId).sort());
    const same =
      s.unitId === cmd.unit.unitId &&
      (!inForce(ctx, 'dispatch-once') || assisting(s.assisting) === assisting(cmd.assisting ?? []));
    return same
      ? UNCHANGED
      : rejected(
          'action_rejected',
          `ticket ${s.ticketNo} is no longer waiting for a dispatch: its status is ${s.status}${s.unitId ? `, with ${s.unitId}` : ''}`,
        );
  }
  if (!s.awaitingManualDispatch && !s.awaitingDirectAnswer)
    return rejected('action_rejected', `ticket ${s.ticketNo} is being dispatched by the matter catalog`);
  return change(s, (n) => dispatchTo(n, cmd.unit, cmd.assisting ?? [], ctx, cmd.actor));
}
