import type { DataSource } from 'typeorm';
import { TicketLedgerRepository, createDataSource } from '../src';
import type { NewTicket } from '../src';
import { loadConfig } from '@hotline/shared';

/**
 * Registry numbers on the real Postgres (RULES §1: "sequences never repeat or skip under
 * concurrency"): many leader-mailbox letters at once take consecutive numbers, and a registration
 * that fails gives its number back.
 */
describe('registry numbers per channel and year', () => {
  let ds: DataSource;
  let ledger: TicketLedgerRepository;
  const operator = { kind: 'user' as const, userId: 'operator', role: 'operator' as const };
  const letter: NewTicket = {
    channel: 'leader_mailbox',
    kind: 'suggestion',
    category: 'road',
    regionCode: 'gulou',
    title: '市长信箱来信',
    content: '建议在中山路增设过街天桥。',
    address: null,
    complainantName: null,
    complainantPhone: null,
    confidential: false,
    respondent: null,
    demand: null,
  };
  const AT = new Date('2031-03-01T02:00:00Z'); // a year no other suite registers in
  const seqOf = (registryNo: string | null) => Number(/^\(2031\)领(\d+)号$/.exec(registryNo ?? '')?.[1]);

  beforeAll(async () => {
    ds = await createDataSource(loadConfig(process.env).databaseUrl, { poolSize: 10 }).initialize();
    ledger = new TicketLedgerRepository(ds, loadConfig(process.env).kafkaPrefix);
  });
  afterAll(async () => {
    await ds?.destroy();
  });

  it('gives 30 letters registered at once 30 consecutive numbers, none twice; a phone call none', async () => {
    const made = await Promise.all(
      Array.from({ length: 30 }, () => ledger.create(letter, operator, null, AT)),
    );
    const seqs = made.map((m) => seqOf(m.core.registryNo)).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    const call = await ledger.create({ ...letter, channel: 'phone' }, operator, null, AT);
    expect(call.core.registryNo).toBeNull();
    const web = await ledger.create({ ...letter, channel: 'web' }, operator, null, AT);
    expect(web.core.registryNo).toBe('(2031)网001号');
  });

  it('gives a failed registration’s number back: the next letter takes it', async () => {
    await expect(ledger.create({ ...letter, regionCode: 'nowhere' }, operator, null, AT)).rejects.toThrow();
    const next = await ledger.create(letter, operator, null, AT);
    expect(next.core.registryNo).toBe('(2031)领031号');
  });
});
