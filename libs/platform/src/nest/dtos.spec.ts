import { validateSync } from 'class-validator';
import { DayBetween, IsDay, IsInstant, MinVisibleLength, NotBlank, wordsOf } from './dtos';
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
    expect(errorsFor(day)).toEqual(['day must be a real day, YYYY-MM-DD, in the years 1900–2999']);
  });

  it('refuses a real day outside the years a period can end in (9999-12-27’s week ends in 10000)', () => {
    expect(errorsFor('9999-12-27')).toHaveLength(1);
    expect(errorsFor('3000-01-01')).toHaveLength(1);
    expect(errorsFor('1899-12-31')).toHaveLength(1);
    expect(errorsFor('2999-12-31')).toEqual([]);
    expect(errorsFor('1900-01-01')).toEqual([]);
  });
});

class Instant {
  @IsInstant()
  at!: unknown;
}

describe('IsInstant: a date-time with its offset, in the wire years', () => {
  const errors = (at: unknown) => {
    const p = new Instant();
    p.at = at;
    return validateSync(p).length;
  };
  it('takes one, refuses the year 9999 and a missing offset', () => {
    expect(errors('2026-12-07T10:00:00+08:00')).toBe(0);
    expect(errors('9999-12-31T00:00:00+08:00')).toBe(1);
    expect(errors('2026-12-07T10:00:00')).toBe(1);
  });
});

class Texts {
  @NotBlank()
  title!: unknown;

  @MinVisibleLength(5)
  reason!: unknown;

  @DayBetween('2000-01-01', '2099-12-31')
  termStart!: unknown;
}

const textErrors = (t: Partial<Record<keyof Texts, unknown>>) => {
  const p = Object.assign(new Texts(), { title: '标题', reason: '人工回访需要', termStart: '2026-01-01' }, t);
  return validateSync(p).map((e) => e.property);
};

describe('text that must show something, and days within a span', () => {
  it('takes text that shows', () => {
    expect(textErrors({})).toEqual([]);
  });
  it.each(['   ', '\u200b'.repeat(20), '\u3164\u2060\u3000'])('refuses a title of %j as blank', (title) => {
    expect(textErrors({ title })).toEqual(['title']);
  });
  it('counts only visible characters toward a minimum length', () => {
    expect(textErrors({ reason: '\u200b'.repeat(5) })).toEqual(['reason']);
    expect(textErrors({ reason: `回访\u200b\u200b\u200b` })).toEqual(['reason']);
    expect(textErrors({ reason: '回访需要电话' })).toEqual([]);
  });
  it('takes a day within the span, both ends, and refuses one outside it', () => {
    expect(textErrors({ termStart: '2099-12-31' })).toEqual([]);
    expect(textErrors({ termStart: '2000-01-01' })).toEqual([]);
    expect(textErrors({ termStart: '9999-12-31' })).toEqual(['termStart']);
    expect(textErrors({ termStart: '1999-12-31' })).toEqual(['termStart']);
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
