import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { TicketLedgerRepository, createDataSource } from '../src';
import { newTicket, OPERATOR } from './fixtures';
import { loadConfig } from '@hotline/shared';

/** The ledger's search on the real Postgres: the days registered are China's, both ends included. */
describe('ledger search by the days registered', () => {
  let ds: DataSource;
  let ledger: TicketLedgerRepository;
  const category = `test-${randomUUID().slice(0, 8)}`;
  const input = newTicket({ category });
  const made: Record<string, string> = {};

  beforeAll(async () => {
    const config = loadConfig(process.env);
    ds = await createDataSource(config.databaseUrl, { poolSize: 2 }).initialize();
    ledger = new TicketLedgerRepository(ds, config.kafkaPrefix);
    // 23:59:59 on 5 December and 00:00:00 on 6 December, China time.
    for (const [name, at] of [
      ['lastOf5th', '2026-12-05T15:59:59.999Z'],
      ['firstOf6th', '2026-12-05T16:00:00.000Z'],
      ['lastOf6th', '2026-12-06T15:59:59.999Z'],
    ])
      made[name] = (await ledger.create(input, OPERATOR, null, new Date(at))).ticketNo;
  });
  afterAll(async () => {
    await ds?.destroy();
  });

  const found = async (filter: { createdFrom?: string; createdTo?: string }) =>
    (await ledger.list({ category, ...filter, limit: 50, offset: 0 })).items.map((t) => t.ticketNo).sort();

  it('counts a ticket on the China day it was registered, whatever the UTC date', async () => {
    expect(await found({ createdFrom: '2026-12-05', createdTo: '2026-12-05' })).toEqual([made.lastOf5th]);
    expect(await found({ createdFrom: '2026-12-06', createdTo: '2026-12-06' })).toEqual(
      [made.firstOf6th, made.lastOf6th].sort(),
    );
  });

  it('takes each end alone, both days included', async () => {
    expect(await found({ createdFrom: '2026-12-06' })).toEqual([made.firstOf6th, made.lastOf6th].sort());
    expect(await found({ createdTo: '2026-12-05' })).toEqual([made.lastOf5th]);
    expect(await found({})).toHaveLength(3);
  });
});
