import type { IndicatorDeadlineRepository } from '@hotline/platform';

export function createIndicatorDeadlineActivities(deps: {
  indicators: Pick<IndicatorDeadlineRepository, 'due'>;
}) {
  return {
    /** True when the indicator was still open at its date (marked overdue, announced once). */
    async markIndicatorDue(i: { indicatorId: string }): Promise<boolean> {
      return deps.indicators.due(i.indicatorId);
    },
  };
}

export type IndicatorDeadlineActivities = ReturnType<typeof createIndicatorDeadlineActivities>;
