import { existsSync } from 'node:fs';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { ApplicationFailure } from '@temporalio/common';
import { sourceBundlerOptions } from '../src/worker/worker';

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

/**
 * Waits until `reached` answers a value (not undefined, not false), polling every 25 ms for up to
 * 30 s: long enough for a loaded CI machine (the worker's tasks run in real time even when the
 * workflow's clock skips), and the test fails with `what` when it never comes.
 */
export async function until<T>(
  what: string,
  reached: () => Promise<T | false | undefined> | T | false | undefined,
): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const v = await reached();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not reached in 30 s`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Temporal's Java time-skipping test server, installed by `scripts/stack.sh test-server` (npm test does). */
export const TEST_SERVER = path.resolve(__dirname, '../../.stack/bin/temporal-test-server');

/**
 * A time-skipping test environment with a worker on its own task queue running the workflow
 * sources with the given (fake) activities: hours and days of deadlines pass in milliseconds.
 */
export async function timeSkipping(
  taskQueue: string,
  activities: object,
): Promise<{ env: TestWorkflowEnvironment; stop: () => Promise<void> }> {
  if (!existsSync(TEST_SERVER))
    throw new Error(`${TEST_SERVER} is missing: run \`scripts/stack.sh test-server\` (npm test does)`);
  // The test server is a JVM: on a loaded machine it may miss the SDK's 5 s start window; try again.
  let env: TestWorkflowEnvironment | undefined;
  for (let attempt = 1; !env; attempt++) {
    try {
      env = await TestWorkflowEnvironment.createTimeSkipping({
        server: { executable: { type: 'existing-path', path: TEST_SERVER } },
      });
    } catch (err) {
      if (attempt >= 4 || !/did not start/.test((err as Error).message)) throw err;
    }
  }
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowsPath: require.resolve('../src/workflows'),
    bundlerOptions: sourceBundlerOptions(),
    activities,
  });
  const running = worker.run();
  return {
    env,
    async stop() {
      worker.shutdown();
      await running;
      await env.teardown();
    },
  };
}

/** Moves the test server's clock to t0 + ms (time skipping), then lets the workflows run. */
export async function skipTo(env: TestWorkflowEnvironment, t0: number, ms: number): Promise<void> {
  const now = await env.currentTimeMs();
  if (t0 + ms > now) await env.sleep(t0 + ms - now);
}
