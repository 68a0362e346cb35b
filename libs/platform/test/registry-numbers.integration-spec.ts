import type { DataSource } from 'typeorm';
import { TicketLedgerRepository, createDataSource } from '../src';
import { newTicket, OPERATOR } from './fixtures';
import { loadConfig } from '@hotline/shared';

/**
 * Registry numbers on the real Postgres (RULES §1: "sequences never repeat or skip under
 * concurrency"): many leader-mailbox letters at once take consecutive numbers, and a registration
 * that fails gives its number back.
 */
describe('registry numbers per channel and year', () => {
  let ds: DataSource;
  let ledger: TicketLedgerRepository;
  const letter = newTicket({
    channel: 'leader_mailbox',
    kind: 'suggestion',
    title: '市长信箱来信',
    content: '建议在中山路增设过街天桥。',
  });
  // Other suites register in this database too: the numbers are checked against each other.
  const AT = new Date('2033-03-01T02:00:00Z');
  const seqOf = (registryNo: string | null, prefix = '领') =>
    Number(new RegExp(`^\\(2033\\)${prefix}(\\d+)号$`).exec(registryNo ?? '')?.[1]);
  let lastLetter = 0;

  beforeAll(async () => {
    ds = await createDataSource(loadConfig(process.env).databaseUrl, { poolSize: 10 }).initialize();
    ledger = new TicketLedgerRepository(ds, loadConfig(process.env).kafkaPrefix);
  });
  afterAll(async () => {
    await ds?.destroy();
  });

  it('gives 30 letters registered at once 30 consecutive numbers, none twice; a phone call none', async () => {
    const made = await Promise.all(
      Array.from({ length: 30 }, () => ledger.create(letter, OPERATOR, null, AT)),
    );
    const seqs = made.map((m) => seqOf(m.core.registryNo)).sort((a, b) => a - b);
    expect(seqs[0]).toBeGreaterThanOrEqual(1);
    expect(seqs).toEqual(Array.from({ length: 30 }, (_, i) => seqs[0] + i));
    lastLetter = seqs[29];
    const call = await ledger.create({ ...letter, channel: 'phone' }, OPERATOR, null, AT);
    expect(call.core.registryNo).toBeNull();
    // A network item counts on its own: two in a row take consecutive 网 numbers.
    const web1 = await ledger.create({ ...letter, channel: 'web' }, OPERATOR, null, AT);
    const web2 = await ledger.create({ ...letter, channel: 'forum' }, OPERATOR, null, AT);
    expect(seqOf(web2.core.registryNo, '网')).toBe(seqOf(web1.core.registryNo, '网') + 1);
  });

  it('gives a failed registration’s number back: the next letter takes it', async () => {
    await expect(ledger.create({ ...letter, regionCode: 'nowhere' }, OPERATOR, null, AT)).rejects.toThrow();
    const next = await ledger.create(letter, OPERATOR, null, AT);
    expect(seqOf(next.core.registryNo)).toBe(lastLetter + 1);
  });
});
