import { ApplicationFailure } from '@temporalio/common';
import type { CatalogRepository, PendingEvent, TicketLedgerRepository } from '@hotline/platform';
import { CN_MAINLAND_CALENDAR, WorkingCalendar } from '@hotline/shared';
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
    unit: async (id: string) =>
      id === 'nowhere' ? null : { id, name: `单位 ${id}`, kind: 'department', regionCode: null },
  } as unknown as CatalogRepository;
  const ledger = {
    append: async (e: PendingEvent) => {
      appended.push(e);
      return { ...e, version: 1, seq: appended.length } as AnyTicketEvent;
    },
  } as unknown as TicketLedgerRepository;
  const calendar = new WorkingCalendar(CN_MAINLAND_CALENDAR);
  const acts = createTicketActivities({ ledger, catalog, calendar: async () => calendar });
  const limits = {
    sign: { amount: 1, unit: 'hours' as const },
    complete: { amount: 3, unit: 'working_days' as const },
    returnWindow: { amount: 12, unit: 'hours' as const },
  };

  it('dispatches by the most specific catalog entry and computes the deadlines on the calendar', async () => {
    // Friday 2026-09-25 10:00 China time: 3 working days skip the Mid-Autumn and National Day holidays.
    const r = await acts.dispatchTicket({
      eventId: 'e1',
      ticketNo: '20260925000001',
      category: 'street-stalls',
      regionCode: 'gulou',
      limits,
      calendarId: 'cn-mainland',
      at: '2026-09-25T02:00:00.000Z',
    });
    expect(r).toMatchObject({
      unitId: 'gulou-gov',
      unitName: '单位 gulou-gov',
      dispatchedAt: '2026-09-25T02:00:00.000Z',
      signDueAt: '2026-09-25T03:00:00.000Z',
      returnWindowEndsAt: '2026-09-25T14:00:00.000Z',
    });
    expect(r.completeDueAt).toBe(
      calendar.addWorkingDays(new Date('2026-09-25T02:00:00.000Z'), 3).toISOString(),
    );
    expect(appended.at(-1)).toMatchObject({
      id: 'e1',
      type: 'ticket.dispatched',
      data: { catalogEntryId: 'm-stalls-gulou' },
    });
  });

  it('fails without retrying when no catalog entry matches, or the named unit does not exist', async () => {
    const base = {
      ticketNo: '20261123000002',
      regionCode: 'gulou',
      limits,
      calendarId: 'cn-mainland',
      at: new Date().toISOString(),
    };
    for (const [input, type] of [
      [{ ...base, eventId: 'e2', category: 'ufo' }, 'no_route'],
      [{ ...base, eventId: 'e3', category: 'ufo', unitId: 'nowhere' }, 'unknown_unit'],
    ] as const) {
      const err = await acts.dispatchTicket(input).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ApplicationFailure);
      expect((err as ApplicationFailure).type).toBe(type);
      expect((err as ApplicationFailure).nonRetryable).toBe(true);
    }
  });

  it('computes a deadline over the calendar', async () => {
    expect(
      await acts.computeDeadline({
        from: '2026-10-03T02:00:00.000Z',
        duration: { amount: 1, unit: 'working_days' },
        calendarId: 'cn-mainland',
      }),
    ).toBe(calendar.addWorkingDays(new Date('2026-10-03T02:00:00.000Z'), 1).toISOString());
  });
});
