import type { SupervisionOrderRepository } from '@hotline/platform';
import type { Actor } from '@hotline/shared';

/** The order's records: each mark recorded once, an event through the outbox. */
export function createSupervisionOrderActivities(deps: {
  orders: Pick<SupervisionOrderRepository, 'reminded' | 'overdue' | 'answered' | 'reviewed' | 'withdrawn'>;
}) {
  return {
    async remindOrder(i: { orderId: string; round: number; n: number; respondBy: string }): Promise<void> {
      await deps.orders.reminded(i);
    },
    async markOrderOverdue(i: { orderId: string; round: number; respondBy: string }): Promise<void> {
      await deps.orders.overdue(i);
    },
    async recordOrderAnswer(i: {
      orderId: string;
      round: number;
      response: string;
      by: Actor & { userId: string };
      late: boolean;
    }): Promise<void> {
      await deps.orders.answered(i);
    },
    async recordOrderReview(i: {
      orderId: string;
      round: number;
      accepted: boolean;
      comment: string;
      by: Actor & { userId: string };
      nextRespondBy: string | null;
    }): Promise<void> {
      await deps.orders.reviewed(i);
    },
    async recordOrderWithdrawal(i: { orderId: string; reason: string; by: Actor }): Promise<void> {
      await deps.orders.withdrawn(i);
    },
  };
}

export type SupervisionOrderActivities = ReturnType<typeof createSupervisionOrderActivities>;
