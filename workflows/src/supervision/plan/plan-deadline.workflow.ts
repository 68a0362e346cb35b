/**
 * PlanDeadlineWorkflow: a closed ticket's tracked plan (跟踪计划, RULES §3) keeps its day. At the
 * end of it, a plan its unit has not reported done lapses and is announced (`supervision.plan_due`),
 * and supervision raises an order on the unit (not done in the promised time); one reported done
 * before stays quiet. A timer, not a scan.
 */
import { proxyActivities, sleep } from '@temporalio/workflow';
import type { PlanDeadlineActivities } from './plan-deadline.activities';

export interface PlanDeadlineInput {
  ticketNo: string;
  dueAt: string;
}

const { markPlanDue } = proxyActivities<PlanDeadlineActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

export async function PlanDeadlineWorkflow(input: PlanDeadlineInput): Promise<{ lapsed: boolean }> {
  const wait = Date.parse(input.dueAt) - Date.now();
  if (wait > 0) await sleep(wait);
  return { lapsed: await markPlanDue({ ticketNo: input.ticketNo, dueAt: input.dueAt }) };
}
