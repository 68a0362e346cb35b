import { citedFiles } from '../records/attachments';
import type {
  SubDeclineCommand,
  SubDispatchCommand,
  SubRecallCommand,
  SubReplyCommand,
  SubReviewCommand,
} from './contract';
import type { Decision, DecisionContext } from './decision';
import { andThen, change, iso, rejected, UNCHANGED } from './decision';
import { decideReply } from './reply';
import type { SubDispatchState, TicketState } from './state';
import { openSubDispatch } from './state';

/**
 * Multi-level handling (RULES §2; SZ 二级平台, GS 三级/四级承办单位): a lead unit that is a hub (a
 * district's sub-centre, a bureau with branches, a street with communities) passes the ticket to
 * one of its sub-units on its own desk, with its instructions and approval slip and the sub-unit's
 * own number for it. The hub stays responsible to the centre: its deadlines keep running from the
 * original dispatch, and only the hub replies. The sub-unit declines it (not its own: back to the
 * hub; passing it around is supervised) or sends its result; the hub's leader reviews the result
 * (经领导审核): approved, it goes to the centre as the hub's reply, under the closure standard like
 * any reply; sent back, the sub-unit answers again. One pass at a time: a pass the sub-unit has
 * not answered is recalled when the hub passes the ticket to another.
 */

/** While the hub handles the ticket (signed, or in rectification), and has not replied. */
const HANDLING = ['signed', 'rectifying'] as const;

function hubMayPass(s: TicketState, unitId: string): Decision | null {
  if (s.unitId === null || s.unitId !== unitId)
    return rejected('action_rejected', `ticket ${s.ticketNo} is not with unit ${unitId}`);
  if (s.status === 'dispatched')
    return rejected('ticket_not_signed', `sign ticket ${s.ticketNo} before passing it to a sub-unit`);
  if (!(HANDLING as readonly string[]).includes(s.status))
    return rejected(
      'action_rejected',
      `ticket ${s.ticketNo} is not being handled (it is ${s.status}): nothing to pass to a sub-unit`,
    );
  return null;
}

export function decideSubDispatch(s: TicketState, cmd: SubDispatchCommand, _ctx: DecisionContext): Decision {
  const open = openSubDispatch(s);
  // The same pass again (a retried request): already applied.
  if (open && open.subUnitId === cmd.subUnit.unitId && open.subTicketNo === cmd.subTicketNo) return UNCHANGED;
  const refused = hubMayPass(s, cmd.unitId);
  if (refused) return refused;
  if (cmd.subUnit.unitId === cmd.unitId)
    return rejected('validation_failed', 'a hub passes a ticket to one of its sub-units, not to itself');
  if (s.assisting.some((a) => a.unitId === cmd.subUnit.unitId))
    return rejected(
      'validation_failed',
      `unit ${cmd.subUnit.unitId} already assists on ticket ${s.ticketNo}`,
    );
  if (open?.status === 'replied')
    return rejected(
      'sub_dispatch_open',
      `the result of ${open.subUnitName} on ticket ${s.ticketNo} awaits the hub leader's review`,
    );
  return change(s, (n) => {
    const subs = n.subDispatches ?? [];
    const recalled = open ? subs[subs.length - 1] : null;
    if (recalled) recalled.status = 'recalled';
    subs.push({
      hubUnitId: cmd.unitId,
      subUnitId: cmd.subUnit.unitId,
      subUnitName: cmd.subUnit.unitName,
      subTicketNo: cmd.subTicketNo,
      status: 'dispatched',
      dispatchedAt: iso(_ctx.now),
      result: null,
    });
    n.subDispatches = subs;
    return [
      {
        type: 'ticket.sub_dispatched',
        actor: cmd.actor,
        data: {
          unitId: cmd.unitId,
          subUnitId: cmd.subUnit.unitId,
          subUnitName: cmd.subUnit.unitName,
          subTicketNo: cmd.subTicketNo,
          note: cmd.note,
          recalledSubUnitId: recalled?.subUnitId ?? null,
          ...citedFiles(cmd.attachments),
        },
      },
    ];
  });
}

/**
 * The hub takes back a pass its sub-unit has not answered (a sub-unit that does not act holds up
 * the hub, whose deadline runs): the hub handles the ticket itself again. A result already sent is
 * reviewed instead.
 */
export function decideSubRecall(s: TicketState, cmd: SubRecallCommand, _ctx: DecisionContext): Decision {
  const last = (s.subDispatches ?? []).at(-1);
  if (last?.status === 'recalled' && s.unitId === cmd.unitId) return UNCHANGED;
  if (s.unitId === null || s.unitId !== cmd.unitId)
    return rejected('action_rejected', `ticket ${s.ticketNo} is not with unit ${cmd.unitId}`);
  const open = openSubDispatch(s);
  if (!open) return rejected('action_rejected', `ticket ${s.ticketNo} is with no sub-unit`);
  if (open.status === 'replied')
    return rejected(
      'sub_dispatch_open',
      `the result of ${open.subUnitName} on ticket ${s.ticketNo} awaits the hub leader's review`,
    );
  if (cmd.reason.trim().length === 0)
    return rejected('validation_failed', 'say why the hub takes the ticket back');
  return change(s, (n) => {
    const subs = n.subDispatches!;
    subs[subs.length - 1].status = 'recalled';
    return [
      {
        type: 'ticket.sub_recalled',
        actor: cmd.actor,
        data: { unitId: cmd.unitId, subUnitId: open.subUnitId, reason: cmd.reason },
      },
    ];
  });
}

/** The latest pass to this sub-unit, if the ticket was ever passed to it. */
function latestPassTo(s: TicketState, subUnitId: string): SubDispatchState | null {
  return [...(s.subDispatches ?? [])].reverse().find((d) => d.subUnitId === subUnitId) ?? null;
}

/** The sub-unit's pass it may answer: the open one, still on its desk. */
function awaitingSubUnit(s: TicketState, unitId: string): SubDispatchState | Decision {
  const open = openSubDispatch(s);
  if (open && open.subUnitId === unitId && open.status === 'dispatched') return open;
  return rejected('action_rejected', `ticket ${s.ticketNo} is not on unit ${unitId}'s desk as a sub-unit`);
}
const isDecision = (v: SubDispatchState | Decision): v is Decision => 'kind' in v;

export function decideSubDecline(s: TicketState, cmd: SubDeclineCommand, _ctx: DecisionContext): Decision {
  const latest = latestPassTo(s, cmd.unitId);
  if (latest?.status === 'declined' && latest === (s.subDispatches ?? []).at(-1)) return UNCHANGED;
  const pass = awaitingSubUnit(s, cmd.unitId);
  if (isDecision(pass)) return pass;
  if (cmd.reason.trim().length === 0)
    return rejected('validation_failed', 'say why the ticket is not this sub-unit’s to handle');
  return change(s, (n) => {
    const subs = n.subDispatches!;
    subs[subs.length - 1].status = 'declined';
    const declines = subs.filter((d) => d.status === 'declined').length;
    return [
      {
        type: 'ticket.sub_declined',
        actor: cmd.actor,
        data: { unitId: pass.hubUnitId, subUnitId: cmd.unitId, reason: cmd.reason, declines },
      },
    ];
  });
}

export function decideSubReply(s: TicketState, cmd: SubReplyCommand, _ctx: DecisionContext): Decision {
  const open = openSubDispatch(s);
  if (open?.subUnitId === cmd.unitId && open.status === 'replied' && open.result?.content === cmd.content)
    return UNCHANGED;
  const pass = awaitingSubUnit(s, cmd.unitId);
  if (isDecision(pass)) return pass;
  if (cmd.content.trim().length === 0) return rejected('validation_failed', 'the result has no content');
  const result = {
    content: cmd.content,
    responsibleDepartment: cmd.responsibleDepartment ?? null,
    plannedCompletionDate: cmd.plannedCompletionDate ?? null,
    isPlan: cmd.isPlan ?? false,
    ...citedFiles(cmd.attachments),
  };
  return change(s, (n) => {
    const subs = n.subDispatches!;
    subs[subs.length - 1].status = 'replied';
    subs[subs.length - 1].result = result;
    return [
      {
        type: 'ticket.sub_replied',
        actor: cmd.actor,
        data: { unitId: pass.hubUnitId, subUnitId: cmd.unitId, ...result },
      },
    ];
  });
}

export function decideSubReview(s: TicketState, cmd: SubReviewCommand, ctx: DecisionContext): Decision {
  const last = (s.subDispatches ?? []).at(-1);
  if (cmd.approve && last?.status === 'approved' && s.unitId === cmd.unitId) return UNCHANGED;
  if (s.unitId === null || s.unitId !== cmd.unitId)
    return rejected('action_rejected', `ticket ${s.ticketNo} is not with unit ${cmd.unitId}`);
  if (!last || last.status !== 'replied' || !last.result)
    return rejected('action_rejected', `no sub-unit result on ticket ${s.ticketNo} awaits review`);
  if (cmd.leaderName.trim().length === 0)
    return rejected('validation_failed', 'name the leader who reviewed the result (经领导审核)');
  const result = last.result;
  const reviewed = change(s, (n) => {
    const subs = n.subDispatches!;
    const pass = subs[subs.length - 1];
    pass.status = cmd.approve ? 'approved' : 'dispatched';
    if (!cmd.approve) pass.result = null;
    return [
      {
        type: 'ticket.sub_reply_reviewed',
        actor: cmd.actor,
        data: {
          unitId: cmd.unitId,
          subUnitId: pass.subUnitId,
          approved: cmd.approve,
          leaderName: cmd.leaderName,
          note: cmd.note,
        },
      },
    ];
  });
  if (!cmd.approve) return reviewed;
  // Approved: the result goes to the centre as the hub's reply, held to the closure standard.
  return andThen(reviewed, (n) => decideReply(n, { unitId: cmd.unitId, ...result, actor: cmd.actor }, ctx));
}
