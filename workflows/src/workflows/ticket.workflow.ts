/**
 * TicketWorkflow: one durable workflow per ticket, from intake to closure (RULES §1–§4).
 *
 * Deterministic code only: no I/O, no Node, no service code. Deadlines are computed by an
 * activity over the working-day calendar and arrive as absolute times; the workflow holds the
 * timers (reminders before each deadline, an overdue event at it) and never stops at a missed
 * deadline: the ticket carries on, marked overdue, and supervision hears of it through the event.
 * Unit and centre actions arrive as updates whose validators say at once whether they are
 * accepted; every transition is recorded by an activity (history → outbox → Kafka) and updates
 * the search attributes an administrator filters by in the Temporal UI.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  defineQuery,
  defineUpdate,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { checkClosureStandard, DEADLINE_KINDS, TICKET_STATUS_LABELS } from '@hotline/shared';
import type {
  Actor,
  AnswerCommand,
  AssistingUnitState,
  DeadlineState,
  DeadlineKind,
  DecideExtensionCommand,
  DecideReturnCommand,
  DispatchCommand,
  Duration,
  ErrorCode,
  ReapplyPolicyCommand,
  RecordCallbackCommand,
  ReplyCommand,
  RequestExtensionCommand,
  ResolvedPolicy,
  ReturnCommand,
  ReviewReplyCommand,
  SignCommand,
  TicketEventDataMap,
  TicketEventType,
  TicketWorkflowInput,
  TicketWorkflowState,
  UnitActionResult,
  Verdict,
} from '@hotline/shared';
import type { DispatchResult, TicketActivities } from '../activities/ticket.activities';
import { DueAtKey, TicketStatusKey, UnitIdKey } from './search-attributes';

export const dispatchUpdate = defineUpdate<UnitActionResult, [DispatchCommand]>('dispatch');
export const signUpdate = defineUpdate<UnitActionResult, [SignCommand]>('sign');
export const returnUpdate = defineUpdate<UnitActionResult, [ReturnCommand]>('return');
export const decideReturnUpdate = defineUpdate<UnitActionResult, [DecideReturnCommand]>('decideReturn');
export const requestExtensionUpdate = defineUpdate<UnitActionResult, [RequestExtensionCommand]>(
  'requestExtension',
);
export const decideExtensionUpdate = defineUpdate<UnitActionResult, [DecideExtensionCommand]>(
  'decideExtension',
);
export const replyUpdate = defineUpdate<UnitActionResult, [ReplyCommand]>('reply');
export const reviewReplyUpdate = defineUpdate<UnitActionResult, [ReviewReplyCommand]>('reviewReply');
export const recordCallbackUpdate = defineUpdate<UnitActionResult, [RecordCallbackCommand]>('recordCallback');
export const answerUpdate = defineUpdate<UnitActionResult, [AnswerCommand]>('answer');
export const reapplyPolicyUpdate = defineUpdate<UnitActionResult, [ReapplyPolicyCommand]>('reapplyPolicy');
export const stateQuery = defineQuery<TicketWorkflowState>('state');

const acts = proxyActivities<TicketActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

const SYSTEM: Actor = { kind: 'system' };
/** Keep a ticket's event history bounded: past this many events, continue as new. */
const HISTORY_LIMIT = 4000;

function reject(code: ErrorCode, message: string, details?: unknown): never {
  throw ApplicationFailure.create({
    type: code,
    message,
    nonRetryable: true,
    details: details ? [details] : [],
  });
}

function failureType(err: unknown): string | undefined {
  return err instanceof ActivityFailure && err.cause instanceof ApplicationFailure
    ? (err.cause.type ?? undefined)
    : undefined;
}

export function initialState(input: TicketWorkflowInput): TicketWorkflowState {
  return {
    ticketNo: input.ticketNo,
    status: 'created',
    awaitingManualDispatch: false,
    awaitingDirectAnswer: false,
    continuedAsNew: 0,
    unitId: null,
    assisting: [],
    policy: { code: input.policy.code, version: input.policy.version },
    deadlines: {},
    signDueAt: null,
    signedAt: null,
    signedLate: false,
    returnWindowEndsAt: null,
    pendingReturn: null,
    pendingExtension: null,
    extensionsGranted: [],
    repliedAt: null,
    replyContent: null,
    callbackRound: 0,
    callbackMode: null,
    rectificationRound: 0,
    statusBeforeReturn: null,
    remainingAtReplyMs: 0,
    overdue: [],
    outcome: null,
    closedAt: null,
  };
}

export async function TicketWorkflow(input: TicketWorkflowInput): Promise<TicketWorkflowState> {
  // A resumed run may carry state from an older version: fields added since take their defaults.
  const state: TicketWorkflowState = input.resume
    ? { ...initialState(input), ...input.resume }
    : initialState(input);

  let policy: ResolvedPolicy = input.policy;
  let revision = 0;
  let busy = false;

  // ----------------------------------------------------------------------------- plumbing
  const now = () => new Date();
  const iso = (d: Date = now()) => d.toISOString();
  const unitActor = (cmd: { actor: Actor }) => cmd.actor;

  /** One transition at a time: handlers and timers take turns, so no two interleave their awaits. */
  async function exclusive<T>(fn: () => Promise<T>): Promise<T> {
    await condition(() => !busy);
    busy = true;
    try {
      return await fn();
    } finally {
      busy = false;
      revision++;
    }
  }

  async function record<T extends TicketEventType>(
    type: T,
    data: TicketEventDataMap[T],
    actor: Actor = SYSTEM,
  ) {
    await acts.recordEvent({ id: uuid4(), type, ticketNo: state.ticketNo, occurredAt: iso(), actor, data });
  }

  const deadlineFrom = (from: Date | string, duration: Duration) =>
    acts.computeDeadline({
      from: typeof from === 'string' ? from : from.toISOString(),
      duration,
      calendarId: policy.calendarId,
    });

  function setDeadline(kind: DeadlineKind, startAt: string, dueAt: string): void {
    const fractions = policy.limits.reminderFractions;
    const start = Date.parse(startAt);
    const span = Date.parse(dueAt) - start;
    // Reminders whose moment has already passed (a moved deadline) are not sent again.
    const passed = fractions.filter((f) => start + f * span <= Date.now()).length;
    state.deadlines[kind] = { kind, startAt, dueAt, remindersSent: passed, overdue: false };
  }

  function clearDeadlines(...kinds: DeadlineKind[]): void {
    for (const k of kinds) delete state.deadlines[k];
  }

  /** The next moment a timer must fire: a reminder or a deadline, whichever comes first. */
  // Every running clock — the ticket's deadlines and each assisting unit's sign deadline — is a
  // start, a due time and how many of the policy's reminders have gone out; one arithmetic for all.
  interface Clock {
    startAt: string;
    dueAt: string;
    remindersSent: number;
    overdue: boolean;
  }

  /** The moment a clock next needs attention: its next reminder, or its end. */
  function nextMomentOf(c: Clock): number {
    const start = Date.parse(c.startAt);
    const due = Date.parse(c.dueAt);
    const f = policy.limits.reminderFractions[c.remindersSent];
    return f !== undefined && start + f * (due - start) < due ? start + f * (due - start) : due;
  }

  /** Moves a clock's reminders up to `t`; returns how many fall before its end and are to be sent. */
  function remindersDue(c: Clock, t: number): number {
    const start = Date.parse(c.startAt);
    const due = Date.parse(c.dueAt);
    const fractions = policy.limits.reminderFractions;
    let toSend = 0;
    while (c.remindersSent < fractions.length && start + fractions[c.remindersSent] * (due - start) <= t) {
      c.remindersSent++;
      if (t < due) toSend++;
    }
    return toSend;
  }

  const assistingClock = (a: AssistingUnitState): Clock => ({
    ...a,
    startAt: a.dispatchedAt,
    dueAt: a.signDueAt,
  });

  /** The next moment a timer must fire, over every running clock. */
  function nextWake(): number | null {
    const running: Clock[] = [
      ...Object.values(state.deadlines).filter((d): d is DeadlineState => !!d && !d.overdue),
      ...state.assisting.filter((a) => a.signedAt === null && !a.overdue).map(assistingClock),
    ];
    return running.length ? Math.min(...running.map(nextMomentOf)) : null;
  }

  function publish(): void {
    const active = Object.values(state.deadlines).filter((d) => d && !d.overdue);
    const dueAt = active.length ? active.map((d) => d!.dueAt).sort()[0] : null;
    const pairs: SearchAttributeUpdatePair[] = [
      { key: TicketStatusKey, value: state.status },
      { key: UnitIdKey, value: state.unitId },
      { key: DueAtKey, value: dueAt ? new Date(dueAt) : null },
    ];
    upsertSearchAttributes(pairs);
    setCurrentDetails(
      [
        `**工单** ${state.ticketNo}`,
        `**状态** ${
          state.awaitingManualDispatch
            ? '待人工派单'
            : state.awaitingDirectAnswer
              ? '待直接答复'
              : TICKET_STATUS_LABELS[state.status]
        }`,
        `**承办单位** ${state.unitId ?? '—'}`,
        `**下一时限** ${dueAt ?? '—'}`,
        state.overdue.length ? `**已超时** ${state.overdue.join(', ')}` : '',
        `**时限政策** ${state.policy.code} v${state.policy.version}`,
      ]
        .filter(Boolean)
        .join('\n\n'),
    );
  }

  const resultOf = (alreadyApplied: boolean): UnitActionResult => ({
    ticketNo: state.ticketNo,
    status: state.status,
    alreadyApplied,
  });

  const sameUnit = (unitId: string, action: string) => {
    if (state.unitId === null || unitId !== state.unitId)
      reject(
        action === 'sign' ? 'ticket_not_signable' : 'action_rejected',
        `ticket ${state.ticketNo} is not with unit ${unitId}`,
      );
  };

  // ---------------------------------------------------------------------------- transitions
  async function dispatchTo(unitId?: string, assistingUnitIds: string[] = []): Promise<void> {
    const r: DispatchResult = await acts.dispatchTicket({
      eventId: uuid4(),
      ticketNo: state.ticketNo,
      category: input.category,
      regionCode: input.regionCode,
      limits: {
        sign: policy.limits.sign,
        complete: policy.limits.complete,
        returnWindow: policy.limits.returnWindow,
      },
      calendarId: policy.calendarId,
      at: iso(),
      ...(unitId ? { unitId } : {}),
    });
    state.awaitingManualDispatch = false;
    state.unitId = r.unitId;
    state.status = 'dispatched';
    state.signDueAt = r.signDueAt;
    state.signedAt = null;
    state.signedLate = false;
    state.returnWindowEndsAt = r.returnWindowEndsAt;
    state.pendingExtension = null;
    state.extensionsGranted = [];
    // A new lead unit starts with its own clock; the previous unit's violations stay on the record.
    state.overdue = [];
    clearDeadlines(...DEADLINE_KINDS);
    setDeadline('sign', r.dispatchedAt, r.signDueAt);
    setDeadline('complete', r.dispatchedAt, r.completeDueAt);
    for (const id of assistingUnitIds) {
      if (id === r.unitId || state.assisting.some((a) => a.unitId === id)) continue;
      const a = await acts.dispatchAssistingUnit({
        eventId: uuid4(),
        ticketNo: state.ticketNo,
        unitId: id,
        sign: policy.limits.sign,
        calendarId: policy.calendarId,
        at: iso(),
      });
      state.assisting.push({ ...a, signedAt: null, late: false, remindersSent: 0, overdue: false });
    }
    publish();
  }

  /** Reminders and the overdue mark for each assisting unit's own sign deadline. */
  async function fireAssistingTimers(t: number): Promise<void> {
    for (const a of state.assisting) {
      if (a.signedAt !== null || a.overdue) continue;
      const clock = assistingClock(a);
      for (let n = remindersDue(clock, t); n > 0; n--)
        await record('ticket.reminded', { deadline: 'sign', dueAt: a.signDueAt, unitId: a.unitId });
      a.remindersSent = clock.remindersSent;
      if (t < Date.parse(a.signDueAt)) continue;
      a.overdue = true;
      await record('ticket.overdue', { deadline: 'sign', dueAt: a.signDueAt, unitId: a.unitId });
    }
  }

  async function startSmsCallback(): Promise<void> {
    state.callbackRound++;
    const dueAt = await deadlineFrom(now(), policy.limits.callbackSmsWait);
    await record('ticket.callback_requested', { mode: 'sms', dueAt, round: state.callbackRound });
    state.status = 'callback';
    state.callbackMode = 'sms';
    setDeadline('callback_sms', iso(), dueAt);
    publish();
  }

  async function startManualCallback(): Promise<void> {
    const dueAt = await deadlineFrom(now(), policy.limits.manualCallback);
    await record('ticket.callback_requested', { mode: 'manual', dueAt, round: state.callbackRound });
    state.callbackMode = 'manual';
    setDeadline('callback_manual', iso(), dueAt);
    publish();
  }

  async function close(
    outcome: NonNullable<TicketWorkflowState['outcome']>,
    verdict?: Verdict,
  ): Promise<void> {
    if (verdict === 'unsatisfied')
      await record('ticket.evaluation_requested', { unitId: state.unitId, verdict });
    await record('ticket.closed', {
      unitId: state.unitId,
      outcome: outcome as TicketEventDataMap['ticket.closed']['outcome'],
    });
    clearDeadlines(...DEADLINE_KINDS);
    state.callbackMode = null;
    state.status = 'closed';
    state.outcome = outcome;
    state.closedAt = iso();
    publish();
  }

  /** Reminders before, and the overdue mark at, every active deadline whose moment has come. */
  async function fireTimers(): Promise<void> {
    const t = Date.now();
    // The same deadlines nextWake() waits for: every one the ticket holds.
    for (const d of Object.values(state.deadlines)) {
      if (!d || d.overdue) continue;
      const kind = d.kind;
      const due = Date.parse(d.dueAt);
      for (let n = remindersDue(d, t); n > 0; n--)
        if (kind !== 'callback_sms')
          await record('ticket.reminded', { deadline: kind, dueAt: d.dueAt, unitId: state.unitId });
      if (t < due) continue;
      d.overdue = true;
      if (kind === 'callback_sms') {
        // No answer to the SMS within the wait: an operator calls (人工回访).
        delete state.deadlines.callback_sms;
        await record('ticket.callback_answered', {
          mode: 'sms',
          verdict: null,
          round: state.callbackRound,
          note: '',
        });
        await startManualCallback();
        continue;
      }
      if (!state.overdue.includes(kind)) state.overdue.push(kind);
      await record('ticket.overdue', { deadline: kind, dueAt: d.dueAt, unitId: state.unitId });
    }
    if (state.status !== 'closed') await fireAssistingTimers(t);
    publish();
  }

  // ------------------------------------------------------------------------------- handlers
  setHandler(stateQuery, () => state);

  setHandler(
    dispatchUpdate,
    (cmd) =>
      exclusive(async () => {
        if (state.status !== 'created') return resultOf(true);
        state.awaitingDirectAnswer = false;
        clearDeadlines('direct_reply');
        try {
          await dispatchTo(cmd.unitId, cmd.assistingUnitIds ?? input.assistingUnitIds ?? []);
        } catch (err) {
          if (failureType(err) === 'unknown_unit') reject('unknown_unit', `no unit ${cmd.unitId}`);
          throw err;
        }
        return resultOf(false);
      }),
    {
      validator: (_cmd: DispatchCommand) => {
        if (state.status === 'created' && !state.awaitingManualDispatch && !state.awaitingDirectAnswer)
          reject('action_rejected', `ticket ${state.ticketNo} is being dispatched by the matter catalog`);
      },
    },
  );

  setHandler(
    signUpdate,
    (cmd) =>
      exclusive(async () => {
        const assisting = state.assisting.find((a) => a.unitId === cmd.unitId);
        if (assisting) {
          if (assisting.signedAt !== null) return resultOf(true);
          const lateAssist = Date.now() > Date.parse(assisting.signDueAt);
          await record('ticket.assistance_signed', { unitId: cmd.unitId, late: lateAssist }, unitActor(cmd));
          assisting.signedAt = iso();
          assisting.late = lateAssist;
          publish();
          return resultOf(false);
        }
        if (state.status !== 'dispatched') return resultOf(true);
        const late = state.signDueAt !== null && Date.now() > Date.parse(state.signDueAt);
        await record('ticket.signed', { unitId: cmd.unitId, late }, unitActor(cmd));
        state.status = 'signed';
        state.signedAt = iso();
        state.signedLate = late;
        clearDeadlines('sign');
        publish();
        return resultOf(false);
      }),
    {
      validator: (cmd) => {
        if (state.unitId === null || state.status === 'created')
          reject('ticket_not_signable', `ticket ${state.ticketNo} has not been dispatched yet`);
        if (state.assisting.some((a) => a.unitId === cmd.unitId)) return;
        sameUnit(cmd.unitId, 'sign');
        if (state.status === 'returned')
          reject(
            'ticket_not_signable',
            `ticket ${state.ticketNo} was returned and awaits the centre's decision`,
          );
      },
    },
  );

  setHandler(
    returnUpdate,
    (cmd) =>
      exclusive(async () => {
        if (state.status === 'returned') return resultOf(true);
        await record(
          'ticket.returned',
          { unitId: cmd.unitId, reason: cmd.reason, suggestedUnitId: cmd.suggestedUnitId },
          unitActor(cmd),
        );
        state.statusBeforeReturn = state.status;
        state.status = 'returned';
        state.pendingReturn = {
          unitId: cmd.unitId,
          reason: cmd.reason,
          suggestedUnitId: cmd.suggestedUnitId,
        };
        publish();
        return resultOf(false);
      }),
    {
      validator: (cmd) => {
        sameUnit(cmd.unitId, 'return');
        if (state.status === 'returned') return; // the same return again: idempotent
        if (state.status !== 'dispatched' && state.status !== 'signed')
          reject(
            'action_rejected',
            `ticket ${state.ticketNo} can no longer be returned (it is ${state.status})`,
          );
        if (state.returnWindowEndsAt !== null && Date.now() > Date.parse(state.returnWindowEndsAt))
          reject(
            'return_window_closed',
            `the return window of ticket ${state.ticketNo} closed at ${state.returnWindowEndsAt}`,
          );
        if (cmd.reason.trim().length === 0)
          reject('validation_failed', 'a return needs its reason and legal basis');
      },
    },
  );

  setHandler(
    decideReturnUpdate,
    (cmd) =>
      exclusive(async () => {
        const pending = state.pendingReturn;
        if (state.status !== 'returned' || pending === null) return resultOf(true);
        await record(
          'ticket.return_decided',
          { unitId: pending.unitId, approved: cmd.approve, note: cmd.note },
          cmd.actor,
        );
        state.pendingReturn = null;
        if (cmd.approve) {
          const target = cmd.redispatchToUnitId ?? pending.suggestedUnitId!;
          try {
            await dispatchTo(target);
          } catch (err) {
            if (failureType(err) === 'unknown_unit') {
              state.status = 'created';
              state.awaitingManualDispatch = true;
              publish();
              reject('unknown_unit', `no unit ${target}; dispatch the ticket by hand`);
            }
            throw err;
          }
        } else {
          state.status = state.statusBeforeReturn ?? 'dispatched';
          state.statusBeforeReturn = null;
          publish();
        }
        return resultOf(false);
      }),
    {
      validator: (cmd) => {
        if (state.status !== 'returned')
          reject('action_rejected', `ticket ${state.ticketNo} has no return to decide`);
        if (cmd.approve && !cmd.redispatchToUnitId && !state.pendingReturn?.suggestedUnitId)
          reject('validation_failed', 'approving a return needs the unit to dispatch to');
      },
    },
  );

  const capOf = () => policy.limits.extensionCap;
  const grantedSoFar = () => state.extensionsGranted.reduce((sum, d) => sum + d.amount, 0);
  const withinCap = (d: Duration) =>
    d.amount > 0 && d.unit === capOf().unit && grantedSoFar() + d.amount <= capOf().amount + 1e-9;

  setHandler(
    requestExtensionUpdate,
    (cmd) =>
      exclusive(async () => {
        if (state.pendingExtension !== null) return resultOf(true);
        await record(
          'ticket.extension_requested',
          { unitId: cmd.unitId, requested: cmd.requested, reason: cmd.reason },
          unitActor(cmd),
        );
        state.pendingExtension = { unitId: cmd.unitId, requested: cmd.requested, reason: cmd.reason };
        publish();
        return resultOf(false);
      }),
    {
      validator: (cmd) => {
        sameUnit(cmd.unitId, 'extension');
        if (state.pendingExtension !== null) return; // already requested: idempotent
        if (state.status !== 'dispatched' && state.status !== 'signed' && state.status !== 'rectifying')
          reject(
            'action_rejected',
            `ticket ${state.ticketNo} has no running completion deadline (it is ${state.status})`,
          );
        const due = state.deadlines.complete?.dueAt;
        if (!due || Date.now() >= Date.parse(due))
          reject(
            'extension_too_late',
            `an extension must be requested before the deadline (${due ?? 'none'})`,
          );
        if (!withinCap(cmd.requested))
          reject(
            'extension_over_cap',
            `extensions total at most ${capOf().amount} ${capOf().unit}; ${grantedSoFar()} granted, ${cmd.requested.amount} ${cmd.requested.unit} requested`,
          );
        if (cmd.reason.trim().length === 0) reject('validation_failed', 'an extension needs a reason');
      },
    },
  );

  setHandler(
    decideExtensionUpdate,
    (cmd) =>
      exclusive(async () => {
        const pending = state.pendingExtension;
        if (pending === null) return resultOf(true);
        const complete = state.deadlines.complete;
        let completeDueAt = complete?.dueAt ?? iso();
        const granted = cmd.approve ? (cmd.granted ?? pending.requested) : null;
        if (granted && complete) {
          completeDueAt = await deadlineFrom(complete.dueAt, granted);
          state.extensionsGranted.push(granted);
          setDeadline('complete', complete.startAt, completeDueAt);
          state.overdue = state.overdue.filter(
            (k) => k !== 'complete' || Date.now() >= Date.parse(completeDueAt),
          );
        }
        await record(
          'ticket.extension_decided',
          { unitId: pending.unitId, approved: cmd.approve, granted, completeDueAt, note: cmd.note },
          cmd.actor,
        );
        state.pendingExtension = null;
        publish();
        return resultOf(false);
      }),
    {
      validator: (cmd) => {
        if (state.pendingExtension === null)
          reject('action_rejected', `ticket ${state.ticketNo} has no extension request to decide`);
        if (cmd.approve && !withinCap(cmd.granted ?? state.pendingExtension.requested))
          reject(
            'extension_over_cap',
            `that would exceed the extension cap of ${capOf().amount} ${capOf().unit}`,
          );
      },
    },
  );

  setHandler(
    replyUpdate,
    (cmd) =>
      exclusive(async () => {
        if (state.status !== 'signed' && state.status !== 'rectifying') return resultOf(true);
        const check = checkClosureStandard({
          content: cmd.content,
          responsibleDepartment: cmd.responsibleDepartment,
          plannedCompletionDate: cmd.plannedCompletionDate,
          isPlan: cmd.isPlan,
        });
        if (!check.closable) {
          // Recorded, so the ticket's record shows the deficient reply and why it could not close.
          await record(
            'ticket.reply_rejected',
            { unitId: cmd.unitId, defects: check.defects.map((d) => d.code) },
            unitActor(cmd),
          );
          reject('reply_not_closable', check.defects.map((d) => d.message).join('；'), {
            defects: check.defects,
          });
        }
        await record('ticket.replied', { unitId: cmd.unitId, content: cmd.content }, unitActor(cmd));
        const due = state.deadlines.complete?.dueAt;
        state.remainingAtReplyMs = due ? Math.max(0, Date.parse(due) - Date.now()) : 0;
        state.status = 'replied';
        state.repliedAt = iso();
        state.replyContent = cmd.content;
        clearDeadlines('complete', 'sign');
        setDeadline('review', iso(), await deadlineFrom(now(), policy.limits.reviewDecision));
        publish();
        return resultOf(false);
      }),
    {
      validator: (cmd) => {
        sameUnit(cmd.unitId, 'reply');
        if (state.status === 'created' || state.status === 'dispatched')
          reject('ticket_not_repliable', `ticket ${state.ticketNo} must be signed before it is replied to`);
        if (state.status === 'returned')
          reject(
            'ticket_not_repliable',
            `ticket ${state.ticketNo} was returned and awaits the centre's decision`,
          );
        if (cmd.content.trim().length === 0) reject('ticket_not_repliable', 'the reply has no content');
      },
    },
  );

  setHandler(
    reviewReplyUpdate,
    (cmd) =>
      exclusive(async () => {
        if (state.status !== 'replied') return resultOf(true);
        clearDeadlines('review');
        if (cmd.approve) {
          await record(
            'ticket.reply_reviewed',
            { unitId: state.unitId!, approved: true, note: cmd.note, completeDueAt: null },
            cmd.actor,
          );
          await startSmsCallback();
        } else {
          // Back to the unit with the centre's note and the time it had left when it replied.
          const completeDueAt = new Date(Date.now() + state.remainingAtReplyMs).toISOString();
          await record(
            'ticket.reply_reviewed',
            { unitId: state.unitId!, approved: false, note: cmd.note, completeDueAt },
            cmd.actor,
          );
          state.status = state.rectificationRound > 0 ? 'rectifying' : 'signed';
          setDeadline('complete', iso(), completeDueAt);
          publish();
        }
        return resultOf(false);
      }),
    {
      validator: (cmd) => {
        if (state.status !== 'replied')
          reject('action_rejected', `ticket ${state.ticketNo} has no reply to review`);
        if (!cmd.approve && cmd.note.trim().length === 0)
          reject('validation_failed', 'sending a reply back needs a note for the unit');
      },
    },
  );

  setHandler(
    recordCallbackUpdate,
    (cmd) =>
      exclusive(async () => {
        if (state.status !== 'callback' || state.callbackMode !== cmd.mode) return resultOf(true);
        await record(
          'ticket.callback_answered',
          { mode: cmd.mode, verdict: cmd.verdict, round: state.callbackRound, note: cmd.note },
          cmd.actor,
        );
        clearDeadlines(cmd.mode === 'sms' ? 'callback_sms' : 'callback_manual');
        if (cmd.verdict === 'satisfied' || cmd.verdict === 'basically_satisfied') {
          await close(cmd.verdict, cmd.verdict);
        } else if (cmd.mode === 'sms') {
          // Unsatisfied, or no answer, by SMS: an operator calls.
          await startManualCallback();
        } else if (state.rectificationRound === 0 && state.unitId !== null) {
          // Unsatisfied at the first manual callback: the unit verifies and rectifies (核实整改).
          state.rectificationRound++;
          const completeDueAt = await deadlineFrom(now(), policy.limits.rectification);
          await record('ticket.rectification_ordered', {
            unitId: state.unitId,
            completeDueAt,
            round: state.rectificationRound,
          });
          state.status = 'rectifying';
          state.callbackMode = null;
          setDeadline('complete', iso(), completeDueAt);
          publish();
        } else {
          // Still unsatisfied after rectification: closed, and handed to the expert evaluators.
          await close('unsatisfied', 'unsatisfied');
        }
        return resultOf(false);
      }),
    {
      validator: (cmd) => {
        if (state.status !== 'callback' || state.callbackMode !== cmd.mode)
          reject('action_rejected', `ticket ${state.ticketNo} is not waiting for a ${cmd.mode} callback`);
        if (cmd.mode === 'manual' && cmd.verdict === null)
          reject(
            'validation_failed',
            'a manual callback records the citizen’s verdict; call again if unreachable',
          );
      },
    },
  );

  setHandler(
    answerUpdate,
    (cmd) =>
      exclusive(async () => {
        if (!state.awaitingDirectAnswer) return resultOf(true);
        state.awaitingDirectAnswer = false;
        clearDeadlines('direct_reply');
        await record('ticket.answered_directly', { answer: cmd.answer }, cmd.actor);
        await startSmsCallback();
        return resultOf(false);
      }),
    {
      validator: (cmd) => {
        if (!state.awaitingDirectAnswer && state.status !== 'callback' && state.status !== 'closed')
          reject('action_rejected', `ticket ${state.ticketNo} is not waiting for a direct answer`);
        if (cmd.answer.trim().length === 0) reject('validation_failed', 'the answer has no content');
      },
    },
  );

  setHandler(reapplyPolicyUpdate, (cmd) =>
    exclusive(async () => {
      policy = cmd.policy;
      state.policy = { code: cmd.policy.code, version: cmd.policy.version };
      publish();
      return resultOf(false);
    }),
  );

  // ---------------------------------------------------------------------------- the course
  if (!input.resume) {
    publish();
    const d = input.disposition;
    if (d.type === 'not_accepted') {
      await exclusive(async () => {
        await record('ticket.not_accepted', { reason: d.reason, guidance: d.guidance });
        await close('not_accepted');
      });
    } else if (d.type === 'direct_answer' && d.answer) {
      const answer = d.answer;
      await exclusive(async () => {
        await record('ticket.answered_directly', { answer });
        await startSmsCallback();
      });
    } else if (d.type === 'direct_answer') {
      // Kept at intake: the operator answers within the policy's direct-reply limit (SQ: 4 h).
      await exclusive(async () => {
        state.awaitingDirectAnswer = true;
        setDeadline(
          'direct_reply',
          input.createdAt,
          await deadlineFrom(input.createdAt, policy.limits.directReply),
        );
        publish();
      });
    } else {
      await exclusive(async () => {
        try {
          await dispatchTo(undefined, input.assistingUnitIds ?? []);
        } catch (err) {
          if (failureType(err) !== 'no_route') throw err;
          state.awaitingManualDispatch = true; // 特事特办: the centre names the unit, within the dispatch limit
          setDeadline(
            'dispatch',
            input.createdAt,
            await deadlineFrom(input.createdAt, policy.limits.dispatch),
          );
          publish();
        }
      });
    }
  } else {
    publish();
  }

  while (state.status !== 'closed') {
    const wake = nextWake();
    const seen = revision;
    if (wake === null) await condition(() => revision !== seen);
    else await condition(() => revision !== seen, Math.max(1, wake - Date.now()));
    if (revision === seen) await exclusive(fireTimers);
    if (
      workflowInfo().continueAsNewSuggested ||
      workflowInfo().historyLength > (input.historyLimit ?? HISTORY_LIMIT)
    ) {
      // The full record is in Postgres; the new run starts from the state alone.
      await condition(() => allHandlersFinished() && !busy);
      state.continuedAsNew++;
      await continueAsNew<typeof TicketWorkflow>({ ...input, policy, resume: state });
    }
  }
  await condition(allHandlersFinished);
  return state;
}
