/**
 * The manual-callback queue (人工回访): a task appears the moment the ticket's workflow asks for a
 * phone call and is done when the call is answered (or the ticket closes). One operator holds a
 * task at a time; a claim lapses after CLAIM_TTL_MS so no task is stuck with someone gone home.
 *
 * Unreachable (回访不成功), the rule chosen (RULES §4 names no number): the citizen counts as
 * unreachable after 3 failed calls at least an hour apart (three different moments of the day,
 * not three redials in a minute), or at once when the number is wrong or out of service (空号).
 * The ticket then closes without a verdict (outcome `unreachable`, outside the satisfaction rate).
 */
export const CALLBACK_ATTEMPT_OUTCOMES = ['no_answer', 'busy', 'powered_off', 'wrong_number'] as const;
export type CallbackAttemptOutcome = (typeof CALLBACK_ATTEMPT_OUTCOMES)[number];
export const CALLBACK_ATTEMPT_LABELS: Record<CallbackAttemptOutcome, string> = {
  no_answer: '无人接听',
  busy: '占线',
  powered_off: '关机/停机',
  wrong_number: '空号/号码错误',
};

export const UNREACHABLE_AFTER_ATTEMPTS = 3;
export const ATTEMPT_SPACING_MS = 60 * 60_000;
export const CLAIM_TTL_MS = 30 * 60_000;

export interface FailedAttempt {
  outcome: CallbackAttemptOutcome;
  /** ISO time of the call. */
  at: string;
}

/** The attempts that count towards unreachable: each at least ATTEMPT_SPACING_MS after the previous counted one. */
export function countedAttempts(attempts: readonly FailedAttempt[]): FailedAttempt[] {
  const sorted = [...attempts].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const counted: FailedAttempt[] = [];
  for (const a of sorted)
    if (
      counted.length === 0 ||
      Date.parse(a.at) - Date.parse(counted[counted.length - 1].at) >= ATTEMPT_SPACING_MS
    )
      counted.push(a);
  return counted;
}

/** Whether the citizen may now be recorded as unreachable, and if not, why not (Chinese, for the operator). */
export function unreachableVerdict(
  attempts: readonly FailedAttempt[],
): { ok: true } | { ok: false; reason: string } {
  if (attempts.some((a) => a.outcome === 'wrong_number')) return { ok: true };
  const counted = countedAttempts(attempts).length;
  if (counted >= UNREACHABLE_AFTER_ATTEMPTS) return { ok: true };
  return {
    ok: false,
    reason: `需在不同时段（间隔至少1小时）拨打${UNREACHABLE_AFTER_ATTEMPTS}次均未接通，目前有效拨打${counted}次`,
  };
}

export type ClaimView = 'free' | 'mine' | 'theirs';

/** Who holds a task now: a claim older than CLAIM_TTL_MS has lapsed. */
export function claimOf(
  task: { claimedBy: string | null; claimedAt: string | null },
  userId: string,
  now: number,
): ClaimView {
  if (!task.claimedBy || !task.claimedAt || now - Date.parse(task.claimedAt) >= CLAIM_TTL_MS) return 'free';
  return task.claimedBy === userId ? 'mine' : 'theirs';
}
