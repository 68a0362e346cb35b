import { validateSync } from 'class-validator';
import { IsDay } from './dtos';

class Probe {
  @IsDay()
  day!: unknown;
}

const errorsFor = (day: unknown) => {
  const p = new Probe();
  p.day = day;
  return validateSync(p).map((e) => Object.values(e.constraints ?? {}).join());
};

describe('IsDay: a real calendar day, YYYY-MM-DD', () => {
  it.each(['2026-02-28', '2028-02-29', '2026-12-31', '2027-01-01'])('takes %s', (day) => {
    expect(errorsFor(day)).toEqual([]);
  });

  it.each([
    '2026-02-30',
    '2025-02-29',
    '2026-04-31',
    '2026-13-01',
    '2026-00-10',
    '2026-1-05',
    '20260105',
    '',
    5,
    null,
  ])('refuses %p', (day) => {
    expect(errorsFor(day)).toEqual(['day must be a real day, YYYY-MM-DD']);
  });
});
