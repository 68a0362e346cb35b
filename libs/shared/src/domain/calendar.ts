/**
 * The working-day calendar and time limits measured on it (RULES.md §2): a limit is either clock
 * time (24 × 7) or working days / working hours on a calendar of public holidays, the official
 * adjusted working weekends (调休) and office hours.
 *
 * All arithmetic is in epoch milliseconds with China time as a fixed UTC+8 offset (Asia/Shanghai,
 * no daylight saving since 1991). The machine's local time zone is never used, nothing reads the
 * clock, and there are no imports: the code is deterministic and safe in Temporal workflow code.
 */

const MINUTE_MS = 60 * 1000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
const CHINA_OFFSET_MS = 8 * HOUR_MS;
/** The largest magnitude of a valid Date's time value (ECMAScript: ±100,000,000 days). */
const MAX_TIME_MS = 8.64e15;

/** A calendar: which China days are working days, and the office hours on them. */
export interface CalendarData {
  /** e.g. 'cn-mainland' */
  id: string;
  /** Chinese, e.g. '中国大陆法定节假日' */
  name: string;
  /** Public holidays (法定节假日 and the bridged rest days), 'YYYY-MM-DD' in China time. */
  holidays: string[];
  /** Adjusted working days (调休): weekend days that are working days. */
  adjustedWorkdays: string[];
  /** Office hours on a working day, China time, e.g. [{start:'09:00',end:'12:00'},{start:'13:30',end:'17:30'}] */
  workingHours: { start: string; end: string }[];
}

/** Where one year of calendar data comes from. */
export interface CalendarSource {
  year: number;
  /** 'official': the State Council's notice; 'provisional': computed by rule, to be replaced. */
  status: 'official' | 'provisional';
  /** The document or rule the dates come from. */
  source: string;
  url: string | null;
  note: string;
}

export const DURATION_UNITS = ['minutes', 'hours', 'days', 'working_days', 'working_hours'] as const;
/**
 * Clock units (minutes, hours, days) are 24 × 7 elapsed time, a day being 24 h; working_days and
 * working_hours are measured on a {@link WorkingCalendar}.
 */
export type DurationUnit = (typeof DURATION_UNITS)[number];

/** A time limit. `amount` is non-negative; for working_days it is an integer. */
export interface Duration {
  amount: number;
  unit: DurationUnit;
}

// ---------------------------------------------------------------------------------------------
// China days as day numbers: days since 1970-01-01, counted in China time.

/** The day number of the China day containing the instant `ms`. */
function chinaDayOf(ms: number): number {
  return Math.floor((ms + CHINA_OFFSET_MS) / DAY_MS);
}

/** The instant China day `day` begins (00:00:00.000 China time). */
function dayStartMs(day: number): number {
  return day * DAY_MS - CHINA_OFFSET_MS;
}

/** The last millisecond of China day `day` (23:59:59.999 China time). */
function dayEndMs(day: number): number {
  return dayStartMs(day + 1) - 1;
}

/** 0 = Sunday … 6 = Saturday; 1970-01-01 was a Thursday. */
function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

function isWeekend(day: number): boolean {
  const w = weekdayOf(day);
  return w === 0 || w === 6;
}

/** 'YYYY-MM-DD' (a real calendar date) to its day number; RangeError naming `what` otherwise. */
function parseDayKey(text: string, what: string): number {
  const m = typeof text === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(text) : null;
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const utc = new Date(Date.UTC(y, mo - 1, d));
    if (utc.getUTCFullYear() === y && utc.getUTCMonth() === mo - 1 && utc.getUTCDate() === d) {
      return utc.getTime() / DAY_MS;
    }
  }
  throw new RangeError(`${what} ${JSON.stringify(text)} is not a date (YYYY-MM-DD)`);
}

function formatDayKey(day: number): string {
  const d = new Date(day * DAY_MS);
  const y = String(d.getUTCFullYear()).padStart(4, '0');
  const m = String(d.getUTCMonth() + 1).padStart(2, '0');
  return `${y}-${m}-${String(d.getUTCDate()).padStart(2, '0')}`;
}

/** 'HH:MM' (00:00–24:00) to milliseconds after midnight; RangeError naming `what` otherwise. */
function parseClock(text: string, what: string): number {
  const m = typeof text === 'string' ? /^(\d{2}):(\d{2})$/.exec(text) : null;
  if (m) {
    const [h, min] = [Number(m[1]), Number(m[2])];
    if ((h < 24 && min < 60) || (h === 24 && min === 0)) return h * HOUR_MS + min * MINUTE_MS;
  }
  throw new RangeError(`${what} ${JSON.stringify(text)} is not a time of day (HH:MM)`);
}

/** The time value of a valid Date; RangeError naming `what` otherwise. */
function instantOf(at: Date, what: string): number {
  // No instanceof: a Date from another realm (Temporal's workflow sandbox) is a Date all the same.
  const ms = typeof at === 'object' && at !== null && typeof at.getTime === 'function' ? at.getTime() : NaN;
  if (!Number.isFinite(ms)) throw new RangeError(`${what} is not a valid instant`);
  return ms;
}

function dateOf(ms: number): Date {
  if (!(Math.abs(ms) <= MAX_TIME_MS)) throw new RangeError('the result is beyond the range of dates');
  return new Date(ms);
}

// ---------------------------------------------------------------------------------------------

/**
 * Working days and office hours of one calendar.
 *
 * A China day is a working day when it is Monday–Friday and not a holiday, or when it is an
 * adjusted workday (调休上班). Holidays may include weekend days (the bridged rest days); that
 * changes nothing, a weekend day is a rest day anyway. The calendar knows only the years its data
 * lists: any other day is a working day exactly when it is Monday–Friday.
 */
export class WorkingCalendar {
  readonly id: string;
  readonly name: string;
  private readonly holidays: ReadonlySet<number>;
  private readonly adjustedWorkdays: ReadonlySet<number>;
  /** Office-hour intervals as [start, end) in milliseconds after China midnight, in order. */
  private readonly intervals: readonly (readonly [number, number])[];

  /**
   * Validates the data and throws a RangeError naming the problem: dates must be real
   * 'YYYY-MM-DD' dates, no date may be both a holiday and an adjusted workday, an adjusted
   * workday must be a Saturday or Sunday, and office hours ('HH:MM', end may be '24:00') must be
   * non-empty, each start before its end, in order and non-overlapping (touching is allowed).
   */
  constructor(data: CalendarData) {
    if (typeof data?.id !== 'string' || data.id === '') throw new RangeError('calendar id is missing');
    this.id = data.id;
    this.name = data.name;
    const where = `calendar ${data.id}`;
    this.holidays = new Set(data.holidays.map((d) => parseDayKey(d, `${where}: holiday`)));
    this.adjustedWorkdays = new Set(
      data.adjustedWorkdays.map((d) => parseDayKey(d, `${where}: adjusted workday`)),
    );
    for (const day of this.adjustedWorkdays) {
      if (this.holidays.has(day)) {
        throw new RangeError(`${where}: ${formatDayKey(day)} is both a holiday and an adjusted workday`);
      }
      if (!isWeekend(day)) {
        throw new RangeError(
          `${where}: adjusted workday ${formatDayKey(day)} is not a Saturday or Sunday (it is a working day anyway)`,
        );
      }
    }
    if (data.workingHours.length === 0) throw new RangeError(`${where}: no working hours`);
    const intervals: [number, number][] = [];
    for (const { start, end } of data.workingHours) {
      const label = `${where}: working hours ${start}–${end}`;
      const s = parseClock(start, `${where}: working hours start`);
      const e = parseClock(end, `${where}: working hours end`);
      if (s >= e) throw new RangeError(`${label}: the start is not before the end`);
      const prev = intervals[intervals.length - 1];
      if (prev && s < prev[1]) {
        throw new RangeError(
          s < prev[0] ? `${label}: intervals are not in order` : `${label}: overlaps the previous interval`,
        );
      }
      intervals.push([s, e]);
    }
    this.intervals = intervals;
  }

  /** Whether a China day ('YYYY-MM-DD', or the China day of an instant) is a working day. */
  isWorkingDay(day: string | Date): boolean {
    return this.isWorkingDayNo(
      typeof day === 'string' ? parseDayKey(day, 'day') : chinaDayOf(instantOf(day, 'day')),
    );
  }

  /** The first working day strictly after `day` ('YYYY-MM-DD'). */
  nextWorkingDay(day: string): string {
    return formatDayKey(this.nextWorkingDayNo(parseDayKey(day, 'day')));
  }

  /**
   * The deadline of "within n working days": the END (23:59:59.999 China time) of the n-th working
   * day after the China day of `start`. The start day itself never counts, working day or not, so
   * a ticket received on a holiday or a weekend counts from the next working day.
   * n = 0 is "the same working day": the end of the start day if it is a working day, otherwise
   * the end of the next working day. n must be a non-negative integer.
   */
  addWorkingDays(start: Date, n: number): Date {
    if (!Number.isInteger(n) || n < 0) {
      throw new RangeError(`working days must be a non-negative integer, got ${n}`);
    }
    let day = chinaDayOf(instantOf(start, 'start'));
    if (n === 0 && !this.isWorkingDayNo(day)) day = this.nextWorkingDayNo(day);
    for (let i = 0; i < n; i++) day = this.nextWorkingDayNo(day);
    return dateOf(dayEndMs(day));
  }

  /**
   * The instant the `hours`-th working hour after `start` ends. Only office hours of working days
   * count; nights, the lunch break, weekends and holidays do not. A start outside office hours
   * begins at the next interval's start; a deadline falling exactly on an interval's end is that
   * end (17:30, not the next morning). Fractions are allowed (1.5 = 1 h 30 min; the amount is
   * rounded to the millisecond). Zero hours is the start itself. Days without office time are
   * skipped whole, so long holidays cost one step per day.
   */
  addWorkingHours(start: Date, hours: number): Date {
    if (!Number.isFinite(hours) || hours < 0) {
      throw new RangeError(`working hours must be a non-negative number, got ${hours}`);
    }
    const from = instantOf(start, 'start');
    let remaining = Math.round(hours * HOUR_MS);
    if (remaining === 0) return new Date(from);
    let at = from;
    for (let day = chinaDayOf(from); ; day++) {
      if (dayStartMs(day) > MAX_TIME_MS) throw new RangeError('the result is beyond the range of dates');
      if (!this.isWorkingDayNo(day)) continue;
      const base = dayStartMs(day);
      for (const [s, e] of this.intervals) {
        const begin = Math.max(at, base + s);
        const available = base + e - begin;
        if (available <= 0) continue;
        if (remaining <= available) return dateOf(begin + remaining);
        remaining -= available;
        at = base + e;
      }
    }
  }

  /**
   * Working milliseconds between two instants: the office time of working days inside
   * [from, to), as counted by {@link addWorkingHours}. 0 when `to` is not after `from`. For
   * "time remaining" displays.
   */
  workingTimeBetween(from: Date, to: Date): number {
    const a = instantOf(from, 'from');
    const b = instantOf(to, 'to');
    let total = 0;
    for (let day = chinaDayOf(a); dayStartMs(day) < b; day++) {
      if (!this.isWorkingDayNo(day)) continue;
      const base = dayStartMs(day);
      for (const [s, e] of this.intervals) {
        const lo = Math.max(a, base + s);
        const hi = Math.min(b, base + e);
        if (hi > lo) total += hi - lo;
      }
    }
    return total;
  }

  private isWorkingDayNo(day: number): boolean {
    if (this.adjustedWorkdays.has(day)) return true;
    return !isWeekend(day) && !this.holidays.has(day);
  }

  /** Terminates: only finitely many days are holidays, and every other weekday is a working day. */
  private nextWorkingDayNo(day: number): number {
    let next = day + 1;
    while (!this.isWorkingDayNo(next)) next++;
    return next;
  }
}

// ---------------------------------------------------------------------------------------------
// Durations

const UNIT_MS: Partial<Record<DurationUnit, number>> = { minutes: MINUTE_MS, hours: HOUR_MS, days: DAY_MS };
const UNIT_SUFFIX: Record<DurationUnit, string> = {
  minutes: 'm',
  hours: 'h',
  days: 'd',
  working_days: 'wd',
  working_hours: 'wh',
};
const UNIT_ZH: Record<DurationUnit, string> = {
  minutes: '分钟',
  hours: '小时',
  days: '天',
  working_days: '个工作日',
  working_hours: '个工作小时',
};
const SUFFIX_UNIT = new Map(DURATION_UNITS.map((u) => [UNIT_SUFFIX[u], u]));
/** A plain non-negative decimal: 12, 1.5; no sign, exponent or spaces. */
const AMOUNT = /^\d+(\.\d+)?$/;

/**
 * What is wrong with a duration's amount for its unit, or null: a finite non-negative number
 * written as a plain decimal (1e-7 is not), and whole for working_days. The edge asks it of a
 * request, so such an amount is the caller's 400, never a refusal from deep in the workflow.
 */
export function durationAmountProblem(unit: DurationUnit, amount: unknown): string | null {
  if (typeof amount !== 'number' || !AMOUNT.test(String(amount)))
    return `duration amount must be a non-negative number, got ${String(amount)}`;
  if (unit === 'working_days' && !Number.isInteger(amount))
    return `working days must be a whole number, got ${amount}`;
  return null;
}

/**
 * Throws a RangeError unless `d` is a valid duration: a known unit, an amount that is a finite
 * non-negative number written as a plain decimal (no exponent), an integer for working_days.
 */
function checkDuration(d: Duration): void {
  if (typeof d !== 'object' || d === null || !DURATION_UNITS.includes(d.unit)) {
    throw new RangeError(`not a duration: ${JSON.stringify(d)}`);
  }
  const problem = durationAmountProblem(d.unit, d.amount);
  if (problem) throw new RangeError(problem);
}

/**
 * The deadline `d` after `start`. Clock units ignore the calendar (24 × 7, a day is 24 h);
 * working_days and working_hours follow {@link WorkingCalendar.addWorkingDays} and
 * {@link WorkingCalendar.addWorkingHours}.
 */
export function addDuration(start: Date, d: Duration, cal: WorkingCalendar): Date {
  checkDuration(d);
  const from = instantOf(start, 'start');
  switch (d.unit) {
    case 'working_days':
      return cal.addWorkingDays(start, d.amount);
    case 'working_hours':
      return cal.addWorkingHours(start, d.amount);
    default:
      return dateOf(from + Math.round(d.amount * (UNIT_MS[d.unit] as number)));
  }
}

/**
 * Parses the compact form used in policies: '30m' minutes, '12h' hours, '6d' days (24 h each),
 * '2wd' working days, '4wh' working hours. Amounts are non-negative decimals ('1.5h'); working
 * days must be whole. Anything else (no unit, unknown unit, sign, spaces) is a RangeError.
 */
export function parseDuration(text: string): Duration {
  const m = typeof text === 'string' ? /^(\d+(?:\.\d+)?)([a-z]+)$/.exec(text) : null;
  const unit = m ? SUFFIX_UNIT.get(m[2]) : undefined;
  if (!m || !unit) {
    throw new RangeError(`not a duration: ${JSON.stringify(text)} (expected e.g. 30m, 12h, 6d, 2wd, 4wh)`);
  }
  const d: Duration = { amount: Number(m[1]), unit };
  checkDuration(d);
  return d;
}

/** The compact form of a duration, the inverse of {@link parseDuration}: { 2, working_days } → '2wd'. */
export function formatDuration(d: Duration): string {
  checkDuration(d);
  return `${d.amount}${UNIT_SUFFIX[d.unit]}`;
}

/** Chinese for citizens and clerks: '12小时', '6天', '2个工作日', '4个工作小时', '30分钟'. */
export function describeDurationZh(d: Duration): string {
  checkDuration(d);
  return `${d.amount}${UNIT_ZH[d.unit]}`;
}

/**
 * The part of a calendar a ticket needs: the years from `at`'s to the next one (a ticket's
 * deadlines lie days ahead, a year at the very most). Carried in the ticket workflow's input so
 * deadlines are computed there without an activity.
 */
export function calendarSnapshot(data: CalendarData, at: Date, years = 2): CalendarData {
  const first = new Date(instantOf(at, 'at') + CHINA_OFFSET_MS).getUTCFullYear();
  const inSpan = (day: string) => {
    const y = Number(day.slice(0, 4));
    return y >= first && y < first + years;
  };
  return {
    ...data,
    holidays: data.holidays.filter(inSpan),
    adjustedWorkdays: data.adjustedWorkdays.filter(inSpan),
  };
}
