import { WorkflowNotFoundError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import type { Client } from '@temporalio/client';
import { ProblemException } from '../nest/problem';
import { DEFAULT_UPDATE_WAIT_MS, waitForUpdates } from './client';
import { executeTicketUpdate, executeWorkflowUpdate } from './ticket-updates';

/** A client whose update does what `update` says, recording the deadline each call was given. */
function fakeClient(update: () => Promise<unknown>) {
  const deadlines: number[] = [];
  const client = {
    withDeadline: <R>(deadline: number, fn: () => Promise<R>) => {
      deadlines.push(deadline);
      return fn();
    },
    workflow: { getHandle: () => ({ executeUpdate: update }) },
  } as unknown as Client;
  return { client, deadlines };
}

const SIGN = { actor: { kind: 'user', userId: 'clerk.transport', role: 'unit_clerk', unitId: 'transport' } };

describe('a workflow update waits no longer than its bound', () => {
  it('gives every update the deadline of its client (20 s unless bound otherwise)', async () => {
    const { client, deadlines } = fakeClient(async () => ({ status: 'signed' }));
    const before = Date.now();
    await executeTicketUpdate(client, '20261206000001', 'sign', SIGN as never, null);
    expect(deadlines[0]).toBeGreaterThanOrEqual(before + DEFAULT_UPDATE_WAIT_MS);
    expect(deadlines[0]).toBeLessThanOrEqual(Date.now() + DEFAULT_UPDATE_WAIT_MS);

    waitForUpdates(client, 2000);
    await executeWorkflowUpdate(client, 'supervision-order-x', 'withdrawOrder', {}, { gone: () => fail() });
    expect(deadlines[1] - Date.now()).toBeLessThanOrEqual(2000);
    expect(deadlines[1] - Date.now()).toBeGreaterThan(1000);
  });

  it('answers 503 dependency_unavailable, saying the action may still be taken, once the bound has passed', async () => {
    const { client } = waitedOut();
    waitForUpdates(client, 3000);
    const err = await executeTicketUpdate(client, '20261206000001', 'sign', SIGN as never, 'k1').catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ProblemException);
    expect((err as ProblemException).code).toBe('dependency_unavailable');
    expect((err as ProblemException).getStatus()).toBe(503);
    expect((err as ProblemException).message).toMatch(/within 3 s.*same Idempotency-Key/);

    const other = await executeWorkflowUpdate(client, 'w', 'withdrawOrder', {}, { gone: () => fail() }).catch(
      (e: unknown) => e,
    );
    expect((other as ProblemException).code).toBe('dependency_unavailable');
  });

  it('still tells a finished workflow from a slow one', async () => {
    const { client } = fakeClient(async () => {
      throw new WorkflowNotFoundError('gone', 'ticket-20261206000001', undefined);
    });
    const err = await executeTicketUpdate(client, '20261206000001', 'sign', SIGN as never, null).catch(
      (e: unknown) => e,
    );
    expect((err as ProblemException).code).toBe('ticket_closed');
  });

  function waitedOut() {
    return fakeClient(async () => {
      throw new WorkflowUpdateRPCTimeoutOrCancelledError('Workflow update call timeout or cancelled', {
        cause: new Error('DEADLINE_EXCEEDED'),
      });
    });
  }

  function fail(): ProblemException {
    throw new Error('the workflow is not gone');
  }
});
