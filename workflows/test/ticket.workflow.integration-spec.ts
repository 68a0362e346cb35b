import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client, Connection, WorkflowUpdateFailedError } from '@temporalio/client';
import type { WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { loadConfig, ticketWorkflowId } from '@hotline/shared';
import type {
  AnyTicketEvent,
  PlatformConfig,
  ReplyCommand,
  SignCommand,
  TicketWorkflowInput,
  TicketWorkflowState,
  UnitActionResult,
} from '@hotline/shared';
import type { PendingEvent } from '@hotline/platform';
import type { DispatchInput, TicketActivities } from '../src/activities/ticket.activities';

/**
 * TicketWorkflow on the real Temporal server, with its activities replaced by fakes: the
 * validators, idempotency, late signing and the search attributes an administrator filters by.
 * The happy path's history is kept as a replay fixture (replay.spec.ts).
 */
const HISTORIES = path.resolve(__dirname, 'histories');

describe('TicketWorkflow', () => {
  let config: PlatformConfig;
  let client: Client;
  let worker: Worker;
  let running: Promise<void>;
  const taskQueue = `wf-test-${randomUUID()}`;
  const recorded: PendingEvent[] = [];
  let signDueAt = () => new Date(Date.now() + 3600_000).toISOString();

  const activities: TicketActivities = {
    async dispatchTicket(input: DispatchInput) {
      if (input.unitId === 'no-such-unit')
        throw ApplicationFailure.create({ type: 'unknown_unit', message: 'no unit', nonRetryable: true });
      if (input.unitId) return { unitId: input.unitId, unitName: '测试单位', signDueAt: signDueAt() };
      if (input.category === 'ufo')
        throw ApplicationFailure.create({ type: 'no_route', message: 'no entry', nonRetryable: true });
      return {
        unitId: input.category === 'road' ? 'transport' : 'housing',
        unitName: '测试单位',
        signDueAt: signDueAt(),
      };
    },
    async recordEvent(event: PendingEvent) {
      recorded.push(event);
      return { ...event, version: 1, seq: recorded.length } as AnyTicketEvent;
    },
  };

  const clerk = (unitId: string) => ({
    kind: 'user' as const,
    userId: `clerk.${unitId}`,
    role: 'unit_clerk' as const,
    unitId,
  });

  async function startTicket(ticketNo: string, category = 'road'): Promise<WorkflowHandle> {
    const input: TicketWorkflowInput = {
      ticketNo,
      channel: 'phone',
      kind: 'complaint',
      category,
      regionCode: 'gulou',
      createdAt: new Date().toISOString(),
      signLimitMinutes: 60,
    };
    const handle = await client.workflow.start('TicketWorkflow', {
      workflowId: ticketWorkflowId(ticketNo),
      taskQueue,
      args: [input],
      searchAttributes: { TicketNo: [ticketNo], Region: ['gulou'], Category: [category] },
    });
    // Wait until dispatched (or waiting for the centre), as a unit would.
    for (let i = 0; i < 100; i++) {
      const s = await handle.query<TicketWorkflowState>('state');
      if (s.status === 'dispatched' || s.awaitingManualDispatch) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    return handle;
  }

  const sign = (h: WorkflowHandle, unitId: string, id = randomUUID()) =>
    h.executeUpdate<UnitActionResult, [SignCommand]>('sign', {
      args: [{ unitId, actor: clerk(unitId) }],
      updateId: id,
    });
  const reply = (h: WorkflowHandle, unitId: string, content: string) =>
    h.executeUpdate<UnitActionResult, [ReplyCommand]>('reply', {
      args: [{ unitId, content, actor: clerk(unitId) }],
    });

  async function rejection(p: Promise<unknown>): Promise<string> {
    try {
      await p;
    } catch (err) {
      expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
      const cause = (err as WorkflowUpdateFailedError).cause;
      expect(cause).toBeInstanceOf(ApplicationFailure);
      return (cause as ApplicationFailure).type ?? '';
    }
    throw new Error('expected the update to be rejected');
  }

  beforeAll(async () => {
    config = loadConfig(process.env);
    client = new Client({
      connection: await Connection.connect({ address: config.temporalAddress }),
      namespace: config.temporalNamespace,
    });
    worker = await Worker.create({
      connection: await (
        await import('@temporalio/worker')
      ).NativeConnection.connect({ address: config.temporalAddress }),
      namespace: config.temporalNamespace,
      taskQueue,
      workflowsPath: require.resolve('../src/workflows'),
      activities,
    });
    running = worker.run();
  });

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await client?.connection.close();
  });

  it('is dispatched, signed, replied and closed; the administrator finds it by its search attributes', async () => {
    const ticketNo = '20990101000001';
    const h = await startTicket(ticketNo);
    expect(await sign(h, 'transport')).toEqual({ ticketNo, status: 'signed', alreadyApplied: false });
    expect(await reply(h, 'transport', '已修复')).toEqual({
      ticketNo,
      status: 'replied',
      alreadyApplied: false,
    });
    const final = await h.result();
    expect(final).toMatchObject({ status: 'closed', unitId: 'transport', signedLate: false });
    expect(recorded.filter((e) => e.ticketNo === ticketNo).map((e) => e.type)).toEqual([
      'ticket.signed',
      'ticket.replied',
      'ticket.closed',
    ]);
    const desc = await h.describe();
    expect(desc.searchAttributes).toMatchObject({
      TicketNo: [ticketNo],
      TicketStatus: ['closed'],
      UnitId: ['transport'],
      Category: ['road'],
    });
    const file = path.join(HISTORIES, 'ticket-happy-path.json');
    if (!existsSync(file) || process.env.HOTLINE_RECORD_HISTORIES === '1') {
      const history = await h.fetchHistory();
      writeFileSync(file, JSON.stringify(JSON.parse(historyToJSON(history)), null, 2) + '\n');
    }
  });

  it('refuses another unit, and a reply before signing, at once and with a stable code', async () => {
    const h = await startTicket('20990101000002');
    expect(await rejection(sign(h, 'housing'))).toBe('ticket_not_signable');
    expect(await rejection(reply(h, 'transport', '已处理'))).toBe('ticket_not_repliable');
    await sign(h, 'transport');
    expect(await rejection(reply(h, 'housing', '已处理'))).toBe('ticket_not_repliable');
    expect(await rejection(reply(h, 'transport', '   '))).toBe('ticket_not_repliable');
    await reply(h, 'transport', '已修复');
    await h.result();
  });

  it('treats a repeated action as already applied, and the same update id as the same call', async () => {
    const h = await startTicket('20990101000003');
    const id = randomUUID();
    const first = await sign(h, 'transport', id);
    expect(await sign(h, 'transport', id)).toEqual(first);
    expect(await sign(h, 'transport')).toMatchObject({ status: 'signed', alreadyApplied: true });
    const signed = recorded.filter((e) => e.ticketNo === '20990101000003' && e.type === 'ticket.signed');
    expect(signed).toHaveLength(1);
    await reply(h, 'transport', '已修复');
    await h.result();
  });

  it('waits for the centre to dispatch by hand when the matter catalog has no entry', async () => {
    const h = await startTicket('20990101000005', 'ufo');
    expect(await h.query<TicketWorkflowState>('state')).toMatchObject({
      status: 'created',
      awaitingManualDispatch: true,
    });
    const centre = { kind: 'user' as const, userId: 'operator', role: 'operator' as const };
    const dispatch = (unitId: string) =>
      h.executeUpdate<UnitActionResult, [{ unitId: string; actor: typeof centre }]>('dispatch', {
        args: [{ unitId, actor: centre }],
      });
    expect(await rejection(dispatch('no-such-unit'))).toBe('unknown_unit');
    expect(await dispatch('housing')).toMatchObject({ status: 'dispatched', alreadyApplied: false });
    expect(await dispatch('transport')).toMatchObject({ status: 'dispatched', alreadyApplied: true });
    expect((await h.query<TicketWorkflowState>('state')).unitId).toBe('housing');
    await sign(h, 'housing');
    await reply(h, 'housing', '已处理完毕，详见附件');
    expect(await h.result()).toMatchObject({ status: 'closed', unitId: 'housing' });
  });

  it('refuses a manual dispatch while the matter catalog is routing', async () => {
    const h = await startTicket('20990101000006');
    const centre = { kind: 'user' as const, userId: 'operator', role: 'operator' as const };
    expect(
      await h.executeUpdate<UnitActionResult, [{ unitId: string; actor: typeof centre }]>('dispatch', {
        args: [{ unitId: 'housing', actor: centre }],
      }),
    ).toMatchObject({ alreadyApplied: true, status: 'dispatched' });
    await sign(h, 'transport');
    await reply(h, 'transport', '已修复');
    await h.result();
  });

  it('records a sign after the deadline as late, and still accepts it', async () => {
    signDueAt = () => new Date(Date.now() - 1000).toISOString();
    try {
      const h = await startTicket('20990101000004');
      await sign(h, 'transport');
      expect((await h.query<TicketWorkflowState>('state')).signedLate).toBe(true);
      await reply(h, 'transport', '已修复');
      expect(await h.result()).toMatchObject({ signedLate: true, status: 'closed' });
    } finally {
      signDueAt = () => new Date(Date.now() + 3600_000).toISOString();
    }
  });
});
