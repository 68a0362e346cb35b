import { checkClosureStandard, CLOSURE_PHRASES_V2, CLOSURE_PHRASES_V3 } from '../domain/closure-standard';
import type { ReplyCommand, ReviewReplyCommand } from './contract';
import type { Decision, DecisionContext } from './decision';
import { centreDecisionSignature, decidedAlready, rememberDecision } from './centre-decision';
import { andThen, change, inForce, iso, rejected, UNCHANGED } from './decision';
import { clearDeadlines, deadlineAfter, startDeadline } from './clock';
import { startSmsCallback } from './callback';
import type { TicketState } from './state';
import { citedFiles } from '../records/attachments';
import { openSubDispatch } from './state';
import { hasVisibleText } from '../domain/text';

/** What makes a reply this reply: its text, department, plan and the files it cites. */
export function replySignature(cmd: ReplyCommand): string {
  return JSON.stringify([
    cmd.content,
    cmd.responsibleDepartment ?? null,
    cmd.isPlan ?? false,
    cmd.plannedCompletionDate ?? null,
    (cmd.attachments ?? []).map((a) => a.attachmentId).sort(),
  ]);
}

/** The unit's reply is the one the ticket has (a ticket replied before signatures: by its text). */
function sameReply(s: TicketState, cmd: ReplyCommand): boolean {
  return s.replySignature !== undefined
    ? s.replySignature === replySignature(cmd)
    : s.replyContent === cmd.content;
}

/**
 * Reply (答复) and the centre's review (答复认定), RULES §3. A reply that does not meet the closure
 * standard (办结标准) is refused with its defects, and the refusal is recorded. An accepted reply
 * waits for the centre's review; approved, the citizen is asked (SMS first); sent back, the unit
 * has again the time it had left when it replied.
 */
export function decideReply(s: TicketState, cmd: ReplyCommand, ctx: DecisionContext): Decision {
  if (s.unitId === null || cmd.unitId !== s.unitId)
    return rejected('action_rejected', `ticket ${s.ticketNo} is not with unit ${cmd.unitId}`);
  if (s.status === 'created' || s.status === 'dispatched')
    return rejected('ticket_not_repliable', `ticket ${s.ticketNo} must be signed before it is replied to`);
  if (s.status === 'returned')
    return rejected(
      'ticket_not_repliable',
      `ticket ${s.ticketNo} was returned and awaits the centre's decision`,
    );
  if (s.status !== 'signed' && s.status !== 'rectifying') {
    // Replied already: the same reply again is the one given; another one is not taken as if it
    // had been (a corrected plan date dropped while the clerk is told it went through).
    if (!inForce(ctx, 'reply-once') || sameReply(s, cmd)) return UNCHANGED;
    return rejected(
      'ticket_not_repliable',
      `ticket ${s.ticketNo} was replied to already, with another reply; it is with the centre (a reply sent back may be replied to again)`,
    );
  }
  const sub = openSubDispatch(s);
  if (sub)
    return rejected(
      'sub_dispatch_open',
      `ticket ${s.ticketNo} is with sub-unit ${sub.subUnitName}: its result, reviewed by the hub's leader, is the reply`,
    );
  if (!hasVisibleText(cmd.content)) return rejected('validation_failed', 'the reply has no content');
  const check = checkClosureStandard(
    {
      content: cmd.content,
      responsibleDepartment: cmd.responsibleDepartment,
      plannedCompletionDate: cmd.plannedCompletionDate,
      isPlan: cmd.isPlan,
    },
    {
      ...(inForce(ctx, 'closure-v3')
        ? { phrases: CLOSURE_PHRASES_V3 }
        : inForce(ctx, 'closure-v2')
          ? { phrases: CLOSURE_PHRASES_V2 }
          : {}),
      servicePromises: cmd.servicePromises ?? [],
      promiseMatching: !inForce(ctx, 'promise-v2') ? 'v1' : !inForce(ctx, 'closure-v3') ? 'v2' : 'v3',
    },
  );
  if (!check.closable)
    // Recorded, so the ticket's record shows the deficient reply and why it could not close.
    return rejected(
      'reply_not_closable',
      check.defects.map((d) => d.message).join('；'),
      { defects: check.defects },
      [
        {
          type: 'ticket.reply_rejected',
          actor: cmd.actor,
          data: { unitId: cmd.unitId, defects: check.defects.map((d) => d.code), content: cmd.content },
        },
      ],
    );
  // An extension the unit asked for and the centre has not decided is moot once it replies: on the
  // record, not dropped silently.
  const withdrawn = s.pendingExtension
    ? { withdrawnExtension: { unitId: s.pendingExtension.unitId, requested: s.pendingExtension.requested } }
    : {};
  return change(s, (n) => {
    const due = n.deadlines.complete?.dueAt;
    n.remainingAtReplyMs = due ? Math.max(0, Date.parse(due) - ctx.now) : 0;
    n.status = 'replied';
    n.repliedAt = iso(ctx.now);
    n.pendingExtension = null; // replied: an extension asked before is moot
    n.replyContent = cmd.content;
    n.replySignature = replySignature(cmd);
    clearDeadlines(n, 'complete', 'sign');
    startDeadline(n, 'review', ctx.now, deadlineAfter(ctx.now, ctx.policy.limits.reviewDecision, ctx), ctx);
    return [
      {
        type: 'ticket.replied',
        actor: cmd.actor,
        data: {
          unitId: cmd.unitId,
          content: cmd.content,
          responsibleDepartment: cmd.responsibleDepartment ?? null,
          isPlan: cmd.isPlan ?? false,
          plannedCompletionDate: cmd.plannedCompletionDate ?? null,
          ...citedFiles(cmd.attachments),
          ...withdrawn,
        },
      },
    ];
  });
}

export function decideReview(s: TicketState, cmd: ReviewReplyCommand, ctx: DecisionContext): Decision {
  const says = centreDecisionSignature('review', { approve: cmd.approve, note: cmd.note.trim() });
  if (s.status !== 'replied')
    return decidedAlready(s, 'review', says)
      ? UNCHANGED
      : rejected('action_rejected', `ticket ${s.ticketNo} has no reply to review`);
  if (!cmd.approve && !hasVisibleText(cmd.note))
    return rejected('validation_failed', 'sending a reply back needs a note for the unit');
  if (cmd.approve)
    return andThen(
      change(s, (n) => {
        clearDeadlines(n, 'review');
        rememberDecision(n, 'review', says);
        return [
          {
            type: 'ticket.reply_reviewed',
            actor: cmd.actor,
            data: { unitId: n.unitId!, approved: true, note: cmd.note, completeDueAt: null },
          },
        ];
      }),
      (n) => change(n, (m) => startSmsCallback(m, ctx)),
    );
  return change(s, (n) => {
    clearDeadlines(n, 'review');
    rememberDecision(n, 'review', says);
    // Back to the unit with the centre's note and the time it had left when it replied.
    const completeDueAt = iso(ctx.now + n.remainingAtReplyMs);
    // The completion deadline moves by the time the reply spent with the centre; so does the cap's base.
    if (n.extensionBaseDueAt && n.repliedAt)
      n.extensionBaseDueAt = iso(Date.parse(n.extensionBaseDueAt) + ctx.now - Date.parse(n.repliedAt));
    n.status = n.rectificationRound > 0 ? 'rectifying' : 'signed';
    startDeadline(n, 'complete', ctx.now, completeDueAt, ctx);
    return [
      {
        type: 'ticket.reply_reviewed',
        actor: cmd.actor,
        data: { unitId: n.unitId!, approved: false, note: cmd.note, completeDueAt },
      },
    ];
  });
}
