import { validateSync } from 'class-validator';
import { IsDay, wordsOf } from './dtos';
import { ProblemException } from './problem';

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

describe("wordsOf: the words of a list's q", () => {
  it('splits on spaces and punctuation, each word once (any case), and asks nothing without q', () => {
    expect(wordsOf(undefined)).toBeUndefined();
    expect(wordsOf(' 噪音  夜间施工，湖南路；a、b')).toEqual(['噪音', '夜间施工', '湖南路', 'a', 'b']);
    expect(wordsOf('probe3 PROBE3 probe3 probe3 probe3 zzzzqqq')).toEqual(['probe3', 'zzzzqqq']);
  });
  it('refuses more than 5 different words rather than drop one unsaid', () => {
    expect(() => wordsOf(' 噪音  夜间施工，湖南路；a、b、c')).toThrow(/6 different words/);
  });
  it('refuses a q of separators only, which would match everything', () => {
    for (const q of [' ', '，，。', ' ; ']) expect(() => wordsOf(q)).toThrow(ProblemException);
  });
});
