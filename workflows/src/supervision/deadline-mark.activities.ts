import { ApplicationFailure } from '@temporalio/activity';

/**
 * A date's clock marks its subject (an indicator, a tracked plan) when the date comes. The clock
 * starts just before its subject's row commits, so a subject not found yet (`marked` null) is asked
 * for again, a few times (a date already past comes at once); one never found (its transaction
 * rolled back) is nothing to mark.
 */
export function markedOrRetry(
  marked: boolean | null,
  attempt: number,
  maxAttempts: number,
  missing: { type: string; message: string },
): boolean {
  if (marked !== null) return marked;
  if (attempt < maxAttempts) throw ApplicationFailure.retryable(missing.message, missing.type);
  return false;
}
