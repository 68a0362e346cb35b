import type { CallbackMode, Verdict } from '../domain/vocabulary';
import type { SatisfactionSource, SatisfactionWithdrawalReason } from './events';

/**
 * Which verdict counts for a ticket's satisfaction (满意率), when several exist — the precedence
 * rule, one home for it (the evaluation service applies it; supervision copies what it decided):
 *
 * 1. An expert evaluator's verdict (专业评价, PA §3) is final: it beats everything.
 * 2. Then the public vote's result (SZ 寒山闻钟, forum tickets): the poster's verdict, satisfied
 *    when the poster never voted.
 * 3. Then the callbacks: the latest round counts (after rectification the citizen judges the
 *    rectified reply), and in a round the manual callback beats the SMS answer (the operator
 *    called because the SMS answer was not the last word).
 * 4. No verdict anywhere (unanswered, unreachable, not accepted, answered directly) — not counted:
 *    the ticket is outside the rate's denominator. A ticket closed unreachable (the manual callback
 *    an unsatisfied SMS answer asked for never reached the citizen) has no callback verdict: the SMS
 *    answer was not confirmed, and the unit had no rectification and no expert to answer it.
 *
 * The rate is (satisfied + basically satisfied) / evaluated (RULES §7); the target is 90 %.
 */
export interface CallbackVerdict {
  round: number;
  mode: CallbackMode;
  verdict: Verdict | null;
}

export interface VerdictFacts {
  callbacks: readonly CallbackVerdict[];
  vote: Verdict | null;
  expert: Verdict | null;
  /** Closed with outcome `unreachable`: its callbacks count for nothing (rule 4). */
  unreachable?: boolean;
}

export interface CountedVerdict {
  verdict: Verdict;
  source: SatisfactionSource;
}

export function countedVerdict(f: VerdictFacts): CountedVerdict | null {
  if (f.expert) return { verdict: f.expert, source: 'expert' };
  if (f.vote) return { verdict: f.vote, source: 'vote' };
  if (f.unreachable) return null;
  let best: CallbackVerdict | null = null;
  for (const c of f.callbacks) {
    if (c.verdict === null) continue;
    if (
      !best ||
      c.round > best.round ||
      (c.round === best.round && c.mode === 'manual' && best.mode === 'sms')
    )
      best = c;
  }
  return best ? { verdict: best.verdict!, source: best.mode } : null;
}

/** What a ticket's facts, as they now stand, do to the verdict counted for it. */
export type CountedChange =
  | { kind: 'unchanged' }
  | { kind: 'recorded'; verdict: Verdict; source: SatisfactionSource; correction: boolean }
  | { kind: 'withdrawn'; reason: SatisfactionWithdrawalReason };

/**
 * A ticket's verdict counts once the ticket is closed and its unit, category and region are known
 * (the facts arrive on several topics, in any order); a new fact only ever changes it to another
 * verdict. A correction of the ticket's record (a lost attempt's close or callback answer voided)
 * may leave no verdict to count: then the one counted is withdrawn, and the ticket leaves the rate
 * until a verdict that stands arrives. So may a ticket decided again because the rule changed
 * (`recheck`: one closed unreachable, counted by its SMS answer before rule 4 said otherwise).
 */
export function countedChange(
  facts: VerdictFacts & { closed: boolean; known: boolean },
  counted: CountedVerdict | null,
  correction: boolean,
  recheck = false,
): CountedChange {
  const now = facts.closed && facts.known ? countedVerdict(facts) : null;
  if (!now)
    return (correction || recheck) && counted && facts.known
      ? { kind: 'withdrawn', reason: correction ? 'record_corrected' : 'rule_changed' }
      : { kind: 'unchanged' };
  if (counted && now.verdict === counted.verdict && now.source === counted.source)
    return { kind: 'unchanged' };
  return { kind: 'recorded', ...now, correction };
}

export const SATISFACTION_TARGET = 0.9;

export interface SatisfactionCounts {
  satisfied: number;
  basically_satisfied: number;
  unsatisfied: number;
}

export function satisfactionRate(c: SatisfactionCounts): {
  evaluated: number;
  rate: number | null;
  meetsTarget: boolean | null;
} {
  const evaluated = c.satisfied + c.basically_satisfied + c.unsatisfied;
  if (evaluated === 0) return { evaluated, rate: null, meetsTarget: null };
  const rate = (c.satisfied + c.basically_satisfied) / evaluated;
  return { evaluated, rate, meetsTarget: rate >= SATISFACTION_TARGET };
}

export const PERIODS = ['day', 'week', 'month', 'quarter', 'year'] as const;
export type Period = (typeof PERIODS)[number];

/**
 * The first day (`YYYY-MM-DD`, China time, UTC+8) of the period an instant falls in: weeks are ISO
 * weeks starting on Monday; quarters start in January, April, July, October.
 */
export function periodStart(at: string | number, period: Period): string {
  const d = new Date((typeof at === 'string' ? Date.parse(at) : at) + 8 * 3_600_000);
  let y = d.getUTCFullYear();
  let m = d.getUTCMonth();
  let day = d.getUTCDate();
  if (period === 'week') {
    const back = (d.getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
    const monday = new Date(Date.UTC(y, m, day - back));
    y = monday.getUTCFullYear();
    m = monday.getUTCMonth();
    day = monday.getUTCDate();
  } else if (period === 'month') day = 1;
  else if (period === 'quarter') {
    m = m - (m % 3);
    day = 1;
  } else if (period === 'year') {
    m = 0;
    day = 1;
  }
  return `${y}-${String(m + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
