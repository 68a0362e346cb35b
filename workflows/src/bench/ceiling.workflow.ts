import { condition, defineQuery, defineUpdate, setHandler } from '@temporalio/workflow';

/**
 * The benchmark's ceiling (tools/bench/lifecycle.bench.js): the simple course of a ticket reduced
 * to what Temporal itself costs. Four updates (sign, reply, review, callback), each with a trivial
 * validator and a handler that only changes a status field; the workflow ends when the callback
 * arrives. No activities, no timers, no search attributes, no database: whatever the platform's
 * lifecycle does on top of this is the platform's own cost.
 *
 * Deterministic; imports nothing but @temporalio/workflow. Not part of the ticket worker's bundle.
 */
export type CeilingStatus = 'dispatched' | 'signed' | 'replied' | 'callback' | 'closed';

export const CEILING_WORKFLOW_TYPE = 'CeilingWorkflow';
export const ceilingSignUpdate = defineUpdate<CeilingStatus>('sign');
export const ceilingReplyUpdate = defineUpdate<CeilingStatus>('reply');
export const ceilingReviewUpdate = defineUpdate<CeilingStatus>('review');
export const ceilingCallbackUpdate = defineUpdate<CeilingStatus>('callback');
export const ceilingStatusQuery = defineQuery<CeilingStatus>('status');

export async function CeilingWorkflow(): Promise<CeilingStatus> {
  let status: CeilingStatus = 'dispatched';
  const step = (from: CeilingStatus, to: CeilingStatus) => ({
    handler: (): CeilingStatus => {
      status = to;
      return status;
    },
    validator: (): void => {
      if (status !== from) throw new Error(`status is ${status}, not ${from}`);
    },
  });
  const sign = step('dispatched', 'signed');
  const reply = step('signed', 'replied');
  const review = step('replied', 'callback');
  const callback = step('callback', 'closed');
  setHandler(ceilingSignUpdate, sign.handler, { validator: sign.validator });
  setHandler(ceilingReplyUpdate, reply.handler, { validator: reply.validator });
  setHandler(ceilingReviewUpdate, review.handler, { validator: review.validator });
  setHandler(ceilingCallbackUpdate, callback.handler, { validator: callback.validator });
  setHandler(ceilingStatusQuery, () => status);
  await condition(() => status === 'closed');
  return status;
}
