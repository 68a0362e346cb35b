import { Context } from '@temporalio/activity';
import type { TrackedPlanRepository } from '@hotline/platform';
import { markedOrRetry } from '../deadline-mark.activities';

/** How many attempts a plan not yet visible gets before its clock gives up on it. */
export const MISSING_PLAN_ATTEMPTS = 6;

export function createPlanDeadlineActivities(deps: {
  plans: Pick<TrackedPlanRepository, 'due'>;
  attempt?: () => number;
}) {
  const attempt = deps.attempt ?? (() => Context.current().info.attempt);
  return {
    /**
     * True when the plan was still not done at the end of its day (marked lapsed, announced once).
     * With `dueAt`, only the plan of that day: one withdrawn, or tracked again on another day, is
     * not this clock's (a clock recorded before `dueAt` was passed marks the ticket's plan).
     */
    async markPlanDue(p: { ticketNo: string; dueAt?: string }): Promise<boolean> {
      return markedOrRetry(await deps.plans.due(p.ticketNo, p.dueAt), attempt(), MISSING_PLAN_ATTEMPTS, {
        type: 'plan_not_found',
        message: `no tracked plan of ticket ${p.ticketNo} (yet)`,
      });
    },
  };
}

export type PlanDeadlineActivities = ReturnType<typeof createPlanDeadlineActivities>;
