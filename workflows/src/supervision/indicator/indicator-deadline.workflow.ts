/**
 * IndicatorDeadlineWorkflow: a key task's indicator (督查督办系统, GS) keeps its date. At the date,
 * an indicator not closed off (销号) is marked overdue and announced (`supervision.indicator_due`),
 * and supervision raises an order on the lead unit; one closed off before its date stays quiet.
 * A timer, not a scan.
 */
import { proxyActivities, sleep } from '@temporalio/workflow';
import type { IndicatorDeadlineActivities } from './indicator-deadline.activities';

export interface IndicatorDeadlineInput {
  indicatorId: string;
  dueAt: string;
}

const { markIndicatorDue } = proxyActivities<IndicatorDeadlineActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

export async function IndicatorDeadlineWorkflow(
  input: IndicatorDeadlineInput,
): Promise<{ overdue: boolean }> {
  const wait = Date.parse(input.dueAt) - Date.now();
  if (wait > 0) await sleep(wait);
  return { overdue: await markIndicatorDue({ indicatorId: input.indicatorId }) };
}
