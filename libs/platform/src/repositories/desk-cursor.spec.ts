import { decodeDeskCursor, encodeDeskCursor } from './desk-cursor';
import type { DeskCursor } from './desk-cursor';

describe('the desk cursor', () => {
  const c = {
    sort: 'deadline' as const,
    due: '2026-12-07T10:00:00.123456Z',
    at: '2026-12-07T09:00:00.000001Z',
    ticketNo: '20261207000001',
  };
  /** A cursor as the desk would write it, whatever its parts hold. */
  const written = (parts: unknown[]) => Buffer.from(JSON.stringify(parts)).toString('base64url');

  it('reads back what it wrote, for the same order only', () => {
    expect(decodeDeskCursor(encodeDeskCursor(c), 'deadline')).toEqual(c);
    expect(decodeDeskCursor(encodeDeskCursor({ ...c, due: null }), 'deadline')).toEqual({ ...c, due: null });
    expect(decodeDeskCursor(encodeDeskCursor(c), 'dispatched')).toBeNull();
  });

  it('carries whether the row is anonymous in the priority order (real-name appeals first), and only there', () => {
    for (const anonymous of [true, false]) {
      const p = { ...c, sort: 'priority' as const, anonymous };
      expect(decodeDeskCursor(encodeDeskCursor(p), 'priority')).toEqual(p);
      expect(decodeDeskCursor(encodeDeskCursor(p), 'deadline')).toBeNull();
    }
    expect(decodeDeskCursor(encodeDeskCursor(c), 'priority')).toBeNull();
    expect(decodeDeskCursor(written(['priority', 'yes', c.due, c.at, c.ticketNo]), 'priority')).toBeNull();
    expect(decodeDeskCursor(written(['priority', null, c.due, c.at, c.ticketNo]), 'priority')).toBeNull();
  });

  it.each<DeskCursor>([
    // The edges of real instants: a leap day, the last moment of a year, the first and last years.
    { sort: 'dispatched', due: null, at: '2028-02-29T23:59:59.999999Z', ticketNo: '20280301000001' },
    {
      sort: 'deadline',
      due: '2026-12-31T23:59:59.999999Z',
      at: '2026-01-01T00:00:00.000000Z',
      ticketNo: '20260101999999',
    },
    {
      sort: 'deadline',
      due: '2100-12-31T00:00:00.000000Z',
      at: '2000-01-01T00:00:00.000000Z',
      ticketNo: '20000101000001',
    },
    {
      sort: 'dispatched',
      due: '2026-04-30T16:00:00.000000Z',
      at: '2026-06-30T12:30:45.500000Z',
      ticketNo: '20260630000042',
    },
  ])('reads back every cursor the desk writes: %j', (cursor) => {
    expect(decodeDeskCursor(encodeDeskCursor(cursor), cursor.sort)).toEqual(cursor);
  });

  it('reads back a cursor from the times the desk reads out of Postgres (to_char … US"Z")', () => {
    // What Date prints, with its milliseconds taken to microseconds as to_char writes them.
    const pgTime = (ms: number) => new Date(ms).toISOString().replace(/Z$/, '000Z');
    const at = pgTime(Date.parse('2026-03-02T01:00:00Z'));
    const due = pgTime(Date.parse('2026-03-02T13:00:00.123Z'));
    const cursor: DeskCursor = { sort: 'deadline', due, at, ticketNo: '20260302000007' };
    expect(decodeDeskCursor(encodeDeskCursor(cursor), 'deadline')).toEqual(cursor);
  });

  it.each([
    '',
    'not a cursor',
    'e30',
    Buffer.from('["deadline",null,"2026-12-07","20261207000001"]').toString('base64url'),
    Buffer.from('["deadline",null,"2026-12-07T09:00:00.000001Z","1 OR 1=1"]').toString('base64url'),
    Buffer.from('["deadline",5,"2026-12-07T09:00:00.000001Z","20261207000001"]').toString('base64url'),
    'A'.repeat(301),
  ])('refuses what it did not write: %j', (text) => {
    expect(decodeDeskCursor(text, 'deadline')).toBeNull();
  });

  // Each has the shape of a desk time but is no instant: Postgres would refuse `::timestamptz` (a 500).
  const impossible = [
    '2026-13-45T99:99:99.000000Z', // no such month, day, hour, minute or second
    '2026-02-30T00:00:00.000000Z', // 30 February
    '2026-02-29T00:00:00.000000Z', // 29 February of a common year
    '2100-02-29T00:00:00.000000Z', // nor of a century that is not a leap year
    '2026-04-31T00:00:00.000000Z', // 31 April
    '2026-00-10T00:00:00.000000Z', // month 0
    '2026-12-00T00:00:00.000000Z', // day 0
    '2026-12-07T24:00:00.000000Z', // hour 24
    '2026-12-07T23:60:00.000000Z', // minute 60
    '2026-12-07T23:59:60.000000Z', // a leap second
    '0000-01-01T00:00:00.000000Z', // year 0
    '1999-12-31T23:59:59.999999Z', // before any desk
    '2101-01-01T00:00:00.000000Z', // after any desk
    '9999-12-31T23:59:59.999999Z',
  ];

  it.each(impossible)('refuses a cursor dispatched at %s', (at) => {
    expect(decodeDeskCursor(written(['dispatched', null, at, '20261207000001']), 'dispatched')).toBeNull();
    expect(decodeDeskCursor(written(['deadline', c.due, at, c.ticketNo]), 'deadline')).toBeNull();
  });

  it.each(impossible)('refuses a cursor due at %s', (due) => {
    expect(decodeDeskCursor(written(['deadline', due, c.at, c.ticketNo]), 'deadline')).toBeNull();
  });

  it.each([
    ['a number', 20261207000001],
    ['too short', '2026120700001'],
    ['too long', '202612070000011'],
    ['not digits', '2026120700000A'],
    ['a registry number', '(2026)领001号'],
    ['null', null],
  ])('refuses a cursor whose ticket number is not one: %s', (_what, ticketNo) => {
    expect(decodeDeskCursor(written(['deadline', c.due, c.at, ticketNo]), 'deadline')).toBeNull();
  });
});
