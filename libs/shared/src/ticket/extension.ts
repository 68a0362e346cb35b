import { citedFiles } from '../records/attachments';
import { formatDuration } from '../domain/calendar';
import type { Duration } from '../domain/calendar';
import type { DecideExtensionCommand, RequestExtensionCommand } from './contract';
import type { Decision, DecisionContext } from './decision';
import { centreDecisionSignature, decidedAlready, rememberDecision } from './centre-decision';
import { change, inForce, rejected, UNCHANGED } from './decision';
import { deadlineAfter, startDeadline } from './clock';
import type { TicketState } from './state';
import { hasVisibleText } from '../domain/text';

/**
 * Extension (延期, RULES §2: SQ at most 6 days in all; GS +3 working days): asked by the lead unit
 * once it has signed (it is for a ticket being handled), before the completion deadline, within the
 * cap, decided by the centre. Durations of any unit are compared
 * on the policy's calendar: the extensions granted so far plus the one asked, laid end to end from
 * the completion deadline the period started with, must end no later than the cap would.
 */
export function extensionFits(s: TicketState, extra: Duration, ctx: DecisionContext): boolean {
  if (!(extra.amount > 0)) return false;
  const base = s.extensionBaseDueAt ?? s.deadlines.complete?.dueAt;
  if (!base) return false;
  const cap = ctx.policy.limits.extensionCap;
  if (!(cap.amount > 0)) return false;
  const limit = Date.parse(deadlineAfter(base, cap, ctx));
  const end = [...s.extensionsGranted, extra].reduce((at, d) => deadlineAfter(at, d, ctx), base);
  return Date.parse(end) <= limit;
}

function capText(s: TicketState, ctx: DecisionContext): string {
  const granted = s.extensionsGranted.map(formatDuration).join('+') || '0';
  return `at most ${formatDuration(ctx.policy.limits.extensionCap)} in all; granted so far: ${granted}`;
}

const sameDuration = (a: Duration, b: Duration): boolean => a.amount === b.amount && a.unit === b.unit;

export function decideExtensionRequest(
  s: TicketState,
  cmd: RequestExtensionCommand,
  ctx: DecisionContext,
): Decision {
  if (s.unitId === null || cmd.unitId !== s.unitId)
    return rejected('action_rejected', `ticket ${s.ticketNo} is not with unit ${cmd.unitId}`);
  const pending = s.pendingExtension;
  if (pending !== null) {
    // One request at a time: the same again is already applied; another waits for the decision.
    if (sameDuration(pending.requested, cmd.requested)) return UNCHANGED;
    return rejected(
      'extension_pending',
      `an extension of ${formatDuration(pending.requested)} awaits the centre's decision on ticket ` +
        `${s.ticketNo}; ask for another once it is decided`,
    );
  }
  if (s.status !== 'dispatched' && s.status !== 'signed' && s.status !== 'rectifying')
    return rejected(
      'action_rejected',
      `ticket ${s.ticketNo} has no running completion deadline (it is ${s.status})`,
    );
  if (s.status === 'dispatched' && inForce(ctx, 'extension-after-sign'))
    return rejected(
      'ticket_not_signed',
      `sign ticket ${s.ticketNo} before asking for more time: an extension is for a ticket being handled`,
    );
  const due = s.deadlines.complete?.dueAt;
  if (!due || ctx.now >= Date.parse(due))
    return rejected(
      'extension_too_late',
      `an extension must be requested before the deadline (${due ?? 'none'})`,
    );
  if (!(cmd.requested.amount > 0)) return rejected('validation_failed', 'an extension asks for some time');
  if (!extensionFits(s, cmd.requested, ctx))
    return rejected('extension_over_cap', `${capText(s, ctx)}; requested ${formatDuration(cmd.requested)}`);
  if (!hasVisibleText(cmd.reason)) return rejected('validation_failed', 'an extension needs a reason');
  return change(s, (n) => {
    n.pendingExtension = { unitId: cmd.unitId, requested: cmd.requested, reason: cmd.reason };
    // A new request: the centre's last decision was on another, and is no answer to a decision on
    // this one (nor, once a reply withdraws it, to a decision sent after).
    if (n.centreDecisions?.extension !== undefined) {
      const { extension: _decided, ...others } = n.centreDecisions;
      n.centreDecisions = others;
    }
    return [
      {
        type: 'ticket.extension_requested',
        actor: cmd.actor,
        data: {
          unitId: cmd.unitId,
          requested: cmd.requested,
          reason: cmd.reason,
          ...citedFiles(cmd.attachments),
        },
      },
    ];
  });
}

export function decideExtensionDecision(
  s: TicketState,
  cmd: DecideExtensionCommand,
  ctx: DecisionContext,
): Decision {
  const pending = s.pendingExtension;
  const says = centreDecisionSignature('extension', {
    approve: cmd.approve,
    granted: cmd.granted,
    note: cmd.note.trim(),
  });
  if (pending === null)
    return decidedAlready(s, 'extension', says)
      ? UNCHANGED
      : rejected('action_rejected', `ticket ${s.ticketNo} has no extension request to decide`);
  const granted = cmd.approve ? (cmd.granted ?? pending.requested) : null;
  // The centre grants what was asked or less (amendment `grant-within-request`): a grant of nothing
  // is a refusal, and one past the request extends what nobody asked for.
  if (granted && cmd.granted && inForce(ctx, 'grant-within-request')) {
    const base = s.deadlines.complete?.dueAt ?? new Date(ctx.now).toISOString();
    if (cmd.granted.amount <= 0)
      return rejected('validation_failed', 'grant a positive time, or refuse the request', {
        field: 'granted',
      });
    if (
      Date.parse(deadlineAfter(base, cmd.granted, ctx)) >
      Date.parse(deadlineAfter(base, pending.requested, ctx))
    )
      return rejected(
        'validation_failed',
        `grant at most what was asked (${formatDuration(pending.requested)})`,
        { field: 'granted' },
      );
  }
  if (granted && !extensionFits(s, granted, ctx))
    return rejected('extension_over_cap', `that would exceed the extension cap: ${capText(s, ctx)}`);
  return change(s, (n) => {
    const complete = n.deadlines.complete;
    let completeDueAt = complete?.dueAt ?? new Date(ctx.now).toISOString();
    if (granted && complete) {
      completeDueAt = deadlineAfter(complete.dueAt, granted, ctx);
      n.extensionsGranted.push(granted);
      startDeadline(n, 'complete', complete.startAt, completeDueAt, ctx);
      if (ctx.now < Date.parse(completeDueAt)) n.overdue = n.overdue.filter((k) => k !== 'complete');
    }
    n.pendingExtension = null;
    rememberDecision(n, 'extension', says);
    return [
      {
        type: 'ticket.extension_decided',
        actor: cmd.actor,
        data: { unitId: pending.unitId, approved: cmd.approve, granted, completeDueAt, note: cmd.note },
      },
    ];
  });
}
