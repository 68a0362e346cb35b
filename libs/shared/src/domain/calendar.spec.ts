import daysJson from 'chinese-days/dist/chinese-days.json';
import {
  addDuration,
  describeDurationZh,
  durationAmountProblem,
  formatDuration,
  parseDuration,
  WorkingCalendar,
  DURATION_UNITS,
} from './calendar';
import type { CalendarData, Duration } from './calendar';
import { CALENDAR_SOURCES, CN_MAINLAND_CALENDAR } from './calendar-data';

const HOUR = 3_600_000;
const cal = new WorkingCalendar(CN_MAINLAND_CALENDAR);

/** An instant written with its offset, e.g. '2026-02-13T15:00:00+08:00'. */
const at = (iso: string) => new Date(iso);
/** The instant as China wall time with an explicit +08:00 offset, so failures read like the assertions. */
const china = (d: Date) => new Date(d.getTime() + 8 * HOUR).toISOString().replace('Z', '+08:00');

const addWd = (iso: string, n: number) => china(cal.addWorkingDays(at(iso), n));
const addWh = (iso: string, h: number) => china(cal.addWorkingHours(at(iso), h));

/** Every 'YYYY-MM-DD' of a year (UTC date arithmetic in the test only). */
const daysOfYear = (year: number): string[] => {
  const out: string[] = [];
  for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += 24 * HOUR) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
};
const weekday = (day: string) => new Date(`${day}T00:00:00Z`).getUTCDay();

const data = (patch: Partial<CalendarData>): CalendarData => ({
  id: 'test',
  name: '测试日历',
  holidays: [],
  adjustedWorkdays: [],
  workingHours: [{ start: '09:00', end: '17:00' }],
  ...patch,
});

describe('test helpers', () => {
  it('write instants as China wall time', () => {
    expect(china(new Date('2026-02-13T07:00:00Z'))).toBe('2026-02-13T15:00:00.000+08:00');
    expect(china(at('2026-02-24T23:59:59.999+08:00'))).toBe('2026-02-24T23:59:59.999+08:00');
  });
});

describe('WorkingCalendar: which days are working days', () => {
  it('counts Monday to Friday, not weekends', () => {
    expect(cal.isWorkingDay('2026-03-02')).toBe(true); // Mon
    expect(cal.isWorkingDay('2026-03-06')).toBe(true); // Fri
    expect(cal.isWorkingDay('2026-03-07')).toBe(false); // Sat
    expect(cal.isWorkingDay('2026-03-08')).toBe(false); // Sun
  });

  it('takes holidays out and adjusted workdays (调休) in', () => {
    expect(cal.isWorkingDay('2026-10-05')).toBe(false); // Mon, National Day
    expect(cal.isWorkingDay('2026-02-16')).toBe(false); // Mon, Spring Festival
    expect(cal.isWorkingDay('2026-02-14')).toBe(true); // Sat, adjusted workday
    expect(cal.isWorkingDay('2026-09-20')).toBe(true); // Sun, adjusted workday
    expect(cal.isWorkingDay('2026-10-10')).toBe(true); // Sat, adjusted workday
    expect(cal.isWorkingDay('2026-10-11')).toBe(false); // Sun
  });

  it('takes the China day of an instant, not the UTC or local day', () => {
    expect(cal.isWorkingDay(at('2026-09-30T23:59:59.999+08:00'))).toBe(true); // Wed
    expect(cal.isWorkingDay(at('2026-10-01T00:00:00.000+08:00'))).toBe(false); // National Day
    expect(cal.isWorkingDay(new Date('2026-09-30T16:00:00Z'))).toBe(false); // = 10-01 00:00 China
    expect(cal.isWorkingDay(new Date('2026-10-09T16:00:00Z'))).toBe(true); // = Sat 10-10 00:00, adjusted
    expect(cal.isWorkingDay(new Date('2026-10-10T16:00:00Z'))).toBe(false); // = Sun 10-11 00:00
  });

  it('rejects malformed days', () => {
    for (const bad of ['2026-2-14', '2026-02-30', '2025-02-29', '20260214', '2026-02-14T00:00', '']) {
      expect(() => cal.isWorkingDay(bad)).toThrow(RangeError);
      expect(() => cal.nextWorkingDay(bad)).toThrow(RangeError);
    }
    expect(() => cal.isWorkingDay(new Date('nonsense'))).toThrow(RangeError);
    expect(cal.isWorkingDay('2024-02-29')).toBe(true); // a leap day is a date
  });

  it('finds the next working day, strictly after the given one', () => {
    expect(cal.nextWorkingDay('2026-03-02')).toBe('2026-03-03');
    expect(cal.nextWorkingDay('2026-03-06')).toBe('2026-03-09'); // Fri → Mon
    expect(cal.nextWorkingDay('2026-02-13')).toBe('2026-02-14'); // → adjusted Sat
    expect(cal.nextWorkingDay('2026-02-14')).toBe('2026-02-24'); // over the Spring Festival
    expect(cal.nextWorkingDay('2026-09-30')).toBe('2026-10-08'); // over National Day
    expect(cal.nextWorkingDay('2026-10-09')).toBe('2026-10-10'); // → adjusted Sat
    expect(cal.nextWorkingDay('2026-10-10')).toBe('2026-10-12');
    expect(cal.nextWorkingDay('2025-12-31')).toBe('2026-01-04'); // New Year, then adjusted Sun
    expect(cal.nextWorkingDay('2026-12-31')).toBe('2027-01-04'); // across the year
  });
});

describe('WorkingCalendar.addWorkingDays: the end of the n-th working day after the day of receipt', () => {
  it('2026 Spring Festival (holidays 02-15…23; adjusted workdays Sat 02-14 and Sat 02-28)', () => {
    // Received Friday afternoon: day 1 is the adjusted Saturday, day 2 the first day after the holiday.
    expect(addWd('2026-02-13T15:00:00+08:00', 1)).toBe('2026-02-14T23:59:59.999+08:00');
    expect(addWd('2026-02-13T15:00:00+08:00', 2)).toBe('2026-02-24T23:59:59.999+08:00');
    expect(addWd('2026-02-13T15:00:00+08:00', 3)).toBe('2026-02-25T23:59:59.999+08:00');
    // Received on the adjusted Saturday itself, and during the holiday.
    expect(addWd('2026-02-14T10:00:00+08:00', 1)).toBe('2026-02-24T23:59:59.999+08:00');
    expect(addWd('2026-02-18T10:00:00+08:00', 1)).toBe('2026-02-24T23:59:59.999+08:00');
    expect(addWd('2026-02-23T17:00:00+08:00', 1)).toBe('2026-02-24T23:59:59.999+08:00');
    // The second adjusted Saturday.
    expect(addWd('2026-02-27T09:00:00+08:00', 1)).toBe('2026-02-28T23:59:59.999+08:00');
    expect(addWd('2026-02-27T09:00:00+08:00', 2)).toBe('2026-03-02T23:59:59.999+08:00');
  });

  it('2026 National Day (holidays 10-01…07; adjusted workdays Sun 09-20 and Sat 10-10)', () => {
    expect(addWd('2026-09-18T11:00:00+08:00', 1)).toBe('2026-09-20T23:59:59.999+08:00'); // Fri → adjusted Sun
    expect(addWd('2026-09-24T11:00:00+08:00', 1)).toBe('2026-09-28T23:59:59.999+08:00'); // Mid-Autumn 09-25…27
    expect(addWd('2026-09-30T10:00:00+08:00', 1)).toBe('2026-10-08T23:59:59.999+08:00');
    expect(addWd('2026-09-30T10:00:00+08:00', 3)).toBe('2026-10-10T23:59:59.999+08:00'); // 08, 09, Sat 10
    // GS: "answer within 7 working days": 09-29, 09-30, 10-08, 10-09, 10-10, 10-12, 10-13.
    expect(addWd('2026-09-28T09:00:00+08:00', 7)).toBe('2026-10-13T23:59:59.999+08:00');
  });

  it('a ticket received on a holiday counts from the next working day', () => {
    expect(addWd('2026-10-03T10:00:00+08:00', 1)).toBe('2026-10-08T23:59:59.999+08:00');
    expect(addWd('2026-10-07T23:59:59.999+08:00', 1)).toBe('2026-10-08T23:59:59.999+08:00');
  });

  it('crosses an adjusted Saturday (调休) as a working day', () => {
    expect(addWd('2026-10-09T16:00:00+08:00', 1)).toBe('2026-10-10T23:59:59.999+08:00');
    expect(addWd('2026-10-09T16:00:00+08:00', 2)).toBe('2026-10-12T23:59:59.999+08:00');
  });

  it('2025 National Day with Mid-Autumn (10-01…08; adjusted workdays Sun 09-28 and Sat 10-11)', () => {
    expect(addWd('2025-09-26T10:00:00+08:00', 1)).toBe('2025-09-28T23:59:59.999+08:00');
    expect(addWd('2025-09-30T10:00:00+08:00', 1)).toBe('2025-10-09T23:59:59.999+08:00');
    expect(addWd('2025-09-30T10:00:00+08:00', 3)).toBe('2025-10-11T23:59:59.999+08:00');
  });

  it('never counts the start day, whatever the hour', () => {
    expect(addWd('2026-03-02T00:00:00+08:00', 1)).toBe('2026-03-03T23:59:59.999+08:00');
    expect(addWd('2026-03-02T08:00:00+08:00', 1)).toBe('2026-03-03T23:59:59.999+08:00');
    expect(addWd('2026-03-06T23:59:59.999+08:00', 1)).toBe('2026-03-09T23:59:59.999+08:00'); // Fri → Mon
    expect(addWd('2026-03-07T00:00:00+08:00', 1)).toBe('2026-03-09T23:59:59.999+08:00'); // Sat → Mon
  });

  it('uses the China day of the start: 16:30 UTC Thursday is already Friday in China', () => {
    expect(china(cal.addWorkingDays(new Date('2026-03-05T16:30:00Z'), 1))).toBe(
      '2026-03-09T23:59:59.999+08:00',
    );
    expect(china(cal.addWorkingDays(new Date('2026-03-05T15:59:59.999Z'), 1))).toBe(
      '2026-03-06T23:59:59.999+08:00',
    );
  });

  it('ends at exactly 23:59:59.999 China time, one millisecond before the next China day', () => {
    const due = cal.addWorkingDays(at('2026-02-13T15:00:00+08:00'), 2);
    expect(due.getTime()).toBe(Date.parse('2026-02-24T23:59:59.999+08:00'));
    expect(due.getTime()).toBe(Date.parse('2026-02-24T15:59:59.999Z'));
    expect(due.getTime() + 1).toBe(Date.parse('2026-02-25T00:00:00+08:00'));
    expect(cal.isWorkingDay(due)).toBe(true);
  });

  it('n = 0: the end of the start day if it is a working day, else of the next working day', () => {
    expect(addWd('2026-03-02T10:00:00+08:00', 0)).toBe('2026-03-02T23:59:59.999+08:00');
    expect(addWd('2026-03-02T23:59:59.999+08:00', 0)).toBe('2026-03-02T23:59:59.999+08:00');
    expect(addWd('2026-10-10T08:00:00+08:00', 0)).toBe('2026-10-10T23:59:59.999+08:00'); // adjusted Sat
    expect(addWd('2026-10-03T10:00:00+08:00', 0)).toBe('2026-10-08T23:59:59.999+08:00'); // holiday
    expect(addWd('2026-03-07T10:00:00+08:00', 0)).toBe('2026-03-09T23:59:59.999+08:00'); // Sat
  });

  it('rejects a negative or fractional number of days and an invalid start', () => {
    const start = at('2026-03-02T10:00:00+08:00');
    for (const n of [-1, 1.5, NaN, Infinity]) expect(() => cal.addWorkingDays(start, n)).toThrow(RangeError);
    expect(() => cal.addWorkingDays(new Date(NaN), 1)).toThrow(RangeError);
  });

  it('outside the years of the data, Monday to Friday are working days', () => {
    expect(addWd('2030-03-01T10:00:00+08:00', 1)).toBe('2030-03-04T23:59:59.999+08:00'); // Fri → Mon
  });

  it('is fast over years', () => {
    // 2025-2027 hold 248 + 248 + 254 working days (2027 without its notice): 750 after 2024-12-31.
    expect(addWd('2024-12-31T12:00:00+08:00', 750)).toBe('2027-12-31T23:59:59.999+08:00');
    expect(cal.addWorkingDays(at('2026-01-05T09:00:00+08:00'), 100_000).getTime()).toBeGreaterThan(
      Date.parse('2400-01-01T00:00:00Z'),
    );
  });
});

describe('WorkingCalendar.addWorkingHours: office hours 09:00–12:00 and 13:30–17:30 of working days', () => {
  it('starts inside an interval', () => {
    expect(addWh('2026-03-02T10:00:00+08:00', 1)).toBe('2026-03-02T11:00:00.000+08:00');
    expect(addWh('2026-03-02T10:00:00+08:00', 2.5)).toBe('2026-03-02T14:00:00.000+08:00'); // over lunch
    expect(addWh('2026-03-02T15:00:00+08:00', 4)).toBe('2026-03-03T10:30:00.000+08:00'); // 2.5 h, then 1.5 h
  });

  it('ends at an interval end exactly, not at the next start', () => {
    expect(addWh('2026-03-02T10:00:00+08:00', 2)).toBe('2026-03-02T12:00:00.000+08:00');
    expect(addWh('2026-03-02T14:30:00+08:00', 3)).toBe('2026-03-02T17:30:00.000+08:00');
    expect(addWh('2026-03-02T09:00:00+08:00', 7)).toBe('2026-03-02T17:30:00.000+08:00'); // a full day
  });

  it('a start outside office hours begins at the next interval start', () => {
    expect(addWh('2026-03-02T07:00:00+08:00', 1)).toBe('2026-03-02T10:00:00.000+08:00'); // early
    expect(addWh('2026-03-02T12:00:00+08:00', 1)).toBe('2026-03-02T14:30:00.000+08:00'); // lunch starts
    expect(addWh('2026-03-02T12:15:00+08:00', 1)).toBe('2026-03-02T14:30:00.000+08:00'); // at lunch
    expect(addWh('2026-03-02T17:30:00+08:00', 1)).toBe('2026-03-03T10:00:00.000+08:00'); // at closing
    expect(addWh('2026-03-02T18:00:00+08:00', 1)).toBe('2026-03-03T10:00:00.000+08:00'); // evening
  });

  it('Friday evening goes to Monday; Friday afternoon carries over to Monday', () => {
    expect(addWh('2026-03-06T18:00:00+08:00', 2)).toBe('2026-03-09T11:00:00.000+08:00');
    expect(addWh('2026-03-06T16:30:00+08:00', 2)).toBe('2026-03-09T10:00:00.000+08:00');
    expect(addWh('2026-03-07T10:00:00+08:00', 1)).toBe('2026-03-09T10:00:00.000+08:00'); // Saturday
  });

  it('works on adjusted workdays and skips the Spring Festival', () => {
    // Fri 02-13 16:00–17:30 = 1.5 h; Sat 02-14 (adjusted) = 7 h; then Tue 02-24.
    expect(addWh('2026-02-13T16:00:00+08:00', 4)).toBe('2026-02-14T11:30:00.000+08:00');
    expect(addWh('2026-02-13T16:00:00+08:00', 8)).toBe('2026-02-14T17:00:00.000+08:00');
    expect(addWh('2026-02-13T16:00:00+08:00', 8.5)).toBe('2026-02-14T17:30:00.000+08:00');
    expect(addWh('2026-02-13T16:00:00+08:00', 10)).toBe('2026-02-24T10:30:00.000+08:00');
    expect(addWh('2026-02-18T10:00:00+08:00', 1)).toBe('2026-02-24T10:00:00.000+08:00'); // during it
    expect(addWh('2026-09-19T10:00:00+08:00', 1)).toBe('2026-09-20T10:00:00.000+08:00'); // Sat → adjusted Sun
    expect(addWh('2026-10-01T10:00:00+08:00', 1)).toBe('2026-10-08T10:00:00.000+08:00'); // National Day
  });

  it('takes fractions of an hour', () => {
    expect(addWh('2026-03-02T10:00:00+08:00', 1.5)).toBe('2026-03-02T11:30:00.000+08:00');
    expect(addWh('2026-03-02T10:00:00+08:00', 0.25)).toBe('2026-03-02T10:15:00.000+08:00');
    expect(addWh('2026-03-02T10:00:00+08:00', 1 / 3)).toBe('2026-03-02T10:20:00.000+08:00');
    expect(addWh('2026-03-02T11:45:00+08:00', 0.5)).toBe('2026-03-02T13:45:00.000+08:00');
  });

  it('zero hours is the start itself', () => {
    expect(addWh('2026-03-02T10:00:00+08:00', 0)).toBe('2026-03-02T10:00:00.000+08:00');
    expect(addWh('2026-03-07T22:00:00+08:00', 0)).toBe('2026-03-07T22:00:00.000+08:00');
  });

  it('rejects negative or non-finite hours and an invalid start', () => {
    const start = at('2026-03-02T10:00:00+08:00');
    for (const h of [-1, NaN, Infinity]) expect(() => cal.addWorkingHours(start, h)).toThrow(RangeError);
    expect(() => cal.addWorkingHours(new Date(NaN), 1)).toThrow(RangeError);
  });

  it('jumps whole days, so long spans are fast', () => {
    const start = at('2025-01-01T00:00:00+08:00');
    const t0 = Date.now();
    // All 750 working days of 2025–2027 at 7 h each: ends at the close of the last one.
    expect(addWh('2025-01-01T00:00:00+08:00', 750 * 7)).toBe('2027-12-31T17:30:00.000+08:00');
    const far = cal.addWorkingHours(start, 7 * 250 * 100);
    expect(cal.workingTimeBetween(start, far)).toBe(7 * 250 * 100 * HOUR);
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('a calendar with office hours until midnight carries on after midnight', () => {
    const allDay = new WorkingCalendar(data({ workingHours: [{ start: '00:00', end: '24:00' }] }));
    expect(china(allDay.addWorkingHours(at('2026-03-06T22:00:00+08:00'), 4))).toBe(
      '2026-03-09T02:00:00.000+08:00',
    );
    expect(china(allDay.addWorkingHours(at('2026-03-02T22:00:00+08:00'), 2))).toBe(
      '2026-03-03T00:00:00.000+08:00',
    );
  });
});

describe('WorkingCalendar.workingTimeBetween', () => {
  it('counts only office time of working days', () => {
    const between = (a: string, b: string) => cal.workingTimeBetween(at(a), at(b)) / HOUR;
    expect(between('2026-03-02T09:00:00+08:00', '2026-03-02T17:30:00+08:00')).toBe(7);
    expect(between('2026-03-02T00:00:00+08:00', '2026-03-03T00:00:00+08:00')).toBe(7);
    expect(between('2026-03-02T11:00:00+08:00', '2026-03-02T14:00:00+08:00')).toBe(1.5);
    expect(between('2026-03-02T12:10:00+08:00', '2026-03-02T13:20:00+08:00')).toBe(0); // lunch
    expect(between('2026-03-06T17:00:00+08:00', '2026-03-09T09:30:00+08:00')).toBe(1); // weekend
    // Fri 02-13, Sat 02-14 (adjusted) and Tue 02-24; the Spring Festival counts nothing.
    expect(between('2026-02-13T00:00:00+08:00', '2026-02-25T00:00:00+08:00')).toBe(21);
    expect(between('2026-10-01T00:00:00+08:00', '2026-10-08T00:00:00+08:00')).toBe(0);
  });

  it('is 0 when `to` is not after `from`', () => {
    expect(cal.workingTimeBetween(at('2026-03-02T10:00:00+08:00'), at('2026-03-02T10:00:00+08:00'))).toBe(0);
    expect(cal.workingTimeBetween(at('2026-03-03T10:00:00+08:00'), at('2026-03-02T10:00:00+08:00'))).toBe(0);
  });

  it('measures exactly what addWorkingHours added, and the deadline is the first instant that does', () => {
    const windows = [
      ['2026-02-12T00:00:00+08:00', '2026-02-16T00:00:00+08:00'],
      ['2026-09-17T00:00:00+08:00', '2026-09-21T00:00:00+08:00'],
      ['2026-09-30T06:00:00+08:00', '2026-10-11T00:00:00+08:00'],
    ];
    const amounts = [0.25, 1, 1.5, 3, 4, 7, 12, 40];
    let checked = 0;
    for (const [from, to] of windows) {
      for (let t = Date.parse(from); t < Date.parse(to); t += 45 * 60_000) {
        for (const h of amounts) {
          const start = new Date(t);
          const due = cal.addWorkingHours(start, h);
          expect(cal.workingTimeBetween(start, due)).toBe(h * HOUR);
          expect(cal.workingTimeBetween(start, new Date(due.getTime() - 1))).toBe(h * HOUR - 1);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(3000);
  });
});

describe('addDuration', () => {
  const start = at('2026-02-13T15:00:00+08:00'); // Fri before the Spring Festival
  const add = (d: Duration, from = start) => china(addDuration(from, d, cal));

  it('clock units are 24 × 7 elapsed time and ignore the calendar', () => {
    expect(add({ amount: 30, unit: 'minutes' })).toBe('2026-02-13T15:30:00.000+08:00');
    expect(add({ amount: 12, unit: 'hours' })).toBe('2026-02-14T03:00:00.000+08:00');
    expect(add({ amount: 1.5, unit: 'hours' })).toBe('2026-02-13T16:30:00.000+08:00');
    expect(add({ amount: 6, unit: 'days' })).toBe('2026-02-19T15:00:00.000+08:00'); // in the holiday
    expect(add({ amount: 1, unit: 'days' }, at('2026-09-30T20:00:00+08:00'))).toBe(
      '2026-10-01T20:00:00.000+08:00',
    );
    expect(add({ amount: 0, unit: 'hours' })).toBe('2026-02-13T15:00:00.000+08:00');
  });

  it('working units follow the calendar', () => {
    expect(add({ amount: 2, unit: 'working_days' })).toBe('2026-02-24T23:59:59.999+08:00');
    expect(add({ amount: 0, unit: 'working_days' })).toBe('2026-02-13T23:59:59.999+08:00');
    expect(add({ amount: 4, unit: 'working_hours' })).toBe('2026-02-14T10:30:00.000+08:00');
    expect(add({ amount: 12, unit: 'working_hours' })).toBe('2026-02-24T11:30:00.000+08:00'); // 2.5 + 7 + 2.5
  });

  it('rejects invalid durations', () => {
    const bad = [
      { amount: 1.5, unit: 'working_days' },
      { amount: -1, unit: 'hours' },
      { amount: NaN, unit: 'hours' },
      { amount: Infinity, unit: 'days' },
      { amount: 1, unit: 'weeks' },
      { amount: '1', unit: 'hours' },
    ] as unknown as Duration[];
    for (const d of bad) expect(() => addDuration(start, d, cal)).toThrow(RangeError);
    expect(() => addDuration(new Date(NaN), { amount: 1, unit: 'hours' }, cal)).toThrow(RangeError);
  });
});

describe('parseDuration, formatDuration, describeDurationZh', () => {
  const cases: [string, Duration, string][] = [
    ['30m', { amount: 30, unit: 'minutes' }, '30分钟'],
    ['12h', { amount: 12, unit: 'hours' }, '12小时'],
    ['1.5h', { amount: 1.5, unit: 'hours' }, '1.5小时'],
    ['6d', { amount: 6, unit: 'days' }, '6天'],
    ['2wd', { amount: 2, unit: 'working_days' }, '2个工作日'],
    ['0wd', { amount: 0, unit: 'working_days' }, '0个工作日'],
    ['4wh', { amount: 4, unit: 'working_hours' }, '4个工作小时'],
    ['0.5wh', { amount: 0.5, unit: 'working_hours' }, '0.5个工作小时'],
  ];

  it.each(cases)('%s', (text, duration, zh) => {
    expect(parseDuration(text)).toEqual(duration);
    expect(formatDuration(duration)).toBe(text);
    expect(parseDuration(formatDuration(duration))).toEqual(duration);
    expect(describeDurationZh(duration)).toBe(zh);
  });

  it('covers every unit', () => {
    expect(new Set(cases.map(([, d]) => d.unit))).toEqual(new Set(DURATION_UNITS));
  });

  it('reads non-canonical decimals to the same duration', () => {
    expect(parseDuration('012h')).toEqual({ amount: 12, unit: 'hours' });
    expect(parseDuration('2.0wd')).toEqual({ amount: 2, unit: 'working_days' });
    expect(formatDuration(parseDuration('1.50h'))).toBe('1.5h');
  });

  it('rejects anything else', () => {
    const bad = [
      '',
      '5x',
      '-1h',
      '+1h',
      '1.5wd',
      'h',
      '12',
      '12 h',
      ' 12h',
      '12h ',
      '12H',
      '1e3h',
      '.5h',
      '5.h',
    ];
    for (const text of [...bad, '2w', '2dw', '2wdd', '１２h', '1,5h']) {
      expect(() => parseDuration(text)).toThrow(RangeError);
    }
    expect(() => parseDuration(undefined as unknown as string)).toThrow(RangeError);
  });

  it('formats only valid durations', () => {
    const bad = [
      { amount: -1, unit: 'hours' },
      { amount: NaN, unit: 'hours' },
      { amount: 1e21, unit: 'hours' }, // would print as 1e+21
      { amount: 1e-7, unit: 'hours' }, // would print as 1e-7
      { amount: 1.5, unit: 'working_days' },
      { amount: 1, unit: 'weeks' },
      null,
    ] as unknown as Duration[];
    for (const d of bad) {
      expect(() => formatDuration(d)).toThrow(RangeError);
      expect(() => describeDurationZh(d)).toThrow(RangeError);
    }
  });
});

describe('WorkingCalendar: validation of its data', () => {
  const make = (patch: Partial<CalendarData>) => () => new WorkingCalendar(data(patch));

  it('accepts good data, touching intervals and a 24-hour day', () => {
    expect(make({})).not.toThrow();
    expect(
      make({
        workingHours: [
          { start: '09:00', end: '12:00' },
          { start: '12:00', end: '13:00' },
        ],
      }),
    ).not.toThrow();
    expect(make({ workingHours: [{ start: '00:00', end: '24:00' }] })).not.toThrow();
    expect(make({ holidays: ['2026-10-01', '2026-10-01'] })).not.toThrow(); // a repeat is harmless
  });

  it('rejects malformed dates, naming them', () => {
    expect(make({ holidays: ['2026-2-1'] })).toThrow(/calendar test: holiday "2026-2-1" is not a date/);
    expect(make({ holidays: ['2026-02-30'] })).toThrow(RangeError);
    expect(make({ adjustedWorkdays: ['2026/02/14'] })).toThrow(
      /adjusted workday "2026\/02\/14" is not a date/,
    );
  });

  it('rejects a day that is both a holiday and an adjusted workday', () => {
    expect(make({ holidays: ['2026-02-14'], adjustedWorkdays: ['2026-02-14'] })).toThrow(
      /2026-02-14 is both a holiday and an adjusted workday/,
    );
  });

  it('rejects an adjusted workday that is not a weekend day', () => {
    expect(make({ adjustedWorkdays: ['2026-02-13'] })).toThrow(/2026-02-13 is not a Saturday or Sunday/);
  });

  it('rejects bad office hours', () => {
    const hours = (...h: [string, string][]) =>
      make({ workingHours: h.map(([start, end]) => ({ start, end })) });
    expect(hours()).toThrow(/no working hours/);
    expect(hours(['9:00', '12:00'])).toThrow(/working hours start "9:00" is not a time of day/);
    expect(hours(['09:00', '12:60'])).toThrow(/working hours end "12:60" is not a time of day/);
    expect(hours(['09:00', '24:30'])).toThrow(RangeError);
    expect(hours(['12:00', '09:00'])).toThrow(/12:00–09:00: the start is not before the end/);
    expect(hours(['09:00', '09:00'])).toThrow(/the start is not before the end/);
    expect(hours(['13:30', '17:30'], ['09:00', '12:00'])).toThrow(/09:00–12:00: intervals are not in order/);
    expect(hours(['09:00', '12:00'], ['11:00', '13:00'])).toThrow(
      /11:00–13:00: overlaps the previous interval/,
    );
  });

  it('rejects a missing id', () => {
    expect(make({ id: '' })).toThrow(/calendar id is missing/);
  });
});

describe('seed data: CN_MAINLAND_CALENDAR', () => {
  const inYear = (list: string[], year: number) => list.filter((d) => d.startsWith(`${year}-`));
  const official = daysJson as { holidays: Record<string, string>; workdays: Record<string, string> };

  it('is a valid calendar with the usual office hours', () => {
    expect(CN_MAINLAND_CALENDAR.id).toBe('cn-mainland');
    expect(CN_MAINLAND_CALENDAR.name).toBe('中国大陆法定节假日');
    expect(CN_MAINLAND_CALENDAR.workingHours).toEqual([
      { start: '09:00', end: '12:00' },
      { start: '13:30', end: '17:30' },
    ]);
    expect(cal.id).toBe('cn-mainland');
    for (const list of [CN_MAINLAND_CALENDAR.holidays, CN_MAINLAND_CALENDAR.adjustedWorkdays]) {
      expect([...list].sort()).toEqual(list);
      expect(new Set(list).size).toBe(list.length);
    }
  });

  it('covers 2025, 2026 and 2027, and says where each year comes from', () => {
    for (const year of [2025, 2026, 2027]) {
      expect(inYear(CN_MAINLAND_CALENDAR.holidays, year).length).toBeGreaterThanOrEqual(13);
    }
    expect(CALENDAR_SOURCES.map((s) => [s.year, s.status])).toEqual([
      [2025, 'official'],
      [2026, 'official'],
      [2027, 'provisional'],
    ]);
    const y2027 = CALENDAR_SOURCES.find((s) => s.year === 2027);
    expect(y2027?.note).toContain(
      'statutory days only; replace with the State Council notice when published',
    );
    for (const s of CALENDAR_SOURCES.filter((x) => x.status === 'official')) {
      expect(s.url).toMatch(/^https:\/\/www\.gov\.cn\//);
    }
  });

  it.each([2025, 2026])('%i matches chinese-days (the State Council notice) on every day', (year) => {
    expect(inYear(CN_MAINLAND_CALENDAR.holidays, year)).toEqual(
      inYear(Object.keys(official.holidays).sort(), year),
    );
    expect(inYear(CN_MAINLAND_CALENDAR.adjustedWorkdays, year)).toEqual(
      inYear(Object.keys(official.workdays).sort(), year),
    );
    for (const day of daysOfYear(year)) {
      const expected = day in official.workdays || (!(day in official.holidays) && weekday(day) % 6 !== 0);
      expect([day, cal.isWorkingDay(day)]).toEqual([day, expected]);
    }
  });

  it('2025 and 2026 samples, as published', () => {
    expect(inYear(CN_MAINLAND_CALENDAR.holidays, 2025)).toHaveLength(28);
    expect(inYear(CN_MAINLAND_CALENDAR.holidays, 2026)).toHaveLength(33);
    expect(cal.isWorkingDay('2025-01-28')).toBe(false); // 2025 New Year's Eve, a holiday since the 2025 rules
    expect(cal.isWorkingDay('2025-01-26')).toBe(true); // Sun, adjusted
    expect(cal.isWorkingDay('2025-10-06')).toBe(false); // Mid-Autumn inside National Day
    expect(cal.isWorkingDay('2025-10-11')).toBe(true); // Sat, adjusted
    expect(cal.isWorkingDay('2026-01-04')).toBe(true); // Sun, adjusted
    expect(cal.isWorkingDay('2026-05-09')).toBe(true); // Sat, adjusted
    expect(cal.isWorkingDay('2026-06-19')).toBe(false); // Dragon Boat
  });

  it('2027 holds the statutory days only (provisional), with no adjusted workdays', () => {
    expect(inYear(CN_MAINLAND_CALENDAR.holidays, 2027)).toEqual([
      '2027-01-01', // 元旦
      '2027-02-05', // 除夕 (腊月廿九; Chinese New Year is Sat 2027-02-06)
      '2027-02-06',
      '2027-02-07',
      '2027-02-08',
      '2027-04-05', // 清明
      '2027-05-01', // 劳动节
      '2027-05-02',
      '2027-06-09', // 端午 (lunar 5/5)
      '2027-09-15', // 中秋 (lunar 8/15)
      '2027-10-01', // 国庆节
      '2027-10-02',
      '2027-10-03',
    ]);
    expect(inYear(CN_MAINLAND_CALENDAR.adjustedWorkdays, 2027)).toEqual([]);
    expect(cal.isWorkingDay('2027-01-01')).toBe(false);
    expect(cal.isWorkingDay('2027-02-05')).toBe(false);
    expect(cal.isWorkingDay('2027-02-08')).toBe(false);
    expect(cal.isWorkingDay('2027-02-09')).toBe(true); // no bridging until the notice
    expect(cal.isWorkingDay('2027-10-01')).toBe(false);
    expect(cal.isWorkingDay('2027-10-04')).toBe(true);
    expect(addWd('2027-02-04T10:00:00+08:00', 1)).toBe('2027-02-09T23:59:59.999+08:00');
    expect(addWd('2027-09-30T10:00:00+08:00', 1)).toBe('2027-10-04T23:59:59.999+08:00');
  });
});

describe('a duration amount as the edge checks it', () => {
  it('takes plain decimals, and whole working days only', () => {
    expect(durationAmountProblem('hours', 1.5)).toBeNull();
    expect(durationAmountProblem('working_days', 2)).toBeNull();
    expect(durationAmountProblem('working_days', 0)).toBeNull();
    expect(durationAmountProblem('working_days', 1.5)).toMatch(/whole number/);
    expect(durationAmountProblem('days', 1e-7)).toMatch(/non-negative number/);
    expect(durationAmountProblem('days', -1)).toMatch(/non-negative number/);
    expect(durationAmountProblem('days', '2')).toMatch(/non-negative number/);
  });
});
