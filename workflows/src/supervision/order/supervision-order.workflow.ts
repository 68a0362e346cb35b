/**
 * SupervisionOrderWorkflow: one reminder (催办) or supervision order (督办), read as its rule
 * (libs/shared/src/supervision/orders.ts):
 *   the unit answers within the limit (reminded at the policy's fractions, overdue at the limit; a
 *   late answer is still taken, marked late) → the supervisor reviews: accepted closes the order,
 *   sent back opens the next round with a fresh limit of the same length. A supervisor may
 *   withdraw the order at any time before it closes.
 *
 * Deterministic code only; the deadlines come from the calendar snapshot and limit in the input.
 */
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  defineQuery,
  defineUpdate,
  proxyActivities,
  setHandler,
} from '@temporalio/workflow';
import {
  orderClock,
  refuseOrderAnswer,
  refuseOrderReview,
  refuseOrderWithdrawal,
  WorkingCalendar,
} from '@hotline/shared';
import type { Actor, CalendarData, Duration, OrderRefusal, OrderStatus } from '@hotline/shared';
import type { SupervisionOrderActivities } from './supervision-order.activities';
import { Turns } from '../../common/turns';

export const SUPERVISION_ORDER_WORKFLOW_TYPE = 'SupervisionOrderWorkflow';
export const supervisionOrderWorkflowId = (orderId: string) => `supervision-order-${orderId}`;

export interface SupervisionOrderInput {
  orderId: string;
  unitId: string;
  raisedAt: string;
  limit: Duration;
  reminderFractions: number[];
  calendar: CalendarData;
}

export interface SupervisionOrderState {
  orderId: string;
  status: OrderStatus;
  round: number;
  respondBy: string;
  remindersSent: number;
  overdue: boolean;
}

type By = Actor & { userId: string };
export interface OrderAnswerCommand {
  unitId: string | null;
  response: string;
  by: By;
}
export interface OrderReviewCommand {
  accepted: boolean;
  comment?: string | null;
  by: By;
}
export interface OrderWithdrawCommand {
  reason: string;
  /** A supervisor; or the platform, when the event that raised the order was voided. */
  by: By | { kind: 'system' };
}

export const answerOrder = defineUpdate<SupervisionOrderState, [OrderAnswerCommand]>('answerOrder');
export const reviewOrder = defineUpdate<SupervisionOrderState, [OrderReviewCommand]>('reviewOrder');
export const withdrawOrder = defineUpdate<SupervisionOrderState, [OrderWithdrawCommand]>('withdrawOrder');
export const supervisionOrderQuery = defineQuery<SupervisionOrderState>('supervisionOrder');

const { remindOrder, markOrderOverdue, recordOrderAnswer, recordOrderReview, recordOrderWithdrawal } =
  proxyActivities<SupervisionOrderActivities>({
    startToCloseTimeout: '30 seconds',
    retry: {
      initialInterval: '1 second',
      maximumInterval: '1 minute',
      nonRetryableErrorTypes: ['invalid_data'],
    },
  });

const refuse = (r: OrderRefusal | null) => {
  if (r) throw ApplicationFailure.create({ type: r.code, message: r.message, nonRetryable: true });
};

export async function SupervisionOrderWorkflow(input: SupervisionOrderInput): Promise<SupervisionOrderState> {
  const calendar = new WorkingCalendar(input.calendar);
  const clock = (from: number) => orderClock(from, input.limit, input.reminderFractions, calendar);
  let { respondBy, remindAt } = clock(Date.parse(input.raisedAt));
  const s: SupervisionOrderState = {
    orderId: input.orderId,
    status: 'open',
    round: 1,
    respondBy: new Date(respondBy).toISOString(),
    remindersSent: 0,
    overdue: false,
  };
  /** One action at a time: a second one waits for the first's record, then meets the new state. */
  const turns = new Turns();
  const act = (run: () => Promise<void>) => turns.take(run);
  const view = () => ({ status: s.status, unitId: input.unitId, round: s.round });

  setHandler(supervisionOrderQuery, () => s);
  setHandler(
    answerOrder,
    async (cmd) => {
      await act(async () => {
        refuse(refuseOrderAnswer(view(), cmd));
        const late = Date.now() > respondBy;
        await recordOrderAnswer({
          orderId: input.orderId,
          round: s.round,
          response: cmd.response.trim(),
          by: cmd.by,
          late,
        });
        s.status = 'answered';
      });
      return s;
    },
    { validator: (cmd) => refuse(refuseOrderAnswer(view(), cmd)) },
  );
  setHandler(
    reviewOrder,
    async (cmd) => {
      await act(async () => {
        refuse(refuseOrderReview(view(), cmd));
        const next = cmd.accepted ? null : clock(Date.now());
        await recordOrderReview({
          orderId: input.orderId,
          round: s.round,
          accepted: cmd.accepted,
          comment: (cmd.comment ?? '').trim(),
          by: cmd.by,
          nextRespondBy: next ? new Date(next.respondBy).toISOString() : null,
        });
        if (!next) s.status = 'closed';
        else {
          ({ respondBy, remindAt } = next);
          s.round += 1;
          s.status = 'open';
          s.respondBy = new Date(respondBy).toISOString();
          s.remindersSent = 0;
          s.overdue = false;
        }
      });
      return s;
    },
    { validator: (cmd) => refuse(refuseOrderReview(view(), cmd)) },
  );
  setHandler(
    withdrawOrder,
    async (cmd) => {
      await act(async () => {
        refuse(refuseOrderWithdrawal(view(), cmd.reason));
        await recordOrderWithdrawal({ orderId: input.orderId, reason: cmd.reason.trim(), by: cmd.by });
        s.status = 'closed';
      });
      return s;
    },
    { validator: (cmd) => refuse(refuseOrderWithdrawal(view(), cmd.reason)) },
  );

  // Each round: the reminders, then the overdue mark, while the unit has not answered; then the review.
  while (s.status !== 'closed') {
    const round = s.round;
    const moved = () => s.status !== 'open' || s.round !== round;
    for (const [i, at] of remindAt.entries()) {
      if (await condition(moved, Math.max(1, at - Date.now()))) break;
      await remindOrder({ orderId: input.orderId, round, n: i + 1, respondBy: s.respondBy });
      s.remindersSent = i + 1;
    }
    if (!moved() && !(await condition(moved, Math.max(1, respondBy - Date.now())))) {
      await markOrderOverdue({ orderId: input.orderId, round, respondBy: s.respondBy });
      s.overdue = true;
    }
    await condition(() => s.status === 'closed' || s.round !== round);
  }
  await condition(allHandlersFinished);
  return s;
}
