import type { Client } from '@temporalio/client';
import type { EntityManager } from 'typeorm';
import type {
  CatalogRepository,
  ExpertRepository,
  PolicyRepository,
  TicketLedgerRepository,
} from '@hotline/platform';
import type { PlatformConfig } from '@hotline/shared';
import { ExpertsService, repliesReviewed } from './experts.service';

/**
 * Opening an expert case, with fakes: the case row is written in the projection's transaction, and
 * its workflow (whose first activity assigns the case and needs that row) starts only after the
 * commit; a case opened before starts nothing again.
 */
/** The service over a fake Temporal client and expert repository (no ledger, no policies needed). */
const withFakes = (temporal: Client, experts: ExpertRepository) =>
  new ExpertsService(
    temporal,
    {} as PlatformConfig,
    experts,
    {} as TicketLedgerRepository,
    {} as PolicyRepository,
    {} as CatalogRepository,
  );

describe('ExpertsService.open', () => {
  const NO = '20261124000001';
  const m = {} as EntityManager;

  function service(isNew: boolean) {
    const log: string[] = [];
    const temporal = {
      workflow: {
        start: async (type: string, opts: { workflowId: string }) =>
          void log.push(`start ${type} ${opts.workflowId}`),
        getHandle: (id: string) => ({ cancel: async () => void log.push(`cancel ${id}`) }),
      },
    } as unknown as Client;
    const experts = {
      openCase: async (tx: EntityManager, ticketNo: string) => {
        expect(tx).toBe(m);
        log.push(`case ${ticketNo}`);
        return isNew;
      },
      attemptsOf: async () => 0,
      withdrawCase: async (tx: EntityManager, ticketNo: string) => {
        expect(tx).toBe(m);
        log.push(`withdraw ${ticketNo}`);
        return isNew;
      },
    } as unknown as ExpertRepository;
    const ledger = {
      findCore: async () => ({
        policy: { calendarId: 'cn-mainland', limits: { evaluatorDecision: {}, evaluatorReminderAfter: {} } },
      }),
    } as unknown as TicketLedgerRepository;
    const policies = { calendarSnapshot: async () => ({}) } as unknown as PolicyRepository;
    const config = { temporalTaskQueue: 'tickets' } as PlatformConfig;
    return {
      log,
      svc: new ExpertsService(temporal, config, experts, ledger, policies, {} as CatalogRepository),
    };
  }

  it('writes the case in the transaction and starts its workflow only once the commit has happened', async () => {
    const { log, svc } = service(true);
    const queued: (() => Promise<void>)[] = [];
    await svc.open(m, (effect) => queued.push(effect), NO, 'transport', '2026-11-24T08:00:00Z');
    expect(log).toEqual([`case ${NO}`]); // nothing started inside the transaction
    expect(queued).toHaveLength(1);
    await queued[0]();
    expect(log).toEqual([`case ${NO}`, `start ExpertEvaluationWorkflow expert-evaluation-${NO}`]);
  });

  it('starts nothing for a case opened before (the sweep covers one whose start was lost)', async () => {
    const { log, svc } = service(false);
    const queued: (() => Promise<void>)[] = [];
    await svc.open(m, (effect) => queued.push(effect), NO, 'transport', '2026-11-24T08:00:00Z');
    expect(queued).toHaveLength(0);
    expect(log).toEqual([`case ${NO}`]);
  });
});

describe('ExpertsService.withdrawIfUnfounded', () => {
  const NO = '20261124000002';
  const m = {} as EntityManager;
  const requested = {
    type: 'ticket.evaluation_requested',
    data: { unitId: 'transport', verdict: 'unsatisfied' },
  };

  function service(open: boolean) {
    const log: string[] = [];
    const temporal = {
      workflow: { getHandle: (id: string) => ({ cancel: async () => void log.push(`cancel ${id}`) }) },
    } as unknown as Client;
    const experts = {
      withdrawCase: async (tx: EntityManager, ticketNo: string) => {
        expect(tx).toBe(m);
        log.push(`withdraw ${ticketNo}`);
        return open;
      },
    } as unknown as ExpertRepository;
    const svc = withFakes(temporal, experts);
    return { log, svc };
  }

  it('withdraws the case in the transaction and calls its workflow off only after the commit', async () => {
    const { log, svc } = service(true);
    const queued: (() => Promise<void>)[] = [];
    await svc.withdrawIfUnfounded(m, (effect) => queued.push(effect), NO, [], '2026-11-24T08:00:00Z');
    expect(log).toEqual([`withdraw ${NO}`]);
    await queued[0]();
    expect(log).toEqual([`withdraw ${NO}`, `cancel expert-evaluation-${NO}`]);
  });

  it('leaves the case alone while another request stands, and calls nothing off when none was open', async () => {
    const standing = service(true);
    const queued: (() => Promise<void>)[] = [];
    await standing.svc.withdrawIfUnfounded(
      m,
      (effect) => queued.push(effect),
      NO,
      [requested as never],
      '2026-11-24T08:00:00Z',
    );
    expect(standing.log).toEqual([]);
    const decided = service(false);
    await decided.svc.withdrawIfUnfounded(m, (effect) => queued.push(effect), NO, [], '2026-11-24T08:00:00Z');
    expect(decided.log).toEqual([`withdraw ${NO}`]);
    expect(queued).toHaveLength(0);
  });
});

/**
 * An evaluator made available wakes every case waiting for one, however many: the waiting cases are
 * read page by page first, then each is signalled.
 */
describe('ExpertsService: an evaluator available again', () => {
  it('signals every waiting case, past the first page', async () => {
    const waiting = Array.from({ length: 1203 }, (_, i) => `2026112400${String(i).padStart(4, '0')}`);
    const signalled: string[] = [];
    const temporal = {
      workflow: {
        getHandle: (id: string) => ({
          signal: async (name: string) => void signalled.push(`${name} ${id}`),
        }),
      },
    } as unknown as Client;
    const experts = {
      setAvailabilityOfUser: async () => 'e1',
      cases: async (q: { status: string; limit: number; offset: number }) => {
        expect(q.status).toBe('waiting_for_evaluator');
        return {
          items: waiting.slice(q.offset, q.offset + q.limit).map((ticketNo) => ({ ticketNo })),
          total: 0,
        };
      },
    } as unknown as ExpertRepository;
    const svc = withFakes(temporal, experts);
    expect(await svc.setOwnAvailability({ userId: 'u1' } as never, true)).toEqual({
      id: 'e1',
      available: true,
    });
    expect(signalled).toEqual(waiting.map((no) => `evaluatorAvailable expert-evaluation-${no}`));
  });
});

describe("the unit's replies as the evaluator reads them", () => {
  const at = (m: number) => `2026-12-07T10:${String(m).padStart(2, '0')}:00.000Z`;
  it('marks each with the centre review that followed it: sent back, approved, or not reviewed', () => {
    const history = [
      { type: 'ticket.replied', occurredAt: at(1), data: { content: '第一次答复' } },
      { type: 'ticket.reply_reviewed', occurredAt: at(2), data: { approved: false, note: '请补充照片' } },
      { type: 'ticket.replied', occurredAt: at(3), data: { content: '第二次答复' } },
      { type: 'ticket.reply_reviewed', occurredAt: at(4), data: { approved: true, note: '' } },
      { type: 'ticket.callback_answered', occurredAt: at(5), data: {} },
      { type: 'ticket.replied', occurredAt: at(6), data: { content: '整改答复' } },
    ];
    expect(repliesReviewed(history, (t) => t)).toEqual([
      { at: at(1), content: '第一次答复', approved: false, reviewNote: '请补充照片' },
      { at: at(3), content: '第二次答复', approved: true, reviewNote: '' },
      { at: at(6), content: '整改答复', approved: null, reviewNote: '' },
    ]);
  });
});
