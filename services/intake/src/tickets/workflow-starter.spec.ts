import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { Client } from '@temporalio/client';
import type {
  CatalogRepository,
  PolicyRepository,
  TicketLedgerRepository,
  TicketRow,
} from '@hotline/platform';
import { CN_MAINLAND_CALENDAR, loadConfig, resolvePolicy, SQ_POLICY } from '@hotline/shared';
import { WorkflowStarter } from './workflow-starter';

describe('WorkflowStarter', () => {
  const config = loadConfig({
    DATABASE_URL: 'postgres://x@127.0.0.1/x',
    KAFKA_BROKERS: '127.0.0.1:9092',
    TEMPORAL_ADDRESS: '127.0.0.1:7233',
    JWT_SECRET: 'unit-test-secret-123456',
    HOTLINE_ENV: 'test',
  });
  const ticket = {
    ticketNo: '20261123000001',
    channel: 'phone',
    kind: 'complaint',
    category: 'road',
    regionCode: 'gulou',
    title: '路面破损',
    createdAt: '2026-11-23T02:00:00.000Z',
    policy: resolvePolicy(SQ_POLICY, {
      regionCode: 'gulou',
      category: 'road',
      kind: 'complaint',
      channel: 'phone',
    }),
    disposition: { type: 'dispatch' },
  } as unknown as TicketRow;

  /** The tickets whose workflow has taken its first turn, as the ledger would show. */
  let taken = new Set<string>();
  beforeEach(() => (taken = new Set()));
  afterEach(() => jest.useRealTimers());

  function setup(start: () => Promise<unknown>, existingStart = new Date('2026-11-23T02:00:01Z')) {
    const marked: string[] = [];
    const temporal = {
      workflow: {
        start,
        getHandle: () => ({ describe: async () => ({ startTime: existingStart }) }),
      },
    } as unknown as Client;
    const ledger = {
      markWorkflowStarted: async (no: string) => void marked.push(no),
      pastFirstTurn: async (nos: string[]) => nos.filter((no) => taken.has(no)),
    } as unknown as TicketLedgerRepository;
    const catalog = {
      entriesFor: async () => [
        { id: 'm-road', category: 'road', regionCode: null, unitId: 'transport', priority: 1 },
      ],
      unit: async (id: string) => ({ id, name: '市交通运输局', kind: 'department', regionCode: null }),
    } as unknown as CatalogRepository;
    const policies = {
      calendarSnapshot: async () => CN_MAINLAND_CALENDAR,
    } as unknown as PolicyRepository;
    return { starter: new WorkflowStarter(temporal, config, ledger, catalog, policies), marked };
  }

  it('marks the ticket started once Temporal accepts the workflow', async () => {
    const { starter, marked } = setup(async () => ({}));
    expect(await starter.start(ticket)).toBe(true);
    expect(marked).toEqual(['20261123000001']);
  });

  it('starts the workflow with the unit the matter catalog names and the calendar', async () => {
    const started: unknown[] = [];
    const { starter } = setup(async (...args: unknown[]) => void started.push(args[1]));
    await starter.start(ticket);
    const [{ args }] = started as { args: [Record<string, unknown>] }[];
    expect(args[0]).toMatchObject({
      route: { unitId: 'transport', unitName: '市交通运输局', catalogEntryId: 'm-road' },
      calendar: { id: 'cn-mainland' },
    });
  });

  it('takes "already started" by this ticket (a retry) as started', async () => {
    const { starter, marked } = setup(async () => {
      throw new WorkflowExecutionAlreadyStartedError('already', 'ticket-20261123000001', 'TicketWorkflow');
    });
    expect(await starter.start(ticket)).toBe(true);
    expect(marked).toHaveLength(1);
  });

  it('never takes an older ticket’s workflow for this one (numbers restarted against an old Temporal)', async () => {
    const { starter, marked } = setup(async () => {
      throw new WorkflowExecutionAlreadyStartedError('already', 'ticket-20261123000001', 'TicketWorkflow');
    }, new Date('2026-11-22T09:00:00Z'));
    expect(await starter.start(ticket)).toBe(false);
    expect(marked).toHaveLength(0);
  });

  it('leaves the ticket for the sweep when Temporal is down', async () => {
    const { starter, marked } = setup(async () => {
      throw new Error('14 UNAVAILABLE: connection refused');
    });
    expect(await starter.start(ticket)).toBe(false);
    expect(marked).toHaveLength(0);
  });

  it('keeps a start in flight until its workflow has taken its first turn, so starts go no faster than the worker', async () => {
    // The clock is the test's: a slow machine cannot stretch the window the surge is measured over.
    jest.useFakeTimers({ now: Date.parse('2026-11-23T02:00:00Z') });
    const before = process.env.HOTLINE_START_CONCURRENCY;
    process.env.HOTLINE_START_CONCURRENCY = '1';
    try {
      const startedIds: string[] = [];
      const { starter } = setup(async (...args: unknown[]) => {
        startedIds.push((args[1] as { workflowId: string }).workflowId);
      });
      starter.enqueue(ticket);
      starter.enqueue({ ...ticket, ticketNo: '20261123000002' } as TicketRow);
      await jest.advanceTimersByTimeAsync(200);
      // One slot: the second waits while the first ticket's workflow has not recorded anything.
      expect(startedIds).toEqual(['ticket-20261123000001']);
      taken.add('20261123000001');
      await jest.advanceTimersByTimeAsync(200);
      expect(startedIds).toEqual(['ticket-20261123000001', 'ticket-20261123000002']);
      taken.add('20261123000002');
      await jest.advanceTimersByTimeAsync(200);
      starter.onApplicationShutdown();
    } finally {
      if (before === undefined) delete process.env.HOTLINE_START_CONCURRENCY;
      else process.env.HOTLINE_START_CONCURRENCY = before;
    }
  });

  it('holds the starts while tickets come in a surge, and starts them all once it has passed', async () => {
    // The clock is the test's: a slow machine cannot stretch the window the surge is measured over.
    jest.useFakeTimers({ now: Date.parse('2026-11-23T02:00:00Z') });
    const startedIds: string[] = [];
    const { starter } = setup(async (...args: unknown[]) => {
      startedIds.push((args[1] as { workflowId: string }).workflowId);
    });
    const nos = ['20261123000011', '20261123000012', '20261123000013', '20261123000014', '20261123000015'];
    for (const no of nos) {
      taken.add(no);
      starter.enqueue({ ...ticket, ticketNo: no } as TicketRow);
    }
    await jest.advanceTimersByTimeAsync(20);
    // Five at once is above 20 a second: the first two went before the surge showed, the rest wait.
    expect(startedIds).toHaveLength(2);
    await jest.advanceTimersByTimeAsync(400);
    expect(startedIds.sort()).toEqual(nos.map((no) => `ticket-${no}`));
    starter.onApplicationShutdown();
  });
});
