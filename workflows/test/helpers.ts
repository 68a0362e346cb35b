import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { ApplicationFailure } from '@temporalio/common';

/** The stable code a workflow update was rejected with; fails the test if it was accepted. */
export async function rejection(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (!(err instanceof WorkflowUpdateFailedError)) throw err;
    return ((err as WorkflowUpdateFailedError).cause as ApplicationFailure).type ?? '';
  }
  throw new Error('expected the update to be rejected');
}
