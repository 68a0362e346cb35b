import type { ReconsiderationRepository } from '@hotline/platform';
import type { ReconsiderationOutcome } from '@hotline/shared';

/** Reconsideration's records: the reminders, the overdue mark, the decision (each recorded once). */
export function createReconsiderationActivities(deps: {
  reconsiderations: Pick<ReconsiderationRepository, 'reminded' | 'overdue' | 'decide'>;
}) {
  return {
    async remindReconsideration(i: { ticketNo: string; n: number; dueAt: string }): Promise<void> {
      await deps.reconsiderations.reminded(i.ticketNo, i.n, i.dueAt);
    },
    async markReconsiderationOverdue(i: { ticketNo: string; dueAt: string }): Promise<void> {
      await deps.reconsiderations.overdue(i.ticketNo, i.dueAt);
    },
    async recordReconsiderationDecision(i: {
      ticketNo: string;
      outcome: ReconsiderationOutcome;
      decision: string;
      userId: string;
      late: boolean;
    }): Promise<void> {
      await deps.reconsiderations.decide(i);
    },
  };
}

export type ReconsiderationActivities = ReturnType<typeof createReconsiderationActivities>;
