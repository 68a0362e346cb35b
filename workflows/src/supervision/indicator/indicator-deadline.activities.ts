import { ApplicationFailure, Context } from '@temporalio/activity';
import type { IndicatorDeadlineRepository } from '@hotline/platform';

/** How many attempts an indicator not yet visible gets before its clock gives up on it. */
export const MISSING_INDICATOR_ATTEMPTS = 6;

export function createIndicatorDeadlineActivities(deps: {
  indicators: Pick<IndicatorDeadlineRepository, 'due'>;
  attempt?: () => number;
}) {
  const attempt = deps.attempt ?? (() => Context.current().info.attempt);
  return {
    /**
     * True when the indicator was still open at its date (marked overdue, announced once). The
     * clock starts just before its key task commits, so an indicator not found yet is asked for
     * again, a few times (a soon date could come first); one never found (its task rolled back) is
     * nothing to mark.
     */
    async markIndicatorDue(i: { indicatorId: string }): Promise<boolean> {
      const marked = await deps.indicators.due(i.indicatorId);
      if (marked !== null) return marked;
      if (attempt() < MISSING_INDICATOR_ATTEMPTS)
        throw ApplicationFailure.retryable(`no indicator ${i.indicatorId} (yet)`, 'indicator_not_found');
      return false;
    },
  };
}

export type IndicatorDeadlineActivities = ReturnType<typeof createIndicatorDeadlineActivities>;
