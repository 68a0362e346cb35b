/**
 * TicketWorkflow: one durable workflow per ticket, from intake to closure (RULES §1–§4).
 *
 * The rules live in libs/shared/src/ticket, one pure module per regulation step (intake, dispatch,
 * sign, return, extension, reply and review, the callback course) and the clock; this file only
 * wires them to Temporal: each unit or centre action is an update whose validator runs the step's
 * decision and says at once whether it is accepted; the handler runs it again, in turn with every
 * other transition, records the events (each carrying the state decided) through one local
 * activity, and takes the new state. One timer waits for the next reminder or deadline.
 *
 * Deterministic code only: no I/O, no Node, no service code. Deadlines are computed here from the
 * policy and the calendar snapshot the ticket started with.
 */
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  currentUpdateInfo,
  defineQuery,
  defineUpdate,
  log,
  patched,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import {
  decideAcceptanceNotice,
  decideAnswer,
  decideCallback,
  decideExtensionDecision,
  decideExtensionRequest,
  decideIntake,
  decideManualDispatch,
  decideReapplyPolicy,
  decideProgressNote,
  decideReply,
  decideReturn,
  decideReturnDecision,
  decideCoordination,
  decideReview,
  decideSign,
  decideSubDecline,
  decideSubDispatch,
  decideSubRecall,
  decideSubSign,
  decideSubUnitReply,
  decideSubReview,
  decideTimers,
  findTextProblem,
  initialState,
  nextWake,
  resumedState,
  runningPassTimes,
  snapshotOf,
  TICKET_UPDATE_NAMES,
  transitionEventIds,
  WorkingCalendar,
  AMENDMENTS,
} from '@hotline/shared';
import type {
  Amendment,
  Decision,
  DecisionContext,
  EventDraft,
  TicketState,
  TicketUpdateName,
  TicketUpdates,
  TicketWorkflowInput,
  UnitActionResult,
} from '@hotline/shared';
import type { TicketActivities } from './ticket.activities';
import { publish } from './visibility';
import { Turns } from '../common/turns';

const { recordTransition } = proxyLocalActivities<TicketActivities>({
  startToCloseTimeout: '15 seconds',
  retry: {
    initialInterval: '1 second',
    maximumInterval: '1 minute',
    backoffCoefficient: 2,
    nonRetryableErrorTypes: ['invalid_data'],
  },
});

/** The typed update for each name of the contract: the services call the same names. */
export const ticketUpdate = <K extends TicketUpdateName>(name: K) =>
  defineUpdate<UnitActionResult, [TicketUpdates[K]]>(name);
export const stateQuery = defineQuery<TicketState>('state');

type Rule<K extends TicketUpdateName> = (
  s: TicketState,
  cmd: TicketUpdates[K],
  ctx: DecisionContext,
) => Decision;
/** Which regulation step decides each action. */
const RULES: { [K in TicketUpdateName]: Rule<K> } = {
  dispatch: decideManualDispatch,
  sign: decideSign,
  return: decideReturn,
  decideReturn: decideReturnDecision,
  coordinate: decideCoordination,
  requestExtension: decideExtensionRequest,
  decideExtension: decideExtensionDecision,
  reply: decideReply,
  addProgressNote: decideProgressNote,
  subDispatch: decideSubDispatch,
  subRecall: decideSubRecall,
  subDecline: decideSubDecline,
  subSign: decideSubSign,
  subReply: decideSubUnitReply,
  subReview: decideSubReview,
  reviewReply: decideReview,
  recordCallback: decideCallback,
  answer: decideAnswer,
  notifyAcceptance: decideAcceptanceNotice,
  reapplyPolicy: decideReapplyPolicy,
};

/**
 * The rules amended while tickets ran, by the action they apply to. The handler asks `patched()` for
 * each: a course recorded before the amendment replays under the rule it was decided by, every new
 * decision takes the amended one (validators are never replayed, so they always do).
 */
const AMENDED: { [K in TicketUpdateName]?: readonly Amendment[] } = {
  requestExtension: ['extension-after-sign'],
  decideExtension: ['grant-within-request'],
  return: ['return-once'],
  dispatch: ['dispatch-once'],
  subDispatch: ['sub-unit-signs', 'sub-unit-sign-time', 'pass-once', 'sub-sign-within-due'],
  subReply: ['sub-unit-signs'],
  subReview: ['closure-v2', 'promise-v2', 'closure-v3'],
  answer: ['answer-once'],
  reply: ['reply-once', 'closure-v2', 'promise-v2', 'closure-v3'],
  reapplyPolicy: ['reapply-once'],
  coordinate: ['coordination-levels'],
};

/**
 * The amendments a ticket takes in force from its start when it starts after them: one patch
 * marker, asked as the run begins, stands for all of them, instead of a marker (and Temporal's
 * `TemporalChangeVersion` upsert) for each where it first applies. A run started before asks
 * `patched()` for each as before, so its recorded course replays unchanged. Frozen: those up to
 * `sub-sign-within-due` (AMENDMENTS is append-only); one made later is asked for by itself
 * (AMENDED), until a later baseline.
 */
const RULES_FROM_START = 'rules-from-start-2026-12';
const IN_FORCE_FROM_START: ReadonlySet<Amendment> = new Set(
  AMENDMENTS.slice(0, AMENDMENTS.indexOf('sub-sign-within-due') + 1),
);

/** Keep a ticket's event history bounded: past this many events, continue as new. */
const HISTORY_LIMIT = 4000;

function refusal(d: Extract<Decision, { kind: 'rejected' }>): ApplicationFailure {
  return ApplicationFailure.create({
    type: d.code,
    message: d.message,
    nonRetryable: true,
    details: d.details ? [d.details] : [],
  });
}

export async function TicketWorkflow(input: TicketWorkflowInput): Promise<TicketState> {
  // First, so that a run's first task asks it (RULES_FROM_START).
  const fromStart = patched(RULES_FROM_START) ? IN_FORCE_FROM_START : new Set<Amendment>();
  const inForce = (a: Amendment): boolean => fromStart.has(a) || patched(a);
  const amendedFor = (name: TicketUpdateName): DecisionContext['amended'] =>
    Object.fromEntries((AMENDED[name] ?? []).map((a) => [a, inForce(a)]));

  let state = input.resume ? resumedState({ ...input, resume: input.resume }) : initialState(input);
  let policy = input.policy;
  let calendarData = input.calendar;
  let calendar = new WorkingCalendar(calendarData);
  const ctx = (): DecisionContext => ({ now: Date.now(), policy, calendar, calendarData });

  let revision = 0;
  /** One transition at a time; each that ends moves the revision the timer loop waits on. */
  const turns = new Turns(() => revision++);
  const inTurn = <T>(fn: () => Promise<T>): Promise<T> => turns.take(fn);

  /** Transitions recorded by this run so far: with the asking update, what names their events. */
  let recorded = 0;

  /**
   * Records a transition's events. Their ids come from the run, the transition's place and the
   * update that asked for it (null: the workflow's own), never from the seeded random numbers: an
   * update whose attempt was lost after this wrote would hand those to whatever ran next.
   */
  async function record(drafts: EventDraft[], after: TicketState, updateId: string | null): Promise<void> {
    if (drafts.length === 0) return;
    const place = { runId: workflowInfo().runId, serial: recorded++ };
    const ids = transitionEventIds({ ...place, updateId }, drafts.length);
    const occurredAt = new Date().toISOString();
    const snapshot = snapshotOf(after);
    // With its place, the ledger can void what a lost attempt wrote there (ledger corrections); with
    // the task that decided it, refuse an attempt that outlived its task.
    await recordTransition({
      ticketNo: state.ticketNo,
      place: { ...place, generation: workflowInfo().historyLength },
      events: drafts.map((e, i) => ({
        ...e,
        id: ids[i],
        ticketNo: state.ticketNo,
        occurredAt,
        state: snapshot,
      })),
    });
  }

  /** Carries a decision out: records its events, then takes its state. Returns whether anything changed. */
  async function carryOut(d: Decision, updateId: string | null = null): Promise<boolean> {
    if (d.kind === 'rejected') {
      await record(d.record ?? [], state, updateId);
      throw refusal(d);
    }
    if (d.kind === 'unchanged') return false;
    await record(d.events, d.state, updateId);
    state = d.state;
    publish(state);
    return true;
  }

  /** What an applied action changes beyond the ticket's state: the rules the clock follows. */
  const adopt: { [K in TicketUpdateName]?: (cmd: TicketUpdates[K]) => void } = {
    reapplyPolicy: (cmd) => {
      policy = cmd.policy;
      calendarData = cmd.calendar;
      calendar = new WorkingCalendar(calendarData);
    },
  };

  function wire<K extends TicketUpdateName>(name: K): void {
    const decide = RULES[name] as Rule<K>;
    setHandler(
      ticketUpdate(name),
      (cmd) => {
        // The update that asked: it names the events of the transition (event-ids.ts).
        const updateId = currentUpdateInfo()?.id ?? null;
        return inTurn(async () => {
          const decision = decide(state, cmd, { ...ctx(), amended: amendedFor(name) });
          const changed = await carryOut(decision, updateId);
          if (changed) (adopt[name] as ((c: TicketUpdates[K]) => void) | undefined)?.(cmd);
          return { ticketNo: state.ticketNo, status: state.status, alreadyApplied: !changed };
        });
      },
      {
        validator: (cmd) => {
          const bad = findTextProblem(cmd, 'command');
          if (bad)
            throw ApplicationFailure.create({
              type: 'invalid_text',
              message: `bad text at ${bad.path}`,
              nonRetryable: true,
            });
          // While a transition is under way the state is about to change (a dispatch, a callback
          // task): the handler decides once it has taken its turn, so what a unit was just shown,
          // it can act on.
          if (turns.busy) return;
          const d = decide(state, cmd, ctx());
          if (d.kind === 'rejected' && !d.record) throw refusal(d);
        },
      },
    );
  }
  for (const name of TICKET_UPDATE_NAMES) wire(name);
  setHandler(stateQuery, () => state);

  /** The clock's amended rules, asked only where they apply (a sub-unit held to its hub's time). */
  const clockRules = (): DecisionContext['amended'] =>
    runningPassTimes(state).length > 0 ? { 'sub-pass-reminders': inForce('sub-pass-reminders') } : {};

  if (input.resume) publish(state);
  else await inTurn(() => carryOut(decideIntake(state, input, ctx())));

  while (state.status !== 'closed') {
    const wake = nextWake(state, policy.limits.reminderFractions, clockRules());
    const seen = revision;
    if (wake === null) await condition(() => revision !== seen);
    else await condition(() => revision !== seen, Math.max(1, wake - Date.now()));
    if (revision === seen) {
      try {
        await inTurn(() => carryOut(decideTimers(state, { ...ctx(), amended: clockRules() })));
      } catch (err) {
        // Not recordable even after retries: try again later, and say so loudly meanwhile.
        log.error('the timers of the ticket could not be recorded', {
          ticketNo: state.ticketNo,
          error: String(err),
        });
        const failed = revision;
        await condition(() => revision !== failed, '10 minutes');
      }
    }
    const info = workflowInfo();
    if (info.continueAsNewSuggested || info.historyLength > (input.historyLimit ?? HISTORY_LIMIT)) {
      // The full record is in Postgres; the new run starts from the state alone.
      await condition(() => allHandlersFinished() && !turns.busy);
      await continueAsNew<typeof TicketWorkflow>({
        ...input,
        policy,
        calendar: calendarData,
        resume: { ...state, continuedAsNew: state.continuedAsNew + 1 },
      });
    }
  }
  await condition(allHandlersFinished);
  return state;
}
