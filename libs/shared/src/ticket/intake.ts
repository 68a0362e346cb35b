import type {
  AnswerCommand,
  NotifyAcceptanceCommand,
  ReapplyPolicyCommand,
  TicketWorkflowInput,
  UnitRef,
} from './contract';
import type { Decision, DecisionContext, EventDraft } from './decision';
import { andThen, change, inForce, iso, rejected, SYSTEM, UNCHANGED } from './decision';
import { clearDeadlines, deadlineAfter, startDeadline } from './clock';
import { close, startSmsCallback } from './callback';
import { awaitManualDispatch, dispatchTo } from './dispatch';
import type { TicketState } from './state';
import { hasVisibleText } from '../domain/text';
import { canonicalJson } from '../security/idempotency';

/**
 * Intake's disposition (分类处置, SQ art. 7 and 10): not accepted, with the reason and the guidance
 * to the citizen, and closed; answered directly (now, or by the operator within the policy's
 * direct-reply limit, SQ 4 h); or dispatched to the unit the matter catalog names, the centre
 * dispatching by hand where the catalog names none.
 */
export function decideIntake(s: TicketState, input: TicketWorkflowInput, ctx: DecisionContext): Decision {
  return andThen(disposeOf(s, input, ctx), (n) => acceptanceNoticeDue(n, input, ctx));
}

/**
 * Where the policy requires it (SZ: leader-mailbox items, 5 days), the petitioner is told the
 * appeal is accepted within the limit from intake; the clock runs like every other deadline.
 */
function acceptanceNoticeDue(s: TicketState, input: TicketWorkflowInput, ctx: DecisionContext): Decision {
  const limit = ctx.policy.limits.acceptanceNotice;
  if (limit === null || s.status === 'closed') return UNCHANGED;
  return change(s, (n) => {
    startDeadline(n, 'acceptance_notice', input.createdAt, deadlineAfter(input.createdAt, limit, ctx), ctx);
    return [];
  });
}

export function decideAcceptanceNotice(
  s: TicketState,
  cmd: NotifyAcceptanceCommand,
  ctx: DecisionContext,
): Decision {
  if (s.acceptanceNotifiedAt !== null) return UNCHANGED;
  if (ctx.policy.limits.acceptanceNotice === null && !s.deadlines.acceptance_notice)
    return rejected('action_rejected', `ticket ${s.ticketNo}'s policy requires no acceptance notice`);
  if (!hasVisibleText(cmd.means)) return rejected('validation_failed', 'say how the petitioner was told');
  return change(s, (n) => {
    n.acceptanceNotifiedAt = iso(ctx.now);
    const due = n.deadlines.acceptance_notice?.dueAt;
    const late = due !== undefined && ctx.now > Date.parse(due);
    clearDeadlines(n, 'acceptance_notice');
    return [
      {
        type: 'ticket.acceptance_notified',
        actor: cmd.actor,
        data: { means: cmd.means, note: cmd.note, late },
      },
    ];
  });
}

/**
 * Answered at intake, by the operator or by the unit itself (on the call, its line, its window):
 * recorded, then the citizen is asked (SMS first). The centre keeps the ticket: no unit's desk has
 * it to act on.
 */
function answeredAtIntake(s: TicketState, answer: EventDraft, ctx: DecisionContext): Decision {
  return andThen(
    change(s, (n) => {
      if (answer.type === 'ticket.answered_directly') n.replyContent = answer.data.answer;
      return [answer];
    }),
    (n) => change(n, (m) => startSmsCallback(m, ctx)),
  );
}

function disposeOf(s: TicketState, input: TicketWorkflowInput, ctx: DecisionContext): Decision {
  const d = input.disposition;
  switch (d.type) {
    case 'not_accepted':
      return change(s, (n) => [
        { type: 'ticket.not_accepted', actor: SYSTEM, data: { reason: d.reason, guidance: d.guidance } },
        ...close(n, 'not_accepted', ctx),
      ]);
    case 'direct_answer':
      if (d.answer !== null)
        return answeredAtIntake(
          s,
          { type: 'ticket.answered_directly', actor: SYSTEM, data: { answer: d.answer } },
          ctx,
        );
      return change(s, (n) => {
        n.awaitingDirectAnswer = true;
        startDeadline(
          n,
          'direct_reply',
          input.createdAt,
          deadlineAfter(input.createdAt, ctx.policy.limits.directReply, ctx),
          ctx,
        );
        return [];
      });
    case 'three_way_call': {
      const data = { ...unitOf(d), participant: d.participant, summary: d.summary };
      return answeredAtIntake(s, { type: 'ticket.three_way_call_held', actor: SYSTEM, data }, ctx);
    }
    case 'special_line': {
      const data = { ...unitOf(d), line: d.line, summary: d.summary };
      return answeredAtIntake(s, { type: 'ticket.transferred_to_special_line', actor: SYSTEM, data }, ctx);
    }
    case 'special_window': {
      const data = { ...unitOf(d), window: d.window, summary: d.summary };
      return answeredAtIntake(s, { type: 'ticket.special_window_linked', actor: SYSTEM, data }, ctx);
    }
    default:
      return change(s, (n) => {
        if (input.route) return dispatchTo(n, input.route, input.assisting ?? [], ctx);
        awaitManualDispatch(n, input.createdAt, ctx); // 特事特办: the centre names the unit
        return [];
      });
  }
}

const unitOf = (d: { unit: UnitRef }) => ({ unitId: d.unit.unitId, unitName: d.unit.unitName });

/** The operator's direct answer to a ticket kept at intake. */
export function decideAnswer(s: TicketState, cmd: AnswerCommand, ctx: DecisionContext): Decision {
  if (!s.awaitingDirectAnswer) {
    if (!inForce(ctx, 'answer-once'))
      return s.status === 'callback' || s.status === 'closed'
        ? UNCHANGED
        : rejected('action_rejected', `ticket ${s.ticketNo} is not waiting for a direct answer`);
    // The same answer again is the one given; another answer, or one to a ticket a unit replied
    // to, is not this ticket's to take.
    if (s.unitId === null && s.replyContent !== null && s.replyContent === cmd.answer) return UNCHANGED;
    return rejected(
      'action_rejected',
      s.unitId === null && s.replyContent !== null
        ? `ticket ${s.ticketNo} was answered already, with another answer`
        : `ticket ${s.ticketNo} is not waiting for a direct answer`,
    );
  }
  if (!hasVisibleText(cmd.answer)) return rejected('validation_failed', 'the answer has no content');
  return change(s, (n) => {
    n.awaitingDirectAnswer = false;
    n.replyContent = cmd.answer;
    clearDeadlines(n, 'direct_reply');
    return [
      { type: 'ticket.answered_directly', actor: cmd.actor, data: { answer: cmd.answer } },
      ...startSmsCallback(n, ctx),
    ];
  });
}

/**
 * An administrator applies the active policy to a running ticket: later deadlines follow it;
 * the running ones keep their times. Recorded, so the ticket's history shows it.
 */
export function decideReapplyPolicy(
  s: TicketState,
  cmd: ReapplyPolicyCommand,
  ctx?: Pick<DecisionContext, 'policy' | 'calendarData' | 'amended'>,
): Decision {
  if (s.status === 'closed') return rejected('ticket_closed', `ticket ${s.ticketNo} is closed`);
  // The policy and the calendar the ticket runs on already: applying them again changes nothing.
  if (
    ctx?.calendarData !== undefined &&
    inForce(ctx, 'reapply-once') &&
    // Compared as data: the ticket's copies came through jsonb, which orders keys its own way.
    canonicalJson(cmd.policy) === canonicalJson(ctx.policy) &&
    canonicalJson(cmd.calendar) === canonicalJson(ctx.calendarData)
  )
    return UNCHANGED;
  return change(s, (n) => {
    n.policy = { code: cmd.policy.code, version: cmd.policy.version };
    return [
      {
        type: 'ticket.policy_reapplied',
        actor: cmd.actor,
        data: { code: cmd.policy.code, version: cmd.policy.version },
      },
    ];
  });
}
