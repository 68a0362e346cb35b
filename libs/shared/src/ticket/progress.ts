import type { AddProgressNoteCommand } from './contract';
import type { Decision, DecisionContext } from './decision';
import { change, rejected, UNCHANGED } from './decision';
import type { TicketState } from './state';
import { openPassTo } from './state';
import { hasVisibleText } from '../domain/text';

/** While the ticket is being handled, and not yet replied to: when a progress note means something. */
const HANDLING = ['dispatched', 'signed', 'rectifying'] as const;

/**
 * Progress note (办理进度, RULES §2: a unit's actions include "add progress notes"): a unit that has
 * signed the ticket, the lead or an assisting unit (or a hub's sub-unit while the ticket is on its
 * desk), records how its handling is going, while the
 * ticket is being handled (signed or in rectification; for an assisting unit, until the lead
 * replies). It changes no deadline and no status: the reply is what answers the ticket. Each note
 * is a new one; the same note sent again by its unit right after (a retried request) is already
 * applied, and an Idempotency-Key makes any repeat one note.
 */
export function decideProgressNote(
  s: TicketState,
  cmd: AddProgressNoteCommand,
  _ctx: DecisionContext,
): Decision {
  const content = cmd.content.trim();
  if (!hasVisibleText(content))
    return rejected('validation_failed', 'a progress note says how the handling is going');
  const assisting = s.assisting.find((a) => a.unitId === cmd.unitId);
  const sub = openPassTo(s, cmd.unitId);
  if (sub) {
    // A hub's sub-unit notes its progress while the ticket is on its desk (RULES §2 multi-level).
    if (sub.status !== 'dispatched')
      return rejected('action_rejected', `unit ${cmd.unitId} has sent its result on ticket ${s.ticketNo}`);
  } else if (assisting) {
    if (assisting.signedAt === null)
      return rejected('ticket_not_signed', `sign ticket ${s.ticketNo} before noting its progress`);
  } else if (s.unitId !== cmd.unitId) {
    return rejected('action_rejected', `ticket ${s.ticketNo} is not with unit ${cmd.unitId}`);
  } else if (s.status === 'dispatched') {
    return rejected('ticket_not_signed', `sign ticket ${s.ticketNo} before noting its progress`);
  }
  if (!(HANDLING as readonly string[]).includes(s.status))
    return rejected(
      'action_rejected',
      `ticket ${s.ticketNo} is not being handled (it is ${s.status}): no progress to note`,
    );
  const last = s.lastProgressNote ?? null;
  if (last && last.unitId === cmd.unitId && last.content === content) return UNCHANGED;
  return change(s, (n) => {
    n.lastProgressNote = { unitId: cmd.unitId, content };
    return [{ type: 'ticket.progress_noted', actor: cmd.actor, data: { unitId: cmd.unitId, content } }];
  });
}
