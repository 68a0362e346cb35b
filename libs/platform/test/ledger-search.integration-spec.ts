import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { TicketLedgerRepository, createDataSource, ticketTextCondition } from '../src';
import type { NewTicket } from '../src';
import { TICKET_TEXTS_FROM_LEDGER } from '../src/db/migrations/1764021000000-ledger-text-search';
import { newTicket, OPERATOR, realLedger } from './fixtures';
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

/** The ledger searched by its words (RULES §1: respondent, event, demand "searchable later"). */
describe('ledger search by words and respondent', () => {
  const db = realLedger();
  const category = `text-${randomUUID().slice(0, 8)}`;
  const made: Record<string, string> = {};
  const tag = randomUUID().slice(0, 6); // words no other test's ticket holds

  beforeAll(async () => {
    const tickets: Record<string, Partial<NewTicket>> = {
      noise: {
        title: `夜间施工噪音扰民${tag}`,
        content: '工地每晚十一点后仍在打桩。',
        demand: '请责令停止夜间施工',
        respondent: '金陵建设集团有限公司',
        address: '湖南路12号',
      },
      road: { title: `路面破损${tag}`, content: '中山路128号人行道地砖松动，老人摔倒。', respondent: null },
      percent: { title: `物业收费${tag}`, content: '物业费上涨100%_未公示', respondent: '某某物业公司' },
      split: { title: `施工${tag}`, content: '噪声' }, // the title ends as the content starts
    };
    for (const [name, over] of Object.entries(tickets))
      made[name] = (await db.ledger.create(newTicket({ category, ...over }), OPERATOR, null)).ticketNo;
  });

  const found = async (f: { words?: string[]; respondent?: string }) =>
    (await db.ledger.list({ category, ...f, limit: 50, offset: 0 })).items.map((t) => t.ticketNo).sort();
  const names = (...n: string[]) => n.map((k) => made[k]).sort();

  it('finds every word, any case, in the title, content, demand, address or respondent', async () => {
    expect(await found({ words: ['噪音'] })).toEqual(names('noise'));
    expect(await found({ words: ['停止夜间施工'] })).toEqual(names('noise')); // the demand
    expect(await found({ words: ['湖南路12号'] })).toEqual(names('noise')); // the address
    expect(await found({ words: ['金陵建设'] })).toEqual(names('noise')); // the respondent
    expect(await found({ words: ['打桩', '噪音'] })).toEqual(names('noise'));
    expect(await found({ words: ['打桩', '地砖'] })).toEqual([]); // every word, not any
    expect(await found({ words: [tag.toUpperCase()] })).toHaveLength(4);
  });

  it('keeps the distinct pairs of adjacent characters, lower case, none across two fields', async () => {
    const [row] = await db.ds.query(
      `SELECT bigrams, ticket.bigrams_of($2) AS probe FROM ticket.ticket_texts WHERE ticket_no = $1`,
      [made.split, 'Ab 𠮷x\nyZ'],
    );
    expect(row.probe).toEqual(['ab', 'yz', '𠮷x']);
    expect(row.bigrams).toEqual(expect.arrayContaining(['施工', '噪声']));
    expect(row.bigrams.filter((b: string) => /\s/.test(b))).toEqual([]);
    expect(row.bigrams).not.toContain(`${tag.slice(-1)}噪`); // the title's end and the content's start
    expect(new Set(row.bigrams).size).toBe(row.bigrams.length);
  });

  it('finds no word across two fields', async () => {
    expect(await found({ words: [`施工${tag}`] })).toEqual(names('split'));
    expect(await found({ words: [`${tag}噪`] })).toEqual([]); // the title's end and the content's start
  });

  it('takes %, _ and a backslash as themselves', async () => {
    expect(await found({ words: ['100%_'] })).toEqual(names('percent'));
    expect(await found({ words: ['%'] })).toEqual(names('percent'));
    expect(await found({ words: ['_'] })).toEqual(names('percent'));
    expect(await found({ words: ['\\'] })).toEqual([]);
    expect(await found({ words: ['路面%松动'] })).toEqual([]);
  });

  it('finds the respondent alone, and with words', async () => {
    expect(await found({ respondent: '物业' })).toEqual(names('percent'));
    expect(await found({ respondent: '金陵建设集团有限公司' })).toEqual(names('noise'));
    expect(await found({ respondent: '中山路' })).toEqual([]); // in the content, not the respondent
    expect(await found({ respondent: '物业', words: ['噪音'] })).toEqual([]);
  });

  it('reads the indexes for a word of two characters or more, and for the respondent', async () => {
    const plan = async (f: { words?: string[]; respondent?: string }) => {
      const params: unknown[] = [];
      const cond = ticketTextCondition('ticket_no', f, params);
      const rows: { 'QUERY PLAN': string }[] = await db.ds.transaction(async (m) => {
        await m.query('SET LOCAL enable_seqscan = off');
        return m.query(`EXPLAIN SELECT ticket_no FROM ticket.tickets WHERE ${cond}`, params);
      });
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    };
    // Two characters (most Chinese words) as much as more: through the character pairs.
    expect(await plan({ words: ['噪音'] })).toMatch(/Bitmap Index Scan on ticket_texts_bigrams/);
    expect(await plan({ words: ['金陵建设'] })).toMatch(/Bitmap Index Scan on ticket_texts_bigrams/);
    expect(await plan({ respondent: '金陵建' })).toMatch(/Bitmap Index Scan on ticket_texts_respondent/);
  });

  it('enters each ticket once, with the ticket, and tickets from before the migration too', async () => {
    const text = async (no: string) =>
      db.ds.query(`SELECT body, respondent FROM ticket.ticket_texts WHERE ticket_no = $1`, [no]);
    const entered = [
      {
        body: `夜间施工噪音扰民${tag}\n工地每晚十一点后仍在打桩。\n请责令停止夜间施工\n湖南路12号\n金陵建设集团有限公司`,
        respondent: '金陵建设集团有限公司',
      },
    ];
    expect(await text(made.noise!)).toEqual(entered);
    // A ticket from before the migration has no text until the migration's fill enters it, once.
    await db.ds.query(`DELETE FROM ticket.ticket_texts WHERE ticket_no = $1`, [made.noise]);
    expect(await found({ words: ['打桩'] })).toEqual([]);
    await db.ds.query(TICKET_TEXTS_FROM_LEDGER);
    await db.ds.query(TICKET_TEXTS_FROM_LEDGER);
    expect(await text(made.noise!)).toEqual(entered);
    expect(await found({ words: ['打桩'] })).toEqual(names('noise'));
    const [{ n }] = await db.ds.query(
      `SELECT count(*)::int AS n FROM ticket.tickets t LEFT JOIN ticket.ticket_texts x USING (ticket_no)
       WHERE x.ticket_no IS NULL`,
    );
    expect(n).toBe(0);
  });
});
