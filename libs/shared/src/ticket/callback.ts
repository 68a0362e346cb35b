import type { CallbackMode, Verdict } from '../domain/vocabulary';
import type { RecordCallbackCommand } from './contract';
import type { Decision, DecisionContext, EventDraft } from './decision';
import { change, iso, rejected, SYSTEM } from './decision';
import { clearDeadlines, deadlineAfter, startDeadline } from './clock';
import type { TicketState } from './state';

/**
 * The callback course (回访, RULES §4), all in one place:
 * 1. SMS first: the citizen is asked by SMS and has the policy's wait to answer.
 * 2. No answer in time, or not satisfied by SMS: an operator calls (人工回访).
 * 3. Satisfied or basically satisfied: closed.
 * 4. Unsatisfied at the first manual callback: the unit verifies and rectifies (核实整改) within
 *    the policy's rectification limit, replies again, and the course starts over.
 * 5. Still unsatisfied after rectification: closed, and handed to the expert evaluators (a
 *    ticket no unit handled closes unsatisfied: there is no unit's handling to evaluate).
 * 6. The citizen cannot be reached by phone (the operators' rule: evaluation/callback-task.ts):
 *    closed as `unreachable`, a ticket without a verdict (not counted in the satisfaction rate).
 */
export function startSmsCallback(n: TicketState, ctx: DecisionContext): EventDraft[] {
  n.callbackRound++;
  const dueAt = deadlineAfter(ctx.now, ctx.policy.limits.callbackSmsWait, ctx);
  n.status = 'callback';
  n.callbackMode = 'sms';
  startDeadline(n, 'callback_sms', ctx.now, dueAt, ctx);
  return [
    {
      type: 'ticket.callback_requested',
      actor: SYSTEM,
      data: { mode: 'sms', dueAt, round: n.callbackRound },
    },
  ];
}

function startManualCallback(n: TicketState, ctx: DecisionContext): EventDraft[] {
  const dueAt = deadlineAfter(ctx.now, ctx.policy.limits.manualCallback, ctx);
  n.callbackMode = 'manual';
  startDeadline(n, 'callback_manual', ctx.now, dueAt, ctx);
  return [
    {
      type: 'ticket.callback_requested',
      actor: SYSTEM,
      data: { mode: 'manual', dueAt, round: n.callbackRound },
    },
  ];
}

/**
 * Closes the ticket; an unsatisfied verdict on a unit's handling hands it to expert evaluation
 * first. A ticket no unit handled (answered at intake, on a three-way call, by a special line) has
 * no unit for the evaluators to judge, nor a unit's satisfaction rate for their verdict to count
 * in (RULES §4): it closes unsatisfied, and no evaluation is asked for that nothing would open.
 */
export function close(
  n: TicketState,
  outcome: 'satisfied' | 'basically_satisfied' | 'unsatisfied' | 'not_accepted' | 'unreachable',
  ctx: DecisionContext,
): EventDraft[] {
  const events: EventDraft[] = [];
  if (outcome === 'unsatisfied' && n.unitId !== null)
    events.push({
      type: 'ticket.evaluation_requested',
      actor: SYSTEM,
      data: { unitId: n.unitId, verdict: 'unsatisfied' },
    });
  events.push({ type: 'ticket.closed', actor: SYSTEM, data: { unitId: n.unitId, outcome } });
  n.deadlines = {};
  n.callbackMode = null;
  n.status = 'closed';
  n.outcome = outcome;
  n.closedAt = iso(ctx.now);
  return events;
}

function afterVerdict(
  n: TicketState,
  mode: CallbackMode,
  verdict: Verdict | null,
  ctx: DecisionContext,
): EventDraft[] {
  if (verdict === 'satisfied' || verdict === 'basically_satisfied') return close(n, verdict, ctx);
  if (mode === 'sms') return startManualCallback(n, ctx);
  if (n.rectificationRound === 0 && n.unitId !== null) {
    n.rectificationRound++;
    const completeDueAt = deadlineAfter(ctx.now, ctx.policy.limits.rectification, ctx);
    n.status = 'rectifying';
    n.callbackMode = null;
    n.extensionsGranted = [];
    n.pendingExtension = null;
    n.extensionBaseDueAt = completeDueAt;
    // A new completion clock: the first round's overdue mark stays on the record, not on this clock.
    n.overdue = n.overdue.filter((k) => k !== 'complete');
    startDeadline(n, 'complete', ctx.now, completeDueAt, ctx);
    return [
      {
        type: 'ticket.rectification_ordered',
        actor: SYSTEM,
        data: { unitId: n.unitId, completeDueAt, round: n.rectificationRound },
      },
    ];
  }
  return close(n, 'unsatisfied', ctx);
}

/** The SMS gateway's or the operator's answer. */
export function decideCallback(s: TicketState, cmd: RecordCallbackCommand, ctx: DecisionContext): Decision {
  if (s.status !== 'callback' || s.callbackMode !== cmd.mode)
    return rejected('action_rejected', `ticket ${s.ticketNo} is not waiting for a ${cmd.mode} callback`);
  if (cmd.mode === 'manual' && cmd.verdict === null && !cmd.unreachable)
    return rejected(
      'validation_failed',
      'a manual callback records the citizen’s verdict; call again if unreachable',
    );
  if (cmd.unreachable && (cmd.mode !== 'manual' || cmd.verdict !== null))
    return rejected(
      'validation_failed',
      'only a manual callback without a verdict can find the citizen unreachable',
    );
  if (cmd.resolved !== undefined && (cmd.mode !== 'manual' || cmd.verdict === null))
    return rejected(
      'validation_failed',
      'only a manual callback that reached the citizen says whether the problem was solved',
    );
  if (cmd.unreachable)
    return change(s, (n) => {
      clearDeadlines(n, 'callback_manual');
      return [
        {
          type: 'ticket.callback_answered',
          actor: cmd.actor,
          data: { mode: 'manual', verdict: null, round: n.callbackRound, note: cmd.note },
        },
        ...close(n, 'unreachable', ctx),
      ];
    });
  return change(s, (n) => {
    clearDeadlines(n, cmd.mode === 'sms' ? 'callback_sms' : 'callback_manual');
    return [
      {
        type: 'ticket.callback_answered',
        actor: cmd.actor,
        data: {
          mode: cmd.mode,
          verdict: cmd.verdict,
          round: n.callbackRound,
          note: cmd.note,
          ...(cmd.resolved === undefined ? {} : { resolved: cmd.resolved }),
        },
      },
      ...afterVerdict(n, cmd.mode, cmd.verdict, ctx),
    ];
  });
}

/** The SMS wait ran out with no answer: recorded as unanswered, and an operator calls. */
export function smsUnanswered(n: TicketState, ctx: DecisionContext): EventDraft[] {
  clearDeadlines(n, 'callback_sms');
  return [
    {
      type: 'ticket.callback_answered',
      actor: SYSTEM,
      data: { mode: 'sms', verdict: null, round: n.callbackRound, note: '' },
    },
    ...afterVerdict(n, 'sms', null, ctx),
  ];
}
