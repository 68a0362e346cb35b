import { amendmentOf, ArchiveCheck, archiveYearProblem, chinaYearBounds, verifyArchive } from './archive';

describe('the yearly archive (RULES §8)', () => {
  it('a year spans its China days: from 1 January 00:00 (UTC+8) to the next', () => {
    expect(chinaYearBounds(2025)).toEqual({
      from: '2024-12-31T16:00:00.000Z',
      to: '2025-12-31T16:00:00.000Z',
    });
  });

  it('is sealed once it is over in China, not a moment before', () => {
    expect(archiveYearProblem(2025, new Date('2025-12-31T15:59:59.999Z'))?.code).toBe('archive_year_open');
    expect(archiveYearProblem(2025, new Date('2025-12-31T16:00:00.000Z'))).toBeNull();
    expect(archiveYearProblem(2026, new Date('2026-12-06T00:00:00Z'))?.code).toBe('archive_year_open');
  });

  it('refuses what is not a year the platform could hold', () => {
    const now = new Date('2026-12-06T00:00:00Z');
    for (const y of [1999, 2025.5, Number.NaN, 9999, -2025])
      expect(archiveYearProblem(y, now)?.code).toBe('validation_failed');
    expect(archiveYearProblem(2000, now)).toBeNull();
  });

  it('names every record whose digest is no longer the one sealed, gone ones too', () => {
    expect(
      verifyArchive([
        { ticketNo: '20250102000002', sealed: 'a', amended: null, now: 'a' },
        { ticketNo: '20250101000009', sealed: 'b', amended: null, now: 'c' },
        { ticketNo: '20250101000001', sealed: 'd', amended: null, now: null },
      ]),
    ).toEqual({
      checked: 3,
      unchanged: 1,
      changedCount: 2,
      changed: ['20250101000001', '20250101000009'],
      amendedCount: 0,
      amended: [],
    });
    expect(verifyArchive([])).toEqual({
      checked: 0,
      unchanged: 0,
      changedCount: 0,
      changed: [],
      amendedCount: 0,
      amended: [],
    });
  });

  it('checks an amended record against its latest amendment, and names it as amended', () => {
    expect(
      verifyArchive([
        { ticketNo: '20250101000003', sealed: 'a', amended: 'b', now: 'b' },
        { ticketNo: '20250101000002', sealed: 'c', amended: 'd', now: 'c' },
        { ticketNo: '20250101000001', sealed: 'e', amended: 'f', now: 'g' },
      ]),
    ).toEqual({
      checked: 3,
      unchanged: 1,
      changedCount: 2,
      changed: ['20250101000001', '20250101000002'], // back to its seal is a change too
      amendedCount: 3,
      amended: ['20250101000001', '20250101000002', '20250101000003'],
    });
  });

  it('takes a year a page at a time, counting every record and naming the first of each list by number', () => {
    const no = (i: number) => `2025010${String(i).padStart(7, '0')}`;
    const check = new ArchiveCheck(3);
    // 10 pages of 100, the pages in no order: every odd record changed, every fifth amended.
    for (const p of [7, 2, 9, 0, 4, 1, 8, 3, 6, 5])
      check.add(
        Array.from({ length: 100 }, (_, k) => {
          const i = p * 100 + (99 - k);
          return {
            ticketNo: no(i),
            sealed: 's',
            amended: i % 5 === 0 ? 'a' : null,
            now: i % 2 ? 'x' : i % 5 === 0 ? 'a' : 's',
          };
        }),
      );
    expect(check.result()).toEqual({
      checked: 1000,
      unchanged: 500,
      changedCount: 500,
      changed: [no(1), no(3), no(5)],
      amendedCount: 200,
      amended: [no(0), no(5), no(10)],
    });
  });

  it('names at most 1,000 records a list, however many changed', () => {
    const entries = Array.from({ length: 2500 }, (_, i) => ({
      ticketNo: `2025${String(2500 - i).padStart(10, '0')}`,
      sealed: 's',
      amended: null,
      now: 'x',
    }));
    const found = verifyArchive(entries);
    expect(found.changedCount).toBe(2500);
    expect(found.changed).toHaveLength(1000);
    expect(found.changed[0]).toBe('20250000000001');
    expect(found.changed[999]).toBe('20250000001000');
  });

  describe('amendmentOf (补充归档)', () => {
    const no = '20250101000001';
    it('amends a record changed since its seal, or since its latest amendment, from the digest it stood on', () => {
      expect(amendmentOf({ ticketNo: no, sealed: 'a', amended: null, now: 'b' })).toEqual({
        kind: 'amend',
        previousDigest: 'a',
        digest: 'b',
      });
      expect(amendmentOf({ ticketNo: no, sealed: 'a', amended: 'b', now: 'c' })).toEqual({
        kind: 'amend',
        previousDigest: 'b',
        digest: 'c',
      });
    });

    it('refuses a record unchanged since its seal; one unchanged since its amendment is that amendment', () => {
      expect(amendmentOf({ ticketNo: no, sealed: 'a', amended: null, now: 'a' })).toEqual({
        kind: 'unchanged',
      });
      expect(amendmentOf({ ticketNo: no, sealed: 'a', amended: 'b', now: 'b' })).toEqual({ kind: 'already' });
    });

    it('does not amend a record that is gone', () => {
      expect(amendmentOf({ ticketNo: no, sealed: 'a', amended: null, now: null })).toEqual({
        kind: 'record_missing',
      });
    });
  });
});
