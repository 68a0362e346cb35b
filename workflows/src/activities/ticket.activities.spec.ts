import { ApplicationFailure } from '@temporalio/common';
import type { CatalogRepository, PendingEvent, TicketLedgerRepository } from '@hotline/platform';
import type { AnyTicketEvent, CatalogEntry } from '@hotline/shared';
import { createTicketActivities } from './ticket.activities';

describe('ticket activities', () => {
  const entries: CatalogEntry[] = [
    { id: 'm-stalls', category: 'street-stalls', regionCode: null, unitId: 'urban-mgmt', priority: 100 },
    {
      id: 'm-stalls-gulou',
      category: 'street-stalls',
      regionCode: 'gulou',
      unitId: 'gulou-gov',
      priority: 50,
    },
  ];
  const appended: PendingEvent[] = [];
  const catalog = {
    entriesFor: async (category: string) => entries.filter((e) => e.category === category),
    unit: async (id: string) => ({ id, name: `单位 ${id}`, kind: 'department', regionCode: null }),
  } as unknown as CatalogRepository;
  const ledger = {
    append: async (e: PendingEvent) => {
      appended.push(e);
      return { ...e, version: 1, seq: appended.length } as AnyTicketEvent;
    },
  } as unknown as TicketLedgerRepository;
  const now = new Date('2026-11-23T02:00:00Z');
  const acts = createTicketActivities({ ledger, catalog, now: () => now });

  it('dispatches by the most specific catalog entry and sets the sign deadline', async () => {
    const r = await acts.dispatchTicket({
      eventId: 'e1',
      ticketNo: '20261123000001',
      category: 'street-stalls',
      regionCode: 'gulou',
      signLimitMinutes: 60,
    });
    expect(r).toEqual({
      unitId: 'gulou-gov',
      unitName: '单位 gulou-gov',
      signDueAt: '2026-11-23T03:00:00.000Z',
    });
    expect(appended.at(-1)).toMatchObject({
      id: 'e1',
      type: 'ticket.dispatched',
      data: { catalogEntryId: 'm-stalls-gulou' },
    });
  });

  it('fails without retrying when no catalog entry matches', async () => {
    const err = await acts
      .dispatchTicket({
        eventId: 'e2',
        ticketNo: '20261123000002',
        category: 'ufo',
        regionCode: 'gulou',
        signLimitMinutes: 60,
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect((err as ApplicationFailure).type).toBe('no_route');
    expect((err as ApplicationFailure).nonRetryable).toBe(true);
  });
});
