/**
 * ExpertEvaluationWorkflow: one unsatisfied case before the expert evaluators (专业评价, RULES §4,
 * PA §3), read as its rule (libs/shared/src/evaluation/expert.ts):
 *   assign to the next eligible evaluator (SMS at once) → remind after 24 h → the verdict within
 *   2 working days, or a return at once when unsuited → neither: withdrawn, and the next evaluator.
 * The verdict is final. A case withdrawn as a whole (its request voided) calls the run off, and
 * tells whoever held it. Nobody eligible: the case waits, and tries again hourly or when told that
 * an evaluator became available.
 *
 * Deterministic code only; deadlines come from the calendar snapshot and limits in the input.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  defineQuery,
  defineSignal,
  defineUpdate,
  isCancellation,
  patched,
  proxyActivities,
  setHandler,
} from '@temporalio/workflow';
import { expertDeadlines, refuseExpertAction, WorkingCalendar } from '@hotline/shared';
import type {
  CalendarData,
  ExpertCaseStatus,
  ExpertDecisionCommand,
  ExpertLimits,
  ExpertReturnCommand,
  Verdict,
} from '@hotline/shared';
import type { ExpertActivities } from './expert-evaluation.activities';

export const EXPERT_EVALUATION_WORKFLOW_TYPE = 'ExpertEvaluationWorkflow';
export const expertEvaluationWorkflowId = (ticketNo: string) => `expert-evaluation-${ticketNo}`;

export interface ExpertEvaluationInput {
  ticketNo: string;
  unitId: string;
  limits: ExpertLimits;
  calendar: CalendarData;
  /** Attempts the case had before (a case withdrawn and opened again): numbering goes on after them. */
  attemptsBefore?: number;
}

export interface ExpertCaseState {
  ticketNo: string;
  status: ExpertCaseStatus;
  attempt: number;
  holder: { evaluatorId: string; userId: string } | null;
  remindAt: string | null;
  decideBy: string | null;
  /** Evaluators who held the case before (returned or withdrawn). */
  tried: string[];
  verdict: Verdict | null;
}

export interface ExpertActionResult {
  ticketNo: string;
  status: ExpertCaseState['status'];
}

export const decideExpertCase = defineUpdate<ExpertActionResult, [ExpertDecisionCommand]>('decideExpertCase');
export const returnExpertCase = defineUpdate<ExpertActionResult, [ExpertReturnCommand]>('returnExpertCase');
/** An evaluator became available (or was appointed): a waiting case tries again at once. */
export const evaluatorAvailable = defineSignal('evaluatorAvailable');
export const expertCaseQuery = defineQuery<ExpertCaseState>('expertCase');

const { assignExpert, remindExpert, withdrawExpert, recordExpertVerdict, notifyExpertCaseWithdrawn } =
  proxyActivities<ExpertActivities>({
    startToCloseTimeout: '30 seconds',
    retry: {
      initialInterval: '1 second',
      maximumInterval: '1 minute',
      nonRetryableErrorTypes: ['invalid_data'],
    },
  });

const failureType = (err: ActivityFailure) =>
  err.cause instanceof ApplicationFailure ? err.cause.type : undefined;

/** Since this patch, the evaluator holding a case that is withdrawn is told so (older runs: not). */
const CASE_WITHDRAWN_NOTICE = 'expert-case-withdrawn-notice';

/** How long a case with nobody eligible waits before it looks again (unless told sooner). */
const RETRY_ASSIGNMENT_MS = 60 * 60_000;

export async function ExpertEvaluationWorkflow(input: ExpertEvaluationInput): Promise<ExpertCaseState> {
  const calendar = new WorkingCalendar(input.calendar);
  const s: ExpertCaseState = {
    ticketNo: input.ticketNo,
    status: 'waiting_for_evaluator',
    attempt: input.attemptsBefore ?? 0,
    holder: null,
    remindAt: null,
    decideBy: null,
    tried: [],
    verdict: null,
  };
  /** The holder answered: a verdict (final) or a return (unsuited); `recorded` once it is on record. */
  let answered: 'verdict' | 'returned' | null = null;
  let recorded = false;
  let pokes = 0;

  const refuse = (cmd: ExpertDecisionCommand | ExpertReturnCommand) => {
    // A case given back is no longer its holder's (not "decided": it waits for the next evaluator).
    const r = refuseExpertAction(
      answered === 'returned' ? null : s.holder,
      s.status === 'decided' || answered === 'verdict',
      cmd,
    );
    if (r) throw ApplicationFailure.create({ type: r.code, message: r.message, nonRetryable: true });
  };
  /** Records the holder's answer; if it cannot be recorded, the case is the holder's again. */
  async function answer(
    kind: 'verdict' | 'returned',
    write: () => Promise<void>,
  ): Promise<ExpertActionResult> {
    answered = kind;
    try {
      await write();
    } catch (err) {
      answered = null;
      throw err;
    }
    recorded = true;
    return { ticketNo: s.ticketNo, status: kind === 'verdict' ? 'decided' : 'waiting_for_evaluator' };
  }
  setHandler(
    decideExpertCase,
    (cmd) =>
      answer('verdict', async () => {
        await recordExpertVerdict({
          ticketNo: s.ticketNo,
          attempt: s.attempt,
          verdict: cmd.verdict,
          reason: cmd.reason.trim(),
        });
        s.verdict = cmd.verdict;
      }),
    { validator: refuse },
  );
  setHandler(
    returnExpertCase,
    (cmd) =>
      answer('returned', () =>
        withdrawExpert({
          ticketNo: s.ticketNo,
          attempt: s.attempt,
          reason: 'returned_unsuited',
          note: cmd.reason.trim(),
        }),
      ),
    { validator: refuse },
  );
  setHandler(evaluatorAvailable, () => void pokes++);
  setHandler(expertCaseQuery, () => s);

  try {
    while (s.status !== 'decided') {
      const assignedAt = Date.now();
      const { remindAt, decideBy } = expertDeadlines(assignedAt, input.limits, calendar);
      const holder = await assignExpert({
        ticketNo: s.ticketNo,
        unitId: input.unitId,
        attempt: s.attempt + 1,
        tried: s.tried,
        assignedAt: new Date(assignedAt).toISOString(),
        decideBy: new Date(decideBy).toISOString(),
      }).catch((err: unknown) => {
        // The case was withdrawn (its request voided) and this run was not called off in time.
        if (err instanceof ActivityFailure && failureType(err) === 'case_withdrawn')
          return 'withdrawn' as const;
        throw err;
      });
      if (holder === 'withdrawn') {
        // The attempt before may have ended with the case (its holder let go in the record).
        if (s.attempt > (input.attemptsBefore ?? 0) && patched(CASE_WITHDRAWN_NOTICE))
          await notifyExpertCaseWithdrawn({ ticketNo: s.ticketNo, attempt: s.attempt });
        s.status = 'withdrawn';
        break;
      }
      if (!holder) {
        s.status = 'waiting_for_evaluator';
        const seen = pokes;
        await condition(() => pokes !== seen, RETRY_ASSIGNMENT_MS);
        continue;
      }
      s.attempt++;
      s.holder = holder;
      s.status = 'assigned';
      s.remindAt = new Date(remindAt).toISOString();
      s.decideBy = new Date(decideBy).toISOString();
      answered = null;
      recorded = false;

      let reminded = remindAt >= decideBy; // a reminder due after the limit is never sent
      for (;;) {
        const due = reminded ? decideBy : remindAt;
        if (await condition(() => answered !== null, Math.max(1, due - Date.now()))) {
          await condition(() => recorded || answered === null);
          if (recorded) break;
          continue; // the answer could not be recorded: the case is still the holder's
        }
        if (!reminded) {
          reminded = true;
          await remindExpert({ ticketNo: s.ticketNo, attempt: s.attempt });
          continue;
        }
        // Neither a verdict nor a return within the limit: withdrawn automatically.
        s.holder = null;
        await withdrawExpert({ ticketNo: s.ticketNo, attempt: s.attempt, reason: 'timed_out', note: '' });
        s.tried.push(holder.evaluatorId);
        break;
      }
      if (recorded && answered === 'verdict') s.status = 'decided';
      else if (recorded) {
        s.tried.push(holder.evaluatorId);
        s.holder = null;
      }
    }
  } catch (err) {
    // Called off: the case was withdrawn (its request voided). Whoever held it is told it is off;
    // the record decides whether this attempt ended with the case.
    if (isCancellation(err) && s.holder && patched(CASE_WITHDRAWN_NOTICE)) {
      const attempt = s.attempt;
      s.status = 'withdrawn';
      s.holder = null;
      await CancellationScope.nonCancellable(() =>
        notifyExpertCaseWithdrawn({ ticketNo: s.ticketNo, attempt }),
      );
    }
    throw err;
  }
  await condition(allHandlersFinished);
  return s;
}
