import { archiveYearProblem, chinaYearBounds, verifyArchive } from './archive';

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
        { ticketNo: '20250102000002', sealed: 'a', now: 'a' },
        { ticketNo: '20250101000009', sealed: 'b', now: 'c' },
        { ticketNo: '20250101000001', sealed: 'd', now: null },
      ]),
    ).toEqual({ checked: 3, unchanged: 1, changed: ['20250101000001', '20250101000009'] });
    expect(verifyArchive([])).toEqual({ checked: 0, unchanged: 0, changed: [] });
  });
});
