import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import {
  CN_MAINLAND_CALENDAR,
  loadConfig,
  resolvePolicy,
  SQ_POLICY,
  ticketWorkflowId,
} from '@hotline/shared';
import type { PlatformConfig, TicketWorkflowInput, TicketWorkflowState } from '@hotline/shared';
import type { TicketActivities } from '../src/ticket/ticket.activities';
import { ticketWorkflowBundle } from '../src/worker/worker';

/**
 * The worker's workflow sandbox keeps its per-promise stack traces unless
 * TEMPORAL_WORKFLOW_STACK_TRACES=off (sandbox.ts), on the real Temporal dev server: the stack-trace
 * query the Temporal UI shows is full by default and empty when they are turned off, and the
 * ticket runs the same either way.
 */
describe('the workflow sandbox prelude', () => {
  let config: PlatformConfig;
  let client: Client;
  const activities: TicketActivities = {
    async recordTransition(input: { events: unknown[] }) {
      return { recorded: input.events.length, voided: 0 };
    },
  };

  beforeAll(async () => {
    config = loadConfig(process.env);
    client = new Client({
      connection: await Connection.connect({ address: config.temporalAddress }),
      namespace: config.temporalNamespace,
    });
  });
  afterAll(async () => {
    await client?.connection.close();
  });

  /** A ticket on a worker built as createTicketWorker builds it; returns its stack-trace query. */
  async function stackTraceOfTicket(stackTraces: boolean): Promise<{ stack: string; status: string }> {
    const taskQueue = `sandbox-test-${randomUUID()}`;
    const connection = await NativeConnection.connect({ address: config.temporalAddress });
    const worker = await Worker.create({
      connection,
      namespace: config.temporalNamespace,
      taskQueue,
      workflowBundle: await ticketWorkflowBundle({ temporalWorkflowStackTraces: stackTraces }),
      activities,
    });
    const ticketNo = `2099${String(Date.now()).slice(-10)}`;
    const input: TicketWorkflowInput = {
      ticketNo,
      channel: 'phone',
      kind: 'complaint',
      category: 'road',
      regionCode: 'gulou',
      createdAt: new Date().toISOString(),
      policy: resolvePolicy(SQ_POLICY, {
        regionCode: 'gulou',
        category: 'road',
        kind: 'complaint',
        channel: 'phone',
      }),
      calendar: CN_MAINLAND_CALENDAR,
      disposition: { type: 'dispatch' },
      route: { unitId: 'transport', unitName: '测试单位', catalogEntryId: 'm-road' },
    };
    return worker.runUntil(async () => {
      const handle = await client.workflow.start('TicketWorkflow', {
        workflowId: `${ticketWorkflowId(ticketNo)}-${randomUUID()}`,
        taskQueue,
        args: [input],
      });
      let state: TicketWorkflowState | undefined;
      for (let i = 0; i < 100 && state?.status !== 'dispatched'; i++) {
        state = await handle.query<TicketWorkflowState>('state');
        if (state.status !== 'dispatched') await new Promise((r) => setTimeout(r, 50));
      }
      const stack = await handle.query<string>('__stack_trace');
      await handle.terminate('test over');
      return { stack, status: state?.status ?? 'none' };
    });
  }

  it('keeps no stack traces with TEMPORAL_WORKFLOW_STACK_TRACES=off: the ticket still runs, its stack-trace query is empty', async () => {
    const { stack, status } = await stackTraceOfTicket(false);
    expect(status).toBe('dispatched');
    expect(stack).not.toMatch(/\bat\b/);
  });

  it('keeps them by default: the query shows where the ticket waits', async () => {
    const { stack, status } = await stackTraceOfTicket(true);
    expect(status).toBe('dispatched');
    expect(stack).toMatch(/at TicketWorkflow/);
  });
});
