import type { SignCommand } from './contract';
import type { Decision, DecisionContext } from './decision';
import { change, iso, rejected, UNCHANGED } from './decision';
import { clearDeadlines } from './clock';
import type { TicketState } from './state';

/**
 * Sign (签收, RULES §2: within the policy's sign limit, SQ 1 h). A late sign is accepted and
 * recorded as late: a scored violation, never a refusal. An assisting unit signs for itself.
 */
export function decideSign(s: TicketState, cmd: SignCommand, ctx: DecisionContext): Decision {
  const assisting = s.assisting.find((a) => a.unitId === cmd.unitId);
  if (assisting) {
    if (assisting.signedAt !== null || s.status === 'closed') return UNCHANGED;
    return change(s, (n) => {
      const a = n.assisting.find((x) => x.unitId === cmd.unitId)!;
      a.late = ctx.now > Date.parse(a.signDueAt);
      a.signedAt = iso(ctx.now);
      return [
        { type: 'ticket.assistance_signed', actor: cmd.actor, data: { unitId: a.unitId, late: a.late } },
      ];
    });
  }
  if (s.unitId === null || s.status === 'created')
    return rejected('ticket_not_signable', `ticket ${s.ticketNo} has not been dispatched yet`);
  if (cmd.unitId !== s.unitId)
    return rejected('ticket_not_signable', `ticket ${s.ticketNo} is not with unit ${cmd.unitId}`);
  if (s.status === 'returned')
    return rejected(
      'ticket_not_signable',
      `ticket ${s.ticketNo} was returned and awaits the centre's decision`,
    );
  if (s.status !== 'dispatched') return UNCHANGED; // signed already
  return change(s, (n) => {
    n.signedLate = n.signDueAt !== null && ctx.now > Date.parse(n.signDueAt);
    n.signedAt = iso(ctx.now);
    n.status = 'signed';
    clearDeadlines(n, 'sign');
    return [{ type: 'ticket.signed', actor: cmd.actor, data: { unitId: cmd.unitId, late: n.signedLate } }];
  });
}
