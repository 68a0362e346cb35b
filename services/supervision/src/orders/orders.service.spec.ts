import type { Client } from '@temporalio/client';
import type { PolicyRepository, SupervisionOrderRepository } from '@hotline/platform';
import type { PlatformConfig } from '@hotline/shared';
import { OrdersService } from './orders.service';
import type { KeyTasksRepository } from '../key-tasks/key-tasks.repository';
import type { TicketFactsRepository } from '../ticket-facts.repository';

/** A post-closure order per ticket: a second unsatisfied verdict meets the same condition. */
describe('OrdersService: raising an order whose condition has its order already', () => {
  const started: string[] = [];
  const rows = new Map<string, string>(); // source key → order id
  const temporal = {
    workflow: { start: async (_type: string, o: { workflowId: string }) => void started.push(o.workflowId) },
  } as unknown as Client;
  const orders = {
    orderWithSourceKey: async (key: string) => rows.get(key) ?? null,
    raise: async (o: { id: string; sourceKey: string }) => {
      if (rows.has(o.sourceKey)) return false;
      rows.set(o.sourceKey, o.id);
      return true;
    },
  } as unknown as SupervisionOrderRepository;
  const policies = {
    calendarSnapshot: async () => ({
      id: 'cn-mainland',
      name: '测试日历',
      holidays: [],
      adjustedWorkdays: [],
      workingHours: [
        { start: '09:00', end: '12:00' },
        { start: '13:30', end: '17:30' },
      ],
    }),
  } as unknown as PolicyRepository;
  const service = new OrdersService(
    temporal,
    { temporalTaskQueue: 'tickets' } as PlatformConfig,
    orders,
    policies,
    {} as TicketFactsRepository,
    {} as KeyTasksRepository,
  );
  const order = (id: string) => ({
    id,
    sourceKey: 'post_closure:20261207000008',
    ticketNo: '20261207000008',
    kind: 'order' as const,
    trigger: 'unsatisfied_after_closure' as const,
    stage: 'post_closure' as const,
    unitId: 'transport',
    instruction: '请核实整改。',
    by: { kind: 'system' as const },
  });

  it('starts no second workflow and answers the order that holds the condition', async () => {
    expect(await service.raise(order('first'))).toBe('first');
    expect(await service.raise(order('second'))).toBe('first');
    expect(started).toEqual(['supervision-order-first']);
    // The same order again is idempotent on its id (its workflow start is, too).
    expect(await service.raise(order('first'))).toBe('first');
  });
});
