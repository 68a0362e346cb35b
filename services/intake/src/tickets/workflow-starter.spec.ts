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
});
