import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import type { WorkflowHandle } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import {
  CN_MAINLAND_CALENDAR,
  loadConfig,
  resolvePolicy,
  SQ_POLICY,
  ticketWorkflowId,
  transitionEventIds,
} from '@hotline/shared';
import type {
  PlatformConfig,
  TicketWorkflowInput,
  TicketWorkflowState,
  UnitActionResult,
} from '@hotline/shared';
import type { PendingEvent } from '@hotline/platform';
import type { TicketActivities } from '../src/ticket/ticket.activities';
import { rejection } from './helpers';
import { sourceBundlerOptions } from '../src/worker/worker';

/**
 * TicketWorkflow on the real Temporal dev server (the one administrators use), with fake
 * activities: what an administrator sees in the Web UI (search attributes, summary, details),
 * manual dispatch, and idempotent actions. Deadlines and the whole lifecycle are tested under
 * time skipping in lifecycle.integration-spec.ts.
 */
const GOOD_REPLY =
  '经核实，中山路128号门前人行道地砖松动12块，已于今日安排养护科更换完毕，现场已恢复通行。联系人：王工，电话12345。';

describe('TicketWorkflow on the Temporal dev server', () => {
  let config: PlatformConfig;
  let client: Client;
  let worker: Worker;
  let running: Promise<void>;
  const taskQueue = `wf-test-${randomUUID()}`;
  const recorded: PendingEvent[] = [];
  const SLOW_TICKET = '20990101000004';
  /** A second ticket whose dispatch is recorded slowly: two actions wait for it together. */
  const SLOW_TICKET_2 = '20990101000005';
  const SLOW = [SLOW_TICKET, SLOW_TICKET_2];
  /** The slow tickets whose first record has begun. */
  const recording = new Set<string>();

  const activities: TicketActivities = {
    async recordTransition(input: { ticketNo: string; events: PendingEvent[]; place?: unknown }) {
      // A slow database: the dispatch is on the record (the unit can see it) long before the
      // workflow has taken in its own transition.
      if (SLOW.includes(input.ticketNo) && !recorded.some((e) => e.ticketNo === input.ticketNo)) {
        recording.add(input.ticketNo);
        await new Promise((r) => setTimeout(r, 9000));
      }
      recorded.push(...input.events);
      return { recorded: input.events.length, voided: 0 };
    },
  };

  async function startTicket(ticketNo: string, category = 'road'): Promise<WorkflowHandle> {
    const input: TicketWorkflowInput = {
      ticketNo,
      channel: 'phone',
      kind: 'complaint',
      category,
      regionCode: 'gulou',
      createdAt: new Date().toISOString(),
      policy: resolvePolicy(SQ_POLICY, {
        regionCode: 'gulou',
        category,
        kind: 'complaint',
        channel: 'phone',
      }),
      calendar: CN_MAINLAND_CALENDAR,
      disposition: { type: 'dispatch' },
      route:
        category === 'ufo' ? null : { unitId: 'transport', unitName: '测试单位', catalogEntryId: 'm-road' },
    };
    const handle = await client.workflow.start('TicketWorkflow', {
      workflowId: ticketWorkflowId(ticketNo),
      taskQueue,
      args: [input],
      searchAttributes: { TicketNo: [ticketNo], Region: ['gulou'], Category: [category] },
      staticSummary: `工单 ${ticketNo}`,
    });
    if (SLOW.includes(ticketNo)) return handle;
    for (let i = 0; i < 100; i++) {
      const s = await handle.query<TicketWorkflowState>('state');
      if (s.status === 'dispatched' || s.awaitingManualDispatch) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    return handle;
  }

  const clerk = (unitId: string) => ({
    kind: 'user' as const,
    userId: `clerk.${unitId}`,
    role: 'unit_clerk' as const,
    unitId,
  });
  const centre = { kind: 'user' as const, userId: 'operator', role: 'operator' as const };

  beforeAll(async () => {
    config = loadConfig(process.env);
    client = new Client({
      connection: await Connection.connect({ address: config.temporalAddress }),
      namespace: config.temporalNamespace,
    });
    worker = await Worker.create({
      connection: await NativeConnection.connect({ address: config.temporalAddress }),
      namespace: config.temporalNamespace,
      taskQueue,
      workflowsPath: require.resolve('../src/workflows'),
      bundlerOptions: sourceBundlerOptions(),
      activities,
    });
    running = worker.run();
  });

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await client?.connection.close();
  });

  it('shows an administrator the ticket: search attributes, summary and current details', async () => {
    const ticketNo = '20990101000001';
    const h = await startTicket(ticketNo);
    const desc = await h.describe();
    expect(desc.searchAttributes).toMatchObject({
      TicketNo: [ticketNo],
      TicketStatus: ['dispatched'],
      UnitId: ['transport'],
      Category: ['road'],
      Region: ['gulou'],
    });
    expect(desc.searchAttributes.DueAt).toHaveLength(1);
    expect(await desc.staticSummary()).toBe(`工单 ${ticketNo}`);
    const meta = await h.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
    expect(meta.currentDetails).toContain(`**工单** ${ticketNo}`);
    expect(meta.currentDetails).toContain('**状态** 已派单');
    expect(meta.currentDetails).toContain('**承办单位** 测试单位');
    const found: string[] = [];
    for (let i = 0; i < 40 && found.length === 0; i++) {
      for await (const w of client.workflow.list({
        query: `TicketNo = '${ticketNo}' AND TicketStatus = 'dispatched'`,
      }))
        found.push(w.workflowId);
      if (found.length === 0) await new Promise((r) => setTimeout(r, 250));
    }
    expect(found).toEqual([ticketWorkflowId(ticketNo)]);
    await h.terminate('test done');
  });

  it('waits for the centre to dispatch by hand when the matter catalog has no entry', async () => {
    const h = await startTicket('20990101000002', 'ufo');
    expect(await h.query<TicketWorkflowState>('state')).toMatchObject({
      status: 'created',
      awaitingManualDispatch: true,
    });
    const dispatch = (unitId: string) =>
      h.executeUpdate<UnitActionResult, [unknown]>('dispatch', {
        args: [{ unit: { unitId, unitName: unitId }, actor: centre }],
      });
    expect(await dispatch('housing')).toMatchObject({ status: 'dispatched', alreadyApplied: false });
    expect(await dispatch('housing')).toMatchObject({ status: 'dispatched', alreadyApplied: true });
    expect(await rejection(dispatch('transport'))).toBe('action_rejected');
    expect((await h.query<TicketWorkflowState>('state')).unitId).toBe('housing');
    await h.terminate('test done');
  });

  it('treats a repeated action as already applied, and the same update id as the same call', async () => {
    const h = await startTicket('20990101000003');
    const sign = (updateId = randomUUID()) =>
      h.executeUpdate<UnitActionResult, [unknown]>('sign', {
        args: [{ unitId: 'transport', actor: clerk('transport') }],
        updateId,
      });
    const id = randomUUID();
    const first = await sign(id);
    expect(await sign(id)).toEqual(first);
    expect(await sign()).toMatchObject({ status: 'signed', alreadyApplied: true });
    expect(
      recorded.filter((e) => e.ticketNo === '20990101000003' && e.type === 'ticket.signed'),
    ).toHaveLength(1);
    expect(
      await rejection(h.executeUpdate('sign', { args: [{ unitId: 'housing', actor: clerk('housing') }] })),
    ).toBe('ticket_not_signable');
    await h.terminate('test done');
  });

  it("names a transition's events by the run, the transition's place and the update that asked for it", async () => {
    // Not by the workflow's seeded random numbers: an update attempt lost after its events were
    // written would hand those numbers to whatever transition ran next, whose events would then
    // clash with the lost ones and be dropped (see event-ids.ts).
    const ticketNo = '20990101000006';
    const h = await startTicket(ticketNo);
    const updateId = randomUUID();
    await h.executeUpdate<UnitActionResult, [unknown]>('sign', {
      args: [{ unitId: 'transport', actor: clerk('transport') }],
      updateId,
    });
    const { runId } = await h.describe();
    const mine = recorded.filter((e) => e.ticketNo === ticketNo);
    const intake = mine.filter((e) => e.type !== 'ticket.signed');
    const signed = mine.filter((e) => e.type === 'ticket.signed');
    expect(intake.length).toBeGreaterThan(0);
    expect(signed).toHaveLength(1);
    expect(intake.map((e) => e.id)).toEqual(
      transitionEventIds({ runId, serial: 0, updateId: null }, intake.length),
    );
    expect(signed[0].id).toBe(transitionEventIds({ runId, serial: 1, updateId }, 1)[0]);
    await h.terminate('test done');
  });

  it('takes a unit action that arrives while the dispatch is still being recorded, instead of refusing it', async () => {
    const h = await startTicket(SLOW_TICKET);
    while (!recording.has(SLOW_TICKET)) await new Promise((r) => setTimeout(r, 20));
    // The record of the dispatch takes 9 s: the worker completes a workflow task meanwhile and the
    // sign reaches the workflow while the ticket is still "created" in its state. The validator
    // must not refuse what the unit was shown; the handler decides once the dispatch is in.
    const signed = await h.executeUpdate<UnitActionResult, [unknown]>('sign', {
      args: [{ unitId: 'transport', actor: clerk('transport') }],
    });
    expect(signed).toMatchObject({ status: 'signed', alreadyApplied: false });
    await h.terminate('test done');
  }, 30000);

  it('takes two actions that waited for the same transition one after the other, each on the state the other left', async () => {
    const h = await startTicket(SLOW_TICKET_2);
    while (!recording.has(SLOW_TICKET_2)) await new Promise((r) => setTimeout(r, 20));
    // Both arrive while the dispatch is being recorded (a local activity: the workflow task is held
    // until it ends, so both are delivered with its result) and wait for their turn. When it ends,
    // both are woken together; the reply must be decided on the signed ticket, not on the dispatched
    // one the sign also started from.
    const signId = randomUUID();
    const replyId = randomUUID();
    const signing = h.executeUpdate<UnitActionResult, [unknown]>('sign', {
      args: [{ unitId: 'transport', actor: clerk('transport') }],
      updateId: signId,
    });
    await new Promise((r) => setTimeout(r, 500));
    const replying = h.executeUpdate<UnitActionResult, [unknown]>('reply', {
      args: [{ unitId: 'transport', content: GOOD_REPLY, actor: clerk('transport') }],
      updateId: replyId,
    });
    expect(await signing).toMatchObject({ status: 'signed', alreadyApplied: false });
    expect(await replying).toMatchObject({ status: 'replied', alreadyApplied: false });
    const s = await h.query<TicketWorkflowState>('state');
    expect(s.status).toBe('replied');
    expect(recorded.filter((e) => e.ticketNo === SLOW_TICKET_2).map((e) => e.type)).toEqual(
      expect.arrayContaining(['ticket.signed', 'ticket.replied']),
    );
    // Each action's events are named by its own update and its place, also those of the action
    // that waited for its turn while the other held it.
    const { runId } = await h.describe();
    const idOf = (type: string) => recorded.find((e) => e.ticketNo === SLOW_TICKET_2 && e.type === type)?.id;
    expect(idOf('ticket.signed')).toBe(transitionEventIds({ runId, serial: 1, updateId: signId }, 1)[0]);
    expect(idOf('ticket.replied')).toBe(transitionEventIds({ runId, serial: 2, updateId: replyId }, 1)[0]);
    await h.terminate('test done');
  }, 30000);
});
