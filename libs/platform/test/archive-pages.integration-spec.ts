import { randomUUID } from 'node:crypto';
import { ArchiveRepository } from '../src';
import { newTicket, OPERATOR, realLedger } from './fixtures';

/**
 * The yearly archive sealed and checked a page of entries at a time (a real year holds millions):
 * on the real Postgres, with pages of two, the same seal and the same findings as in one piece, and
 * the year's root the very digest the seal computed in SQL before (so years sealed then still check).
 */
describe('the yearly archive, a page at a time', () => {
  const db = realLedger();
  const category = `archive-${randomUUID().slice(0, 8)}`;
  const tickets: string[] = [];
  let year: number;

  /** The root as the seal computed it in one SQL statement before it went by pages. */
  const rootInSql = async (y: number): Promise<string> =>
    (
      await db.ds.query(
        `SELECT encode(sha256(convert_to(COALESCE(string_agg(ticket_no || ':' || digest, E'\\n' ORDER BY ticket_no), ''),
           'UTF8')), 'hex') AS root FROM records.archive_entries WHERE year = $1`,
        [y],
      )
    )[0].root;

  const addEvent = (no: string, seq: number, type: string, at: string) =>
    db.ds.query(
      `INSERT INTO ticket.ticket_events (event_id, ticket_no, seq, type, actor, data, occurred_at)
       VALUES ($1, $2, $3, $4, '{"kind":"system"}', '{}', $5)`,
      [randomUUID(), no, seq, type, at],
    );

  beforeAll(async () => {
    // A past year no suite has sealed (2001 stays unsealed for the security suites).
    const [row] = await db.ds.query(
      `SELECT y FROM generate_series(2002, 2024) AS y
       WHERE NOT EXISTS (SELECT 1 FROM records.archives a WHERE a.year = y) ORDER BY random() LIMIT 1`,
    );
    year = row.y;
    for (let i = 0; i < 5; i++) {
      const { ticketNo } = await db.ledger.create(newTicket({ category }), OPERATOR, null);
      await addEvent(ticketNo, 100, 'ticket.closed', `${year}-0${i + 1}-10T04:00:00Z`);
      await db.ds.query(`UPDATE ticket.tickets SET status = 'closed' WHERE ticket_no = $1`, [ticketNo]);
      tickets.push(ticketNo);
    }
    tickets.sort();
  });

  it('seals every page of the year, its root the one the SQL gave', async () => {
    const { archive, already } = await new ArchiveRepository(db.ds, { pageSize: 2 }).seal(year, 'admin');
    expect(already).toBe(false);
    expect(archive.ticketCount).toBe(5);
    expect(archive.rootDigest).toBe(await rootInSql(year));
    const entries: { ticketNo: string }[] = await db.ds.query(
      `SELECT ticket_no AS "ticketNo" FROM records.archive_entries WHERE year = $1 ORDER BY ticket_no`,
      [year],
    );
    expect(entries.map((e) => e.ticketNo)).toEqual(tickets);
  });

  it('checks every page: the same findings whatever the page, the lists the first by number', async () => {
    const whole = new ArchiveRepository(db.ds);
    const paged = new ArchiveRepository(db.ds, { pageSize: 2, listLimit: 2 });
    expect(await paged.verify(year)).toEqual({
      checked: 5,
      unchanged: 5,
      changedCount: 0,
      changed: [],
      amendedCount: 0,
      amended: [],
      rootIntact: true,
    });
    // Three records grow after the seal (the last of them on the last page).
    for (const no of [tickets[4]!, tickets[1]!, tickets[2]!])
      await addEvent(no, 101, 'ticket.note_added', `${year + 30}-01-01T00:00:00Z`);
    expect(await paged.verify(year)).toEqual({
      checked: 5,
      unchanged: 2,
      changedCount: 3,
      changed: [tickets[1], tickets[2]],
      amendedCount: 0,
      amended: [],
      rootIntact: true,
    });
    expect((await whole.verify(year))?.changed).toEqual([tickets[1], tickets[2], tickets[4]]);
    expect(await paged.verify(year - 100)).toBeNull();
  });
});
