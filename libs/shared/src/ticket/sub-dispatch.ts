import { citedFiles } from '../records/attachments';
import type {
  SubDeclineCommand,
  SubDispatchCommand,
  SubRecallCommand,
  SubReplyCommand,
  SubReviewCommand,
  SubSignCommand,
} from './contract';
import type { Decision, DecisionContext } from './decision';
import { andThen, change, inForce, iso, rejected, UNCHANGED } from './decision';
import { deadlineAfter } from './clock';
import { decideReply } from './reply';
import type { SubDispatchState, SubDispatchStatus, TicketState } from './state';
import { handlingLevel, MAX_HANDLING_LEVELS, openPassFrom, openPassTo } from './state';
import { hasVisibleText } from '../domain/text';

/**
 * Multi-level handling (RULES §2; SZ 二级平台, GS 三级/四级承办单位): a lead unit that is a hub (a
 * district's sub-centre, a bureau with branches, a street with communities) passes the ticket to
 * one of its sub-units on its own desk, with its instructions and approval slip and the sub-unit's
 * own number for it. A sub-unit that is itself a hub passes it on in turn, down to the fourth level
 * (a district to a street to a community). The lead stays responsible to the centre: its deadlines
 * keep running from the original dispatch, and only the lead replies. A sub-unit signs for its pass
 * (签收, 接单) before it acts on it, or declines it (not its own: back to its hub; passing it around
 * is supervised); signed, it sends its result or passes the ticket on in turn; its hub's
 * leader reviews the result (经领导审核): approved, it goes up as the hub's own result, and from the
 * lead to the centre as its reply, under the closure standard like any reply; sent back, the
 * sub-unit answers again. One pass at a time from each hub: a pass its sub-unit has not answered is
 * recalled when the hub passes the ticket to another, and with it every pass below it.
 */

/** While the lead handles the ticket (signed, or in rectification), and has not replied. */
const HANDLING = ['signed', 'rectifying'] as const;

const notWith = (s: TicketState, unitId: string) =>
  rejected('action_rejected', `ticket ${s.ticketNo} is not with unit ${unitId}`);

/** A sub-unit acts on its pass once it signed for it (a pass recorded before signing was asked: as it was). */
const unsigned = (s: TicketState, pass: SubDispatchState, ctx: DecisionContext): Decision | null =>
  inForce(ctx, 'sub-unit-signs') && !pass.signedAt
    ? rejected('ticket_not_signed', `sign ticket ${s.ticketNo} on your desk (签收) before acting on it`)
    : null;

/** Whether this unit holds the ticket to pass it on: the lead handling it, or a sub-unit it is with (signed). */
function mayPass(s: TicketState, unitId: string, ctx: DecisionContext): Decision | null {
  if (s.unitId !== null && s.unitId === unitId) {
    if (s.status === 'dispatched')
      return rejected('ticket_not_signed', `sign ticket ${s.ticketNo} before passing it to a sub-unit`);
    if (!(HANDLING as readonly string[]).includes(s.status))
      return rejected(
        'action_rejected',
        `ticket ${s.ticketNo} is not being handled (it is ${s.status}): nothing to pass to a sub-unit`,
      );
    return null;
  }
  const held = openPassTo(s, unitId);
  if (!held) return notWith(s, unitId);
  if (held.status !== 'dispatched')
    return rejected('action_rejected', `unit ${unitId} has sent its result on ticket ${s.ticketNo}`);
  const notSigned = unsigned(s, held, ctx);
  if (notSigned) return notSigned;
  if (handlingLevel(s, unitId) >= MAX_HANDLING_LEVELS)
    return rejected(
      'validation_failed',
      `ticket ${s.ticketNo} is at its ${MAX_HANDLING_LEVELS}th level of handling: it goes no further down`,
    );
  return null;
}

/** Where this pass sits in the state's list (the decisions change the copy at the same place). */
const indexOf = (s: TicketState, pass: SubDispatchState) => (s.subDispatches ?? []).indexOf(pass);

/** Closes a pass and every open pass below it: the pass itself as `status`, those below recalled. */
function closeDown(n: TicketState, index: number, status: SubDispatchStatus): void {
  const subs = n.subDispatches!;
  let pass: SubDispatchState | null = subs[index];
  pass.status = status;
  while ((pass = openPassFrom(n, pass.subUnitId))) pass.status = 'recalled';
}

/** What makes a pass this pass, besides its sub-unit and number: its note, time and files. */
export function passSignature(cmd: SubDispatchCommand): string {
  return JSON.stringify([
    cmd.note,
    cmd.dueAt ?? null,
    (cmd.attachments ?? []).map((a) => a.attachmentId).sort(),
  ]);
}

/** The open pass is this one (a pass recorded before signatures: by its time). */
function samePass(open: SubDispatchState, cmd: SubDispatchCommand): boolean {
  return open.signature !== undefined
    ? open.signature === passSignature(cmd)
    : (open.dueAt ?? null) === (cmd.dueAt ?? null);
}

export function decideSubDispatch(s: TicketState, cmd: SubDispatchCommand, _ctx: DecisionContext): Decision {
  const open = openPassFrom(s, cmd.unitId);
  // The same pass again (a retried request): already applied. The same sub-unit and number with
  // other instructions, another time or other files is not taken as if it had been: the hub
  // recalls the pass, or passes it anew under another number of the sub-unit's.
  if (open && open.subUnitId === cmd.subUnit.unitId && open.subTicketNo === cmd.subTicketNo) {
    if (!inForce(_ctx, 'pass-once') || samePass(open, cmd)) return UNCHANGED;
    return rejected(
      'sub_dispatch_open',
      `ticket ${s.ticketNo} is already with ${open.subUnitName} under this pass, with other instructions; recall it, or pass it anew under another number`,
    );
  }
  const refused = mayPass(s, cmd.unitId, _ctx);
  if (refused) return refused;
  if (cmd.subUnit.unitId === cmd.unitId)
    return rejected('validation_failed', 'a hub passes a ticket to one of its sub-units, not to itself');
  if (s.assisting.some((a) => a.unitId === cmd.subUnit.unitId))
    return rejected(
      'validation_failed',
      `unit ${cmd.subUnit.unitId} already assists on ticket ${s.ticketNo}`,
    );
  const above = openPassTo(s, cmd.subUnit.unitId);
  // (The same sub-unit again with another number of its own is a new pass: the open one is recalled.)
  if (s.unitId === cmd.subUnit.unitId || (above && above !== open))
    return rejected(
      'validation_failed',
      `unit ${cmd.subUnit.unitId} already handles ticket ${s.ticketNo} above unit ${cmd.unitId}`,
    );
  if (open?.status === 'replied')
    return rejected(
      'sub_dispatch_open',
      `the result of ${open.subUnitName} on ticket ${s.ticketNo} awaits the hub leader's review`,
    );
  const late = dueProblem(s, cmd, _ctx);
  if (late) return late;
  const openAt = open ? indexOf(s, open) : -1;
  // The sub-unit signs within the policy's sign limit, as the lead does (RULES §2: sign in 1 h),
  // and by the time its result is due at the latest (amendment `sub-sign-within-due`).
  const signLimit =
    inForce(_ctx, 'sub-unit-signs') && inForce(_ctx, 'sub-unit-sign-time')
      ? deadlineAfter(_ctx.now, _ctx.policy.limits.sign, _ctx)
      : null;
  const signDueAt =
    signLimit &&
    cmd.dueAt &&
    inForce(_ctx, 'sub-sign-within-due') &&
    Date.parse(cmd.dueAt) < Date.parse(signLimit)
      ? iso(Date.parse(cmd.dueAt))
      : signLimit;
  return change(s, (n) => {
    const subs = n.subDispatches ?? [];
    n.subDispatches = subs;
    const recalled = openAt >= 0 ? subs[openAt] : null;
    if (recalled) closeDown(n, openAt, 'recalled');
    subs.push({
      hubUnitId: cmd.unitId,
      subUnitId: cmd.subUnit.unitId,
      subUnitName: cmd.subUnit.unitName,
      subTicketNo: cmd.subTicketNo,
      status: 'dispatched',
      dispatchedAt: iso(_ctx.now),
      result: null,
      ...(cmd.dueAt ? { dueAt: cmd.dueAt } : {}),
      ...(signDueAt ? { signDueAt } : {}),
      signature: passSignature(cmd),
    });
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
          ...(cmd.dueAt ? { dueAt: cmd.dueAt } : {}),
          ...(signDueAt ? { signDueAt } : {}),
        },
      },
    ];
  });
}

/**
 * The time a hub sets its sub-unit is its own to give: after now, and not after the hub's own
 * time (the lead's reply deadline; a middle hub's, the time its own hub set it, or else the lead's).
 */
function dueProblem(s: TicketState, cmd: SubDispatchCommand, ctx: DecisionContext): Decision | null {
  if (!cmd.dueAt) return null;
  const due = Date.parse(cmd.dueAt);
  if (Number.isNaN(due)) return rejected('validation_failed', 'dueAt is not a time', { field: 'dueAt' });
  if (due <= ctx.now)
    return rejected('validation_failed', `the time for the sub-unit's result (${cmd.dueAt}) has passed`, {
      field: 'dueAt',
    });
  const leadDue = s.deadlines.complete?.dueAt ?? null;
  const own = s.unitId === cmd.unitId ? leadDue : (openPassTo(s, cmd.unitId)?.dueAt ?? leadDue);
  if (own !== null && due > Date.parse(own))
    return rejected(
      'validation_failed',
      `unit ${cmd.unitId} has until ${own} itself: its sub-unit's time cannot run past it`,
      { field: 'dueAt' },
    );
  return null;
}

/**
 * The sub-unit signs for the pass on its desk (签收, 接单): it takes the ticket on, and from then on
 * sends its result or passes it on. Signing again is that signature. A sub-unit that will not take
 * it declines it instead.
 */
export function decideSubSign(s: TicketState, cmd: SubSignCommand, _ctx: DecisionContext): Decision {
  const held = openPassTo(s, cmd.unitId);
  if (held?.signedAt) return UNCHANGED;
  if (!held) return notWith(s, cmd.unitId);
  if (held.status !== 'dispatched')
    return rejected('action_rejected', `unit ${cmd.unitId} has sent its result on ticket ${s.ticketNo}`);
  const at = indexOf(s, held);
  // Past the sign time its pass gave it (a pass made before sub-units had one has none): late,
  // accepted, and a scored violation of the sub-unit's, as a lead's late sign is.
  const late = held.signDueAt ? _ctx.now > Date.parse(held.signDueAt) : undefined;
  return change(s, (n) => {
    n.subDispatches![at].signedAt = iso(_ctx.now);
    return [
      {
        type: 'ticket.sub_signed',
        actor: cmd.actor,
        data: {
          unitId: held.hubUnitId,
          subUnitId: cmd.unitId,
          subTicketNo: held.subTicketNo,
          ...(late === undefined ? {} : { late }),
        },
      },
    ];
  });
}

/** Whether the unit handles the ticket at some level: the lead, or a sub-unit with an open pass. */
const handles = (s: TicketState, unitId: string) =>
  (s.unitId !== null && s.unitId === unitId) || openPassTo(s, unitId) !== null;

/** The latest pass a hub made, open or not. */
const latestPassFrom = (s: TicketState, hubUnitId: string) =>
  [...(s.subDispatches ?? [])].reverse().find((d) => d.hubUnitId === hubUnitId) ?? null;

/**
 * The hub takes back a pass its sub-unit has not answered (a sub-unit that does not act holds up
 * the hub, whose deadline runs): the hub handles the ticket itself again, and every pass below
 * it is recalled with it. A result already sent is reviewed instead.
 */
export function decideSubRecall(s: TicketState, cmd: SubRecallCommand, _ctx: DecisionContext): Decision {
  const open = openPassFrom(s, cmd.unitId);
  if (!open && latestPassFrom(s, cmd.unitId)?.status === 'recalled' && handles(s, cmd.unitId))
    return UNCHANGED;
  if (!handles(s, cmd.unitId)) return notWith(s, cmd.unitId);
  if (!open) return rejected('action_rejected', `ticket ${s.ticketNo} is with no sub-unit`);
  if (open.status === 'replied')
    return rejected(
      'sub_dispatch_open',
      `the result of ${open.subUnitName} on ticket ${s.ticketNo} awaits the hub leader's review`,
    );
  if (!hasVisibleText(cmd.reason))
    return rejected('validation_failed', 'say why the hub takes the ticket back');
  const at = indexOf(s, open);
  return change(s, (n) => {
    closeDown(n, at, 'recalled');
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
  const open = openPassTo(s, unitId);
  if (open && open.status === 'dispatched') return open;
  if (open?.status === 'replied')
    return rejected(
      'action_rejected',
      `unit ${unitId} has sent its result on ticket ${s.ticketNo}; it awaits the hub leader's review`,
    );
  return rejected('action_rejected', `ticket ${s.ticketNo} is not on unit ${unitId}'s desk as a sub-unit`);
}
const isDecision = (v: SubDispatchState | Decision): v is Decision => 'kind' in v;

export function decideSubDecline(s: TicketState, cmd: SubDeclineCommand, _ctx: DecisionContext): Decision {
  const latest = latestPassTo(s, cmd.unitId);
  // Declined already, and its hub has passed it to no one since (a retried request).
  if (latest?.status === 'declined' && latestPassFrom(s, latest.hubUnitId) === latest) return UNCHANGED;
  const pass = awaitingSubUnit(s, cmd.unitId);
  if (isDecision(pass)) return pass;
  if (!hasVisibleText(cmd.reason))
    return rejected('validation_failed', 'say why the ticket is not this sub-unit’s to handle');
  const at = indexOf(s, pass);
  return change(s, (n) => {
    closeDown(n, at, 'declined');
    const declines = n.subDispatches!.filter((d) => d.status === 'declined').length;
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
  const held = openPassTo(s, cmd.unitId);
  if (held?.status === 'replied' && held.result?.content === cmd.content) return UNCHANGED;
  const pass = awaitingSubUnit(s, cmd.unitId);
  if (isDecision(pass)) return pass;
  const below = openPassFrom(s, cmd.unitId);
  if (below)
    return rejected(
      'sub_dispatch_open',
      `ticket ${s.ticketNo} is with sub-unit ${below.subUnitName}: its result, reviewed by your leader, is your result`,
    );
  if (!hasVisibleText(cmd.content)) return rejected('validation_failed', 'the result has no content');
  const result = {
    content: cmd.content,
    responsibleDepartment: cmd.responsibleDepartment ?? null,
    plannedCompletionDate: cmd.plannedCompletionDate ?? null,
    isPlan: cmd.isPlan ?? false,
    ...citedFiles(cmd.attachments),
  };
  const at = indexOf(s, pass);
  return change(s, (n) => {
    const replied = n.subDispatches![at];
    replied.status = 'replied';
    replied.result = result;
    delete replied.sentBack;
    return [
      {
        type: 'ticket.sub_replied',
        actor: cmd.actor,
        data: { unitId: pass.hubUnitId, subUnitId: cmd.unitId, ...result },
      },
    ];
  });
}

/**
 * A sub-unit sends its own result (the `subReply` action): signed for first. (A middle hub's approval
 * sends its result up through `decideSubReply` directly: it signed to pass the ticket on.)
 */
export function decideSubUnitReply(s: TicketState, cmd: SubReplyCommand, ctx: DecisionContext): Decision {
  const held = openPassTo(s, cmd.unitId);
  if (held?.status === 'dispatched') {
    const notSigned = unsigned(s, held, ctx);
    if (notSigned) return notSigned;
  }
  return decideSubReply(s, cmd, ctx);
}

/** What a hub's send-back says, as one string: its leader and its note, whoever sent it. */
const sendBackSignature = (cmd: SubReviewCommand): string =>
  JSON.stringify([cmd.leaderName.trim(), cmd.note.trim()]);

export function decideSubReview(s: TicketState, cmd: SubReviewCommand, ctx: DecisionContext): Decision {
  const isLead = s.unitId !== null && s.unitId === cmd.unitId;
  const latest = latestPassFrom(s, cmd.unitId);
  if (
    cmd.approve &&
    latest?.status === 'approved' &&
    (isLead || (s.subDispatches ?? []).some((d) => d.subUnitId === cmd.unitId))
  )
    return UNCHANGED;
  if (!handles(s, cmd.unitId)) return notWith(s, cmd.unitId);
  const open = openPassFrom(s, cmd.unitId);
  // The same send-back again (a retry, a second click) finds the result already sent back.
  if (!cmd.approve && open?.status === 'dispatched' && open.sentBack === sendBackSignature(cmd))
    return UNCHANGED;
  if (!open || open.status !== 'replied' || !open.result)
    return rejected('action_rejected', `no sub-unit result on ticket ${s.ticketNo} awaits review`);
  if (!hasVisibleText(cmd.leaderName))
    return rejected('validation_failed', 'name the leader who reviewed the result (经领导审核)');
  const result = open.result;
  const at = indexOf(s, open);
  const reviewed = change(s, (n) => {
    const pass = n.subDispatches![at];
    pass.status = cmd.approve ? 'approved' : 'dispatched';
    if (!cmd.approve) {
      pass.result = null;
      pass.sentBack = sendBackSignature(cmd);
    } else delete pass.sentBack;
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
          ...(cmd.byLeader ? { byLeader: true } : {}),
        },
      },
    ];
  });
  if (!cmd.approve) return reviewed;
  // Approved: the result goes up as the hub's own: from a sub-unit to its hub, from the lead to the
  // centre as its reply, held to the closure standard.
  if (!isLead)
    return andThen(reviewed, (n) =>
      decideSubReply(n, { unitId: cmd.unitId, ...result, actor: cmd.actor }, ctx),
    );
  return andThen(reviewed, (n) =>
    decideReply(
      n,
      { unitId: cmd.unitId, ...result, servicePromises: cmd.servicePromises, actor: cmd.actor },
      ctx,
    ),
  );
}
