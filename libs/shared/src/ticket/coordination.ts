import type { CoordinateCommand } from './contract';
import type { Decision, DecisionContext, EventDraft } from './decision';
import type { TicketCoordinatedData } from '../domain/events';
import { change, inForce, rejected, UNCHANGED } from './decision';
import { centreDecisionSignature, decidedAlready, rememberDecision } from './centre-decision';
import { addAssisting, dispatchTo, MAX_ASSISTING_UNITS } from './dispatch';
import type { TicketState } from './state';
import { openPasses } from './state';
import { hasVisibleText } from '../domain/text';
import type { CoordinationLevel } from '../domain/vocabulary';

/**
 * Coordination (协调, RULES §2; SZ coordination rules art. 3–4, SQ art. 20): where responsibility
 * is unclear, duties overlap or units pass the case between them, the centre designates the lead
 * unit (牵头单位), and may name assisting units (协办单位), with its reason. The ticket leaves the
 * lead unit's desk (its assignment withdrawn, as after an approved return) and, with any pass to
 * its sub-units, goes to the designated lead, whose sign and completion deadlines run from now.
 * The former lead may be named among the assisting units. The designated lead handles it: it does
 * not return it (the centre has decided whose it is; it may coordinate again). The unit the ticket
 * is with returns it itself (退回, the centre decides); coordination is the centre's own step, taken
 * while the ticket is being handled: dispatched or signed, nothing awaiting the centre's decision.
 *
 * The unit that leads may be the one designated: the coordination confirms it (it keeps the
 * ticket, its deadlines and its passes; it no longer returns it) and names any assisting units.
 *
 * Failing the centre's coordination, the leadership group designates (SZ coordination rules art. 4,
 * SQ art. 20): the centre coordinates a ticket at most {@link CENTRE_COORDINATIONS} times; a further
 * designation, and any after the group's, is the group's (`level: leadership_group`, recorded by the
 * centre). Amendment `coordination-levels`: before it, any number of the centre's, no level, and
 * the unit that leads was refused.
 */
export function decideCoordination(s: TicketState, cmd: CoordinateCommand, ctx: DecisionContext): Decision {
  const levels = inForce(ctx, 'coordination-levels');
  const level: CoordinationLevel = cmd.level ?? 'centre';
  const says = centreDecisionSignature('coordination', {
    unitId: cmd.unit.unitId,
    assisting: JSON.stringify(cmd.assisting.map((a) => a.unitId).sort()),
    reason: cmd.reason.trim(),
    ...(levels ? { level } : {}),
  });
  // The same designation again (a retry, a second click) is the one made; any other is refused
  // below when the ticket is past its handling, or taken as a new designation while it is handled.
  if (s.unitId === cmd.unit.unitId && decidedAlready(s, 'coordination', says)) return UNCHANGED;
  if (!hasVisibleText(cmd.reason))
    return rejected('validation_failed', 'a coordination needs its reason (why this unit leads)');
  if (s.status === 'returned')
    return rejected(
      'action_rejected',
      `ticket ${s.ticketNo} was returned by ${s.pendingReturn?.unitId ?? 'its unit'}: decide the return (approving it names the unit)`,
    );
  if (s.status === 'created')
    return rejected('action_rejected', `ticket ${s.ticketNo} is on no unit's desk yet: dispatch it`);
  if (s.status === 'closed') return rejected('ticket_closed', `ticket ${s.ticketNo} is closed`);
  if (s.status !== 'dispatched' && s.status !== 'signed')
    return rejected(
      'action_rejected',
      `ticket ${s.ticketNo} is ${s.status}: the centre designates the lead unit while it is being handled`,
    );
  // Designating the unit that leads confirms it (amendment `coordination-levels`; before it, refused).
  const confirming = s.unitId === cmd.unit.unitId;
  if (confirming && !levels)
    return rejected('action_rejected', `unit ${cmd.unit.unitId} already leads ticket ${s.ticketNo}`);
  if (cmd.assisting.some((a) => a.unitId === cmd.unit.unitId))
    return rejected('validation_failed', `the lead unit ${cmd.unit.unitId} is not also an assisting unit`);
  const assisting = new Set([...s.assisting.map((a) => a.unitId), ...cmd.assisting.map((a) => a.unitId)]);
  assisting.delete(cmd.unit.unitId);
  if (assisting.size > MAX_ASSISTING_UNITS)
    return rejected(
      'validation_failed',
      `a ticket has at most ${MAX_ASSISTING_UNITS} assisting units; with these it would have ${assisting.size}`,
    );
  // A confirmed lead keeps its passes: a sub-unit holding one handles it there, not also as assisting.
  const holding = confirming
    ? openPasses(s).find((p) => cmd.assisting.some((a) => a.unitId === p.subUnitId))
    : undefined;
  if (holding)
    return rejected(
      'validation_failed',
      `unit ${holding.subUnitId} holds a pass of ticket ${s.ticketNo} from ${holding.hubUnitId}: it is not also an assisting unit (its hub recalls the pass first)`,
    );
  const escalation = levels ? escalationProblem(s, level) : null;
  if (escalation) return rejected('coordination_escalation_required', escalation);
  const fromUnitId = s.unitId!;
  if (confirming)
    return change(s, (n) => {
      rememberDecision(n, 'coordination', says);
      n.designatedUnitId = cmd.unit.unitId;
      n.returnWindowEndsAt = null;
      n.coordinations = { ...n.coordinations, [level]: coordinations(n, level) + 1 };
      return [
        coordinated(cmd, { fromUnitId, recalledSubUnitIds: [], withdrawnExtension: null, level }),
        ...addAssisting(n, cmd.assisting, ctx, cmd.actor),
      ];
    });
  // An extension the former lead asked for goes with it, on the record (the new lead asks its own).
  const withdrawnExtension = s.pendingExtension
    ? { unitId: s.pendingExtension.unitId, requested: s.pendingExtension.requested }
    : null;
  return change(s, (n) => {
    rememberDecision(n, 'coordination', says);
    // The passes to sub-units go with the ticket: the hub no longer holds it.
    const recalled = openPasses(n).map((p) => p.subUnitId);
    for (const p of n.subDispatches ?? []) if (recalled.includes(p.subUnitId)) p.status = 'recalled';
    // The designated lead may not return it: no return window (before amendment
    // `coordination-levels` it was shown, and the return refused all the same).
    const events = dispatchTo(n, cmd.unit, cmd.assisting, ctx, cmd.actor, !levels);
    n.designatedUnitId = cmd.unit.unitId;
    n.coordinations = { ...n.coordinations, [level]: coordinations(n, level) + 1 };
    return [
      coordinated(cmd, {
        fromUnitId,
        recalledSubUnitIds: recalled,
        withdrawnExtension,
        level: levels ? level : undefined,
      }),
      ...events,
    ];
  });
}

/** The coordination's event: the lead designated, from which unit, what went with the ticket, why. */
function coordinated(
  cmd: CoordinateCommand,
  f: Pick<TicketCoordinatedData, 'fromUnitId' | 'recalledSubUnitIds' | 'withdrawnExtension' | 'level'>,
): EventDraft {
  return {
    type: 'ticket.coordinated',
    actor: cmd.actor,
    data: {
      fromUnitId: f.fromUnitId,
      unitId: cmd.unit.unitId,
      unitName: cmd.unit.unitName,
      assistingUnitIds: cmd.assisting.map((a) => a.unitId),
      recalledSubUnitIds: f.recalledSubUnitIds,
      withdrawnExtension: f.withdrawnExtension,
      reason: cmd.reason,
      ...(f.level ? { level: f.level } : {}),
    },
  };
}

/** The centre coordinates a ticket at most this many times; then the leadership group designates. */
export const CENTRE_COORDINATIONS = 2;

const coordinations = (s: TicketState, level: CoordinationLevel): number => s.coordinations?.[level] ?? 0;

/** Why this level may not designate the lead of the ticket now, or null. */
function escalationProblem(s: TicketState, level: CoordinationLevel): string | null {
  if (level === 'leadership_group') return null;
  if (coordinations(s, 'leadership_group') > 0)
    return `the leadership group designated the lead unit of ticket ${s.ticketNo}: a new designation is the group's (level leadership_group)`;
  if (coordinations(s, 'centre') >= CENTRE_COORDINATIONS)
    return `the centre has coordinated ticket ${s.ticketNo} ${CENTRE_COORDINATIONS} times without settling it: escalate to the leadership group (level leadership_group)`;
  return null;
}
