import { citedFiles } from '../records/attachments';
import type { DecideReturnCommand, ReturnCommand } from './contract';
import type { Decision, DecisionContext } from './decision';
import { centreDecisionSignature, decidedAlready, rememberDecision } from './centre-decision';
import { change, inForce, rejected, UNCHANGED } from './decision';
import { dispatchTo } from './dispatch';
import type { TicketState } from './state';
import { openSubDispatch } from './state';
import { hasVisibleText } from '../domain/text';

/**
 * Return (退回, SQ art. 10.4): a unit that is not responsible returns the ticket within the return
 * window (SQ 12 h after dispatch), with its reason and legal basis and the unit it holds
 * responsible. The centre approves and re-dispatches, or refuses and the ticket goes back.
 */
export function decideReturn(s: TicketState, cmd: ReturnCommand, ctx: DecisionContext): Decision {
  if (s.unitId === null || cmd.unitId !== s.unitId)
    return rejected('action_rejected', `ticket ${s.ticketNo} is not with unit ${cmd.unitId}`);
  if (s.status === 'returned') {
    // The same return again is the one made; another (another reason or unit) is not taken as if
    // it had been (amendment `return-once`: before it, any return again was already applied).
    const p = s.pendingReturn;
    const same =
      p !== null &&
      p.unitId === cmd.unitId &&
      p.reason === cmd.reason &&
      (p.suggestedUnit?.unitId ?? null) === (cmd.suggestedUnit?.unitId ?? null);
    if (same || !inForce(ctx, 'return-once')) return UNCHANGED;
    return rejected(
      'action_rejected',
      `ticket ${s.ticketNo} was returned already, with another reason or unit; it awaits the centre's decision`,
    );
  }
  if (s.status !== 'dispatched' && s.status !== 'signed')
    return rejected('action_rejected', `ticket ${s.ticketNo} can no longer be returned (it is ${s.status})`);
  // The centre designated this unit by coordination: whose it is was decided (states recorded
  // before coordination have no designation, so their returns stand as taken).
  if (s.designatedUnitId === cmd.unitId)
    return rejected(
      'action_rejected',
      `the centre designated unit ${cmd.unitId} to lead ticket ${s.ticketNo} by coordination: it handles it, and does not return it (raise a disagreement with the centre)`,
    );
  const sub = openSubDispatch(s);
  if (sub)
    return rejected(
      'sub_dispatch_open',
      `ticket ${s.ticketNo} is with sub-unit ${sub.subUnitName}: a hub that passed it on cannot return it`,
    );
  if (s.returnWindowEndsAt !== null && ctx.now > Date.parse(s.returnWindowEndsAt))
    return rejected(
      'return_window_closed',
      `the return window of ticket ${s.ticketNo} closed at ${s.returnWindowEndsAt}`,
    );
  if (!hasVisibleText(cmd.reason))
    return rejected('validation_failed', 'a return needs its reason and legal basis');
  return change(s, (n) => {
    n.statusBeforeReturn = n.status;
    n.status = 'returned';
    n.pendingReturn = { unitId: cmd.unitId, reason: cmd.reason, suggestedUnit: cmd.suggestedUnit };
    return [
      {
        type: 'ticket.returned',
        actor: cmd.actor,
        data: {
          unitId: cmd.unitId,
          reason: cmd.reason,
          suggestedUnitId: cmd.suggestedUnit?.unitId ?? null,
          ...citedFiles(cmd.attachments),
        },
      },
    ];
  });
}

/**
 * What is wrong with the unit a return names as responsible (SQ art. 10.4: a return gives its
 * legal basis and suggests the right unit), or null: a unit, and another than the one returning the
 * ticket. (The centre may still dispatch to another when it approves.) Checked where the unit's
 * request comes in; the decision above stays as the recorded histories took it (returns without a
 * suggestion were accepted before).
 */
export function returnSuggestionProblem(
  returningUnitId: string,
  suggestedUnitId: string | null,
  /** The hubs the suggested unit is a sub-unit of, its own hub first, up the levels. */
  suggestedHubIds: readonly string[] = [],
): string | null {
  if (suggestedHubIds.includes(returningUnitId))
    return `unit ${suggestedUnitId} is under the returning hub: pass the ticket down to it (sub-dispatch) instead of returning it`;
  if (suggestedUnitId === null || suggestedUnitId.trim() === '')
    return 'a return names the unit it holds responsible (suggestedUnitId, SQ art. 10.4)';
  if (suggestedUnitId === returningUnitId)
    return `a return names another unit as responsible, not the returning unit ${returningUnitId} itself`;
  return null;
}

/** The centre's decision on a return: approved, the ticket goes to the named unit; refused, back where it was. */
export function decideReturnDecision(
  s: TicketState,
  cmd: DecideReturnCommand,
  ctx: DecisionContext,
): Decision {
  const pending = s.pendingReturn;
  const says = centreDecisionSignature('return', {
    approve: cmd.approve,
    redispatchTo: cmd.redispatchTo?.unitId ?? null,
    note: cmd.note.trim(),
  });
  if (s.status !== 'returned' || pending === null)
    return decidedAlready(s, 'return', says)
      ? UNCHANGED
      : rejected('action_rejected', `ticket ${s.ticketNo} has no return to decide`);
  const target = cmd.redispatchTo ?? pending.suggestedUnit;
  if (cmd.approve && !target)
    return rejected('validation_failed', 'approving a return needs the unit to dispatch to');
  return change(s, (n) => {
    n.pendingReturn = null;
    rememberDecision(n, 'return', says);
    const decided = {
      type: 'ticket.return_decided' as const,
      actor: cmd.actor,
      data: { unitId: pending.unitId, approved: cmd.approve, note: cmd.note },
    };
    if (cmd.approve) return [decided, ...dispatchTo(n, target!, [], ctx, cmd.actor)];
    n.status = n.statusBeforeReturn ?? 'dispatched';
    n.statusBeforeReturn = null;
    return [decided];
  });
}
