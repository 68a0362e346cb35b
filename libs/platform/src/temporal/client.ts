import {
  Client,
  Connection,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
} from '@temporalio/client';
import type { WorkflowStartOptions } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import type { PlatformConfig } from '@hotline/shared';

export async function createTemporalClient(
  config: Pick<PlatformConfig, 'temporalAddress' | 'temporalNamespace'> &
    Partial<Pick<PlatformConfig, 'temporalUpdateWaitMs'>>,
): Promise<Client> {
  const connection = await Connection.connect({ address: config.temporalAddress });
  const client = new Client({ connection, namespace: config.temporalNamespace });
  if (config.temporalUpdateWaitMs) waitForUpdates(client, config.temporalUpdateWaitMs);
  return client;
}

/** How long an update's caller waits when its client was given no bound (`TEMPORAL_UPDATE_WAIT_MS`). */
export const DEFAULT_UPDATE_WAIT_MS = 20_000;
const updateWaits = new WeakMap<Client, number>();

/**
 * Bounds how long callers of this client wait for a workflow to take an update. Temporal's client
 * waits without end (it re-sends the update until a worker accepts it, then polls for its outcome),
 * so a worker that is down would hold a clerk's request, or a consumer's partition, for ever.
 */
export function waitForUpdates(client: Client, ms: number): Client {
  updateWaits.set(client, ms);
  return client;
}

export function updateWaitOf(client: Client): number {
  return updateWaits.get(client) ?? DEFAULT_UPDATE_WAIT_MS;
}

/**
 * Starts a workflow whose id names the one thing it is about (a case, a vote window, a request):
 * a second start with that id is refused by Temporal, whatever state the first is in, and answers
 * false here. So a redelivered event or a repeated request never starts it twice. With
 * `reuse: 'allow'` only a running one refuses it: for a caller whose own record says whether the
 * thing may start again (a vote window withdrawn and opened anew).
 */
export async function startWorkflowOnce(
  client: Client,
  type: string,
  options: Omit<WorkflowStartOptions, 'workflowIdReusePolicy'>,
  { reuse = 'reject' }: { reuse?: 'reject' | 'allow' } = {},
): Promise<boolean> {
  try {
    await client.workflow.start(type, {
      ...options,
      workflowIdReusePolicy:
        reuse === 'allow' ? WorkflowIdReusePolicy.ALLOW_DUPLICATE : WorkflowIdReusePolicy.REJECT_DUPLICATE,
    });
    return true;
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return false;
    throw err;
  }
}

/**
 * Calls off the workflow of something the caller's record has already withdrawn (a vote window, an
 * expert case). One gone already, or never started, is no failure. Any other failure is handed to
 * `warn`: the record's withdrawal stands either way, and the workflow's next step finds it there.
 */
export async function cancelWithdrawn(
  client: Client,
  workflowId: string,
  warn: (message: string) => void,
): Promise<void> {
  try {
    await client.workflow.getHandle(workflowId).cancel();
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError))
      warn(`${workflowId} withdrawn in the record, its workflow not called off: ${(err as Error).message}`);
  }
}
