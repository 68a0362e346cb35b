import { Client, Connection } from '@temporalio/client';
import { ticketWorkflowId } from '@hotline/shared';
import type { PlatformConfig } from '@hotline/shared';
import { createTicket, eventually, http, login, startPlatform } from '../harness';

/**
 * TEMPORAL_WORKFLOW_STACK_TRACES, through the platform as `npm start` runs it (the configuration,
 * createTicketWorker, the real Temporal): by default the stack-trace query the Temporal UI shows
 * says where a ticket waits; with `off` it is empty (workflows/src/worker/sandbox.ts), and the
 * ticket is dispatched and signed the same.
 */
describe('the workflow stack traces setting', () => {
  async function stackTraceOfASignedTicket(overrides: Partial<PlatformConfig>): Promise<string> {
    const p = await startPlatform(overrides);
    const temporal = new Client({
      connection: await Connection.connect({ address: p.config.temporalAddress }),
      namespace: p.config.temporalNamespace,
    });
    try {
      const operator = await login(p.urls.intake, 'operator');
      const clerk = await login(p.urls.intake, 'clerk.transport');
      const no = await createTicket(p, operator);
      await eventually('the ticket signed', async () => {
        const r = await http('POST', `${p.urls.dispatch}/api/v1/tickets/${no}/sign`, { token: clerk });
        return r.status === 200 && r.body.status === 'signed';
      });
      return await temporal.workflow.getHandle(ticketWorkflowId(no)).query<string>('__stack_trace');
    } finally {
      await temporal.connection.close();
      await p.stop();
    }
  }

  it('keeps them by default: the query shows where the ticket waits', async () => {
    expect(await stackTraceOfASignedTicket({})).toMatch(/at TicketWorkflow/);
  });

  it('keeps none with off: the ticket runs the same, its stack-trace query is empty', async () => {
    expect(await stackTraceOfASignedTicket({ temporalWorkflowStackTraces: false })).not.toMatch(/\bat\b/);
  });
});
