import { addDuration } from '../domain/calendar';
import type { Duration, WorkingCalendar } from '../domain/calendar';
import type { Verdict } from '../domain/vocabulary';
import { isOneOf, VERDICTS } from '../domain/vocabulary';
import { visibleLength } from '../domain/text';

/**
 * Expert evaluation (专业评价, RULES §4 / PA §3), the rules in one place:
 * 1. Evaluators are nominated by departments (NPC deputies, CPPCC members, experts) and appointed
 *    for two-year terms that lapse by themselves: outside its term an evaluator is never chosen.
 * 2. An unsatisfied case goes to an available evaluator in term with no tie to the unit, and not
 *    one who already held this case; the least loaded first (fewest open cases, then the one
 *    assigned longest ago, then by id, so the choice is deterministic).
 * 3. The evaluator gets an SMS at once and a reminder `evaluatorReminderAfter` (24 h) later, and
 *    decides within `evaluatorDecision` (2 working days) or returns the case at once as unsuited.
 * 4. Neither in time: the case is withdrawn automatically and goes to the next evaluator.
 * 5. The verdict (满意 / 基本满意 / 不满意) with its reason is final; a unit objects only through
 *    the centre, which records the objection and its answer; the verdict stands.
 */
export const NOMINATION_SOURCES = ['npc_deputy', 'cppcc_member', 'expert', 'other'] as const;
export type NominationSource = (typeof NOMINATION_SOURCES)[number];
export const NOMINATION_SOURCE_LABELS: Record<NominationSource, string> = {
  npc_deputy: '人大代表',
  cppcc_member: '政协委员',
  expert: '专家学者',
  other: '其他',
};

/** PA §3: evaluators are appointed for two years. */
export const EVALUATOR_TERM_YEARS = 2;

export interface EvaluatorCandidate {
  evaluatorId: string;
  available: boolean;
  /** First day of the term, `YYYY-MM-DD` (China time). */
  termStart: string;
  /** First day after the term, `YYYY-MM-DD`: the term has lapsed from that day on. */
  termEnd: string;
  /** Units the evaluator must never evaluate (their own department, a family tie…). */
  tiedUnitIds: readonly string[];
  openCases: number;
  lastAssignedAt: string | null;
}

/** The day a term starting on `termStart` lapses: two years on. */
export function termEndOf(termStart: string): string {
  const [y, m, d] = termStart.split('-').map(Number);
  const end = new Date(Date.UTC(y + EVALUATOR_TERM_YEARS, m - 1, d));
  // 29 February + 2 years is 1 March (Date rolls over), never a day that does not exist.
  return end.toISOString().slice(0, 10);
}

/** The calendar day in China (UTC+8) of an instant: terms are counted in local days. */
export function chinaDay(at: number): string {
  return new Date(at + 8 * 3_600_000).toISOString().slice(0, 10);
}

export function inTerm(c: Pick<EvaluatorCandidate, 'termStart' | 'termEnd'>, now: number): boolean {
  const today = chinaDay(now);
  return c.termStart <= today && today < c.termEnd;
}

export interface CaseContext {
  unitId: string;
  /** Evaluators who already held this case (returned or withdrawn): never again. */
  tried: readonly string[];
  now: number;
}

export function isEligible(c: EvaluatorCandidate, ctx: CaseContext): boolean {
  return (
    c.available &&
    inTerm(c, ctx.now) &&
    !c.tiedUnitIds.includes(ctx.unitId) &&
    !ctx.tried.includes(c.evaluatorId)
  );
}

/** The evaluator a case goes to, or null when nobody is eligible (the case then waits). */
export function chooseEvaluator(
  candidates: readonly EvaluatorCandidate[],
  ctx: CaseContext,
): EvaluatorCandidate | null {
  const eligible = candidates.filter((c) => isEligible(c, ctx));
  eligible.sort(
    (a, b) =>
      a.openCases - b.openCases ||
      (a.lastAssignedAt ?? '').localeCompare(b.lastAssignedAt ?? '') ||
      a.evaluatorId.localeCompare(b.evaluatorId),
  );
  return eligible[0] ?? null;
}

export interface ExpertLimits {
  evaluatorDecision: Duration;
  evaluatorReminderAfter: Duration;
}

/** When the reminder goes out and when the decision is due, from the moment of assignment. */
export function expertDeadlines(
  assignedAt: number,
  limits: ExpertLimits,
  calendar: WorkingCalendar,
): { remindAt: number; decideBy: number } {
  const start = new Date(assignedAt);
  return {
    remindAt: addDuration(start, limits.evaluatorReminderAfter, calendar).getTime(),
    decideBy: addDuration(start, limits.evaluatorDecision, calendar).getTime(),
  };
}

/** What the evaluator holding a case may do with it. */
export interface ExpertDecisionCommand {
  /** The user id of the caller: only the evaluator the case is assigned to may decide. */
  userId: string;
  verdict: Verdict;
  reason: string;
}
export interface ExpertReturnCommand {
  userId: string;
  reason: string;
}

export type ExpertRefusal = {
  code: 'expert_case_not_found' | 'expert_case_closed' | 'validation_failed';
  message: string;
};

/** Whether the caller may decide or return the case now (the update's validator); null when yes. */
export function refuseExpertAction(
  holder: { userId: string } | null,
  decided: boolean,
  cmd: { userId: string; reason: string; verdict?: unknown },
): ExpertRefusal | null {
  if (decided) return { code: 'expert_case_closed', message: 'the verdict is recorded and final' };
  if (!holder || holder.userId !== cmd.userId)
    return { code: 'expert_case_not_found', message: 'no such case among yours' };
  if ('verdict' in cmd && !isOneOf(VERDICTS, cmd.verdict))
    return {
      code: 'validation_failed',
      message: 'verdict must be satisfied, basically_satisfied or unsatisfied',
    };
  if (typeof cmd.reason !== 'string' || visibleLength(cmd.reason) < 2 || cmd.reason.length > 2000)
    return { code: 'validation_failed', message: 'a reason of 2 to 2000 characters is required' };
  return null;
}
