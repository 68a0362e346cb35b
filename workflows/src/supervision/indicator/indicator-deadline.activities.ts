import { Context } from '@temporalio/activity';
import type { IndicatorDeadlineRepository } from '@hotline/platform';
import { markedOrRetry } from '../deadline-mark.activities';

/** How many attempts an indicator not yet visible gets before its clock gives up on it. */
export const MISSING_INDICATOR_ATTEMPTS = 6;

export function createIndicatorDeadlineActivities(deps: {
  indicators: Pick<IndicatorDeadlineRepository, 'due'>;
  attempt?: () => number;
}) {
  const attempt = deps.attempt ?? (() => Context.current().info.attempt);
  return {
    /** True when the indicator was still open at its date (marked overdue, announced once). */
    async markIndicatorDue(i: { indicatorId: string }): Promise<boolean> {
      return markedOrRetry(await deps.indicators.due(i.indicatorId), attempt(), MISSING_INDICATOR_ATTEMPTS, {
        type: 'indicator_not_found',
        message: `no indicator ${i.indicatorId} (yet)`,
      });
    },
  };
}

export type IndicatorDeadlineActivities = ReturnType<typeof createIndicatorDeadlineActivities>;
