/**
 * Big-data analysis for supervision (RULES §7, SQ art. 12–14): hot spots, hot events, concentrated
 * events, persistent events and the cross-district, cross-department hot spots, found automatically
 * from the period's tickets, and the report periods (daily, weekly, monthly). Pure rules over plain data; the service loads the tickets and renders the report.
 *
 * Conventions, the same in every function:
 * - Time is China time, a fixed UTC+8 (Asia/Shanghai has no daylight saving): days start at
 *   16:00 UTC the day before; weeks are ISO weeks (Monday to Sunday; week 1 holds the year's
 *   first Thursday, so a year has 52 or 53 weeks and 1 January may be in the previous year's).
 * - Keys are ordered by code point (`<`), not by locale, so that the order is the same on every
 *   machine.
 * - A ticket number is counted once: a repeated ticket number after the first is ignored.
 * - Keywords go through `filterKeywords` (idempotent), so stop words and single characters never
 *   become a hot keyword or a persistent subject even if the caller passed them.
 * - A `createdAt` that is not a date is a programming error: `RangeError`, naming the ticket.
 */
export interface AnalysedTicket {
  ticketNo: string;
  /** ISO 8601 instant. */
  createdAt: string;
  category: string;
  regionCode: string;
  unitId: string | null;
  /** The title's words, already segmented (see the supervision service's `segmentTitle`). */
  keywords: readonly string[];
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
/** China time is UTC+8 all year. */
const CHINA_OFFSET = 8 * HOUR;

// ---------------------------------------------------------------------------------------------
// Keywords

/**
 * Words that say nothing about what an appeal is about: function words, pronouns, common verbs,
 * the hotline's own boilerplate (反映, 市民, 问题, 希望…) and punctuation, half- and full-width.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set([
  // function words, pronouns, common verbs and adverbs
  '的',
  '了',
  '在',
  '是',
  '我',
  '有',
  '和',
  '就',
  '不',
  '人',
  '都',
  '一',
  '一个',
  '上',
  '也',
  '很',
  '到',
  '说',
  '要',
  '去',
  '你',
  '会',
  '着',
  '没有',
  '看',
  '好',
  '自己',
  '这',
  '那',
  '我们',
  '他们',
  '她们',
  '你们',
  '这个',
  '那个',
  '这里',
  '那里',
  '什么',
  '怎么',
  '为什么',
  '可以',
  '已经',
  '还是',
  '但是',
  '因为',
  '所以',
  '如果',
  '并且',
  '而且',
  '或者',
  '以及',
  '对于',
  '关于',
  '进行',
  '一直',
  '目前',
  '现在',
  '非常',
  '特别',
  '存在',
  '导致',
  '能否',
  '是否',
  '尽快',
  '及时',
  '相关',
  '有关',
  '部门',
  // the hotline's boilerplate
  '反映',
  '市民',
  '来电',
  '来电人',
  '诉求',
  '问题',
  '情况',
  '请求',
  '希望',
  '要求',
  '咨询',
  '投诉',
  '建议',
  '处理',
  '解决',
  '帮助',
  '协调',
  // punctuation, full- and half-width
  '，',
  '。',
  '、',
  '；',
  '：',
  '？',
  '！',
  '“',
  '”',
  '‘',
  '’',
  '（',
  '）',
  '《',
  '》',
  '【',
  '】',
  '…',
  '……',
  '—',
  '——',
  '·',
  ',',
  '.',
  ';',
  ':',
  '?',
  '!',
  '"',
  "'",
  '(',
  ')',
  '[',
  ']',
  '-',
  '/',
  ' ',
]);

/** Only digits, punctuation, symbols or spaces: 3、2026、——、12345、１２ are not keywords. */
const NOT_A_WORD = /^[\p{N}\p{P}\p{S}\s]+$/u;

/**
 * The words worth counting, in their order: at least two characters (code points, so one CJK
 * character is one), not a stop word, not only digits or punctuation. Spaces around a word are
 * trimmed first. Repeats are kept: counting once per ticket is the analysis's business.
 */
export function filterKeywords(words: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of words) {
    const w = raw.trim();
    if ([...w].length < 2) continue;
    if (STOP_WORDS.has(w) || NOT_A_WORD.test(w)) continue;
    out.push(w);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Time

function instant(t: AnalysedTicket): number {
  const ms = Date.parse(t.createdAt);
  if (Number.isNaN(ms)) throw new RangeError(`ticket ${t.ticketNo}: createdAt is not a date: ${t.createdAt}`);
  return ms;
}

/** The China-time calendar date of an instant, as a UTC-midnight Date (for its y/m/d fields). */
function chinaDate(ms: number): Date {
  const d = new Date(ms + CHINA_OFFSET);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
}

/** Monday of the ISO week holding `day` (a UTC-midnight Date), as a UTC-midnight Date. */
function mondayOf(day: Date): Date {
  const back = (day.getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return new Date(day.getTime() - back * DAY);
}

/** ISO week-year and week of a China-time calendar day: the week's Thursday decides the year. */
function isoWeekOfDay(day: Date): { year: number; week: number } {
  const thursday = new Date(mondayOf(day).getTime() + 3 * DAY);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / WEEK) + 1;
  return { year, week };
}

const weekKey = (w: { year: number; week: number }) => `${w.year}-W${String(w.week).padStart(2, '0')}`;

/** The ISO week (China time) of an instant, e.g. `2026-W48`. */
export function isoWeekKey(at: string | number | Date): string {
  const ms = at instanceof Date ? at.getTime() : typeof at === 'string' ? Date.parse(at) : at;
  if (Number.isNaN(ms)) throw new RangeError(`not a date: ${String(at)}`);
  return weekKey(isoWeekOfDay(chinaDate(ms)));
}

// ---------------------------------------------------------------------------------------------
// Hot spots

export interface KeyCount {
  key: string;
  count: number;
}

export interface HotSpots {
  byCategory: KeyCount[];
  byRegion: KeyCount[];
  byKeyword: KeyCount[];
}

function uniqueTickets(tickets: readonly AnalysedTicket[]): AnalysedTicket[] {
  const seen = new Set<string>();
  return tickets.filter((t) => !seen.has(t.ticketNo) && (seen.add(t.ticketNo), true));
}

const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function ranked(counts: Map<string, number>, top: number): KeyCount[] {
  return [...counts]
    .map(([key, count]) => ({ key, count }))
    .sort((a, b) => b.count - a.count || byKey(a.key, b.key))
    .slice(0, top);
}

function bump(m: Map<string, number>, key: string) {
  m.set(key, (m.get(key) ?? 0) + 1);
}

/**
 * The most frequent categories, regions and keywords: count descending, then key ascending; the
 * first `top` of each (10 unless told; 0 or less gives none). A keyword counts once per ticket
 * however often its title repeats it.
 */
export function hotSpots(tickets: readonly AnalysedTicket[], opts: { top?: number } = {}): HotSpots {
  const top = Math.max(0, Math.floor(opts.top ?? 10));
  const category = new Map<string, number>();
  const region = new Map<string, number>();
  const keyword = new Map<string, number>();
  for (const t of uniqueTickets(tickets)) {
    bump(category, t.category);
    bump(region, t.regionCode);
    for (const k of new Set(filterKeywords(t.keywords))) bump(keyword, k);
  }
  return {
    byCategory: ranked(category, top),
    byRegion: ranked(region, top),
    byKeyword: ranked(keyword, top),
  };
}

// ---------------------------------------------------------------------------------------------
// Concentrated events

export interface ConcentratedEvent {
  regionCode: string;
  category: string;
  /** createdAt of the cluster's first and last tickets (ISO UTC). */
  from: string;
  to: string;
  /** In order of creation (then ticket number). */
  ticketNos: string[];
  count: number;
}

/**
 * Concentrated events (集中事件): at least `minTickets` (5) tickets of the same region and the
 * same category created within `windowHours` (24) of each other.
 *
 * The window is inclusive at both ends: a ticket exactly `windowHours` after the first is in it.
 * Greedy, densest first: in each (region, category), the window (starting at a ticket) holding the
 * most tickets not yet taken becomes a cluster, its tickets are taken, and so on until no window
 * holds `minTickets`; on a tie, the earlier window. Each ticket is in at most one cluster.
 * Ordered by count descending, then first ticket's time, region, category.
 */
export function concentratedEvents(
  tickets: readonly AnalysedTicket[],
  opts: { windowHours?: number; minTickets?: number } = {},
): ConcentratedEvent[] {
  const window = (opts.windowHours ?? 24) * HOUR;
  const minTickets = Math.max(1, opts.minTickets ?? 5);
  const groups = new Map<string, { t: AnalysedTicket; at: number }[]>();
  for (const t of uniqueTickets(tickets)) {
    const key = JSON.stringify([t.regionCode, t.category]);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push({ t, at: instant(t) });
  }

  const events: ConcentratedEvent[] = [];
  for (const group of groups.values()) {
    let left = group.sort((a, b) => a.at - b.at || byKey(a.t.ticketNo, b.t.ticketNo));
    while (left.length >= minTickets) {
      // Densest window starting at a remaining ticket (two pointers over the sorted list).
      let best = { start: 0, end: 0 }; // [start, end)
      let end = 0;
      for (let start = 0; start < left.length; start++) {
        if (end < start) end = start;
        while (end < left.length && left[end].at - left[start].at <= window) end++;
        if (end - start > best.end - best.start) best = { start, end };
      }
      if (best.end - best.start < minTickets) break;
      const taken = left.slice(best.start, best.end);
      events.push({
        regionCode: taken[0].t.regionCode,
        category: taken[0].t.category,
        from: new Date(taken[0].at).toISOString(),
        to: new Date(taken[taken.length - 1].at).toISOString(),
        ticketNos: taken.map((x) => x.t.ticketNo),
        count: taken.length,
      });
      left = [...left.slice(0, best.start), ...left.slice(best.end)];
    }
  }
  return events.sort(
    (a, b) =>
      b.count - a.count ||
      byKey(a.from, b.from) ||
      byKey(a.regionCode, b.regionCode) ||
      byKey(a.category, b.category),
  );
}

// ---------------------------------------------------------------------------------------------
// Persistent events

export interface PersistentEvent {
  regionCode: string;
  subject: string;
  subjectKind: 'keyword' | 'category';
  /** Consecutive ISO weeks, China time, e.g. `2026-W47`, in order. */
  weeks: string[];
  /** Every ticket of the subject in those weeks, in order of creation (then ticket number). */
  ticketNos: string[];
}

/**
 * Persistent events (持续事件): a subject — a category, or a keyword of the titles — in one region
 * with at least `minPerWeek` (2) tickets a week for at least `minWeeks` (3) consecutive ISO weeks
 * (China time; consecutive across the new year: 2026-W53 then 2027-W01). A subject recurring in
 * two separate runs is two events. Ordered by number of weeks descending, then tickets
 * descending, region, kind (category before keyword), subject, first week.
 */
export function persistentEvents(
  tickets: readonly AnalysedTicket[],
  opts: { minWeeks?: number; minPerWeek?: number } = {},
): PersistentEvent[] {
  const minWeeks = Math.max(1, opts.minWeeks ?? 3);
  const minPerWeek = Math.max(1, opts.minPerWeek ?? 2);

  type Entry = { t: AnalysedTicket; at: number };
  interface Subject {
    regionCode: string;
    subject: string;
    subjectKind: 'keyword' | 'category';
    /** Week index (Monday's epoch day / 7) → tickets. */
    weeks: Map<number, Entry[]>;
  }
  const subjects = new Map<string, Subject>();
  const weekNames = new Map<number, string>();
  const add = (kind: Subject['subjectKind'], subject: string, e: Entry, week: number) => {
    const key = JSON.stringify([e.t.regionCode, kind, subject]);
    let s = subjects.get(key);
    if (!s)
      subjects.set(key, (s = { regionCode: e.t.regionCode, subject, subjectKind: kind, weeks: new Map() }));
    let w = s.weeks.get(week);
    if (!w) s.weeks.set(week, (w = []));
    w.push(e);
  };
  for (const t of uniqueTickets(tickets)) {
    const at = instant(t);
    const day = chinaDate(at);
    const monday = mondayOf(day).getTime();
    const week = Math.floor(monday / WEEK); // consecutive Mondays, consecutive numbers
    if (!weekNames.has(week)) weekNames.set(week, weekKey(isoWeekOfDay(day)));
    const e = { t, at };
    add('category', t.category, e, week);
    for (const k of new Set(filterKeywords(t.keywords))) add('keyword', k, e, week);
  }

  const events: PersistentEvent[] = [];
  for (const s of subjects.values()) {
    const busy = [...s.weeks]
      .filter(([, es]) => es.length >= minPerWeek)
      .map(([w]) => w)
      .sort((a, b) => a - b);
    // Split into runs of consecutive weeks.
    let run: number[] = [];
    const flush = () => {
      if (run.length >= minWeeks) {
        const entries = run
          .flatMap((w) => s.weeks.get(w)!)
          .sort((a, b) => a.at - b.at || byKey(a.t.ticketNo, b.t.ticketNo));
        events.push({
          regionCode: s.regionCode,
          subject: s.subject,
          subjectKind: s.subjectKind,
          weeks: run.map((w) => weekNames.get(w)!),
          ticketNos: entries.map((e) => e.t.ticketNo),
        });
      }
      run = [];
    };
    for (const w of busy) {
      if (run.length > 0 && w !== run[run.length - 1] + 1) flush();
      run.push(w);
    }
    flush();
  }
  const kindOrder = { category: 0, keyword: 1 };
  return events.sort(
    (a, b) =>
      b.weeks.length - a.weeks.length ||
      b.ticketNos.length - a.ticketNos.length ||
      byKey(a.regionCode, b.regionCode) ||
      kindOrder[a.subjectKind] - kindOrder[b.subjectKind] ||
      byKey(a.subject, b.subject) ||
      byKey(a.weeks[0], b.weeks[0]),
  );
}

// ---------------------------------------------------------------------------------------------
// Hot events

export type SubjectKind = 'keyword' | 'category';

/** The subjects of a ticket: its category, and each keyword of its title once. */
function subjectsOf(t: AnalysedTicket): [SubjectKind, string][] {
  return [
    ['category', t.category],
    ...[...new Set(filterKeywords(t.keywords))].map((k): [SubjectKind, string] => ['keyword', k]),
  ];
}

const KIND_ORDER: Readonly<Record<SubjectKind, number>> = { category: 0, keyword: 1 };

function epochMs(at: string | number | Date, what: string): number {
  const ms = at instanceof Date ? at.getTime() : typeof at === 'string' ? Date.parse(at) : at;
  if (Number.isNaN(new Date(ms).getTime())) throw new RangeError(`${what} is not a date: ${String(at)}`);
  return ms;
}

export interface HotEvent {
  subject: string;
  subjectKind: SubjectKind;
  /** The window, ISO UTC: from inclusive, to exclusive. */
  from: string;
  to: string;
  /** Its tickets in the window, in order of creation (then ticket number). */
  ticketNos: string[];
  count: number;
  /** Its tickets in the window of equal length just before (`from − (to − from)` to `from`). */
  previousCount: number;
}

/**
 * Hot events (热点事件): a subject — a category, or a keyword of the titles — city-wide (all regions
 * together) with at least `minTickets` (10) tickets in the window and at least `growth` (2) times as
 * many as in the window of equal length just before it; a subject with none before has grown (it
 * is new). So `count ≥ minTickets` and (`previousCount = 0` or `count ≥ growth × previousCount`):
 * exactly 10 tickets is enough, and so is exactly twice as many as before.
 *
 * The window is `[from, to)`; `to` is required (the caller's now, or a report's end) and `from` is 7
 * days before it unless given. The window before is `[from − (to − from), from)`. Tickets outside
 * both windows are ignored (but their dates must still be dates). `minTickets` is at least 1 and
 * `growth` at least 1 (a subject is never hot for shrinking). A bad `from` or `to`, or `from` not
 * before `to`, is a `RangeError`. Ordered by count descending, then count before ascending (the
 * steeper rise first), kind (category before keyword), subject.
 */
export function hotEvents(
  tickets: readonly AnalysedTicket[],
  opts: {
    to: string | number | Date;
    from?: string | number | Date;
    minTickets?: number;
    growth?: number;
  },
): HotEvent[] {
  const end = epochMs(opts.to, 'hotEvents: to');
  const start = opts.from === undefined ? end - WEEK : epochMs(opts.from, 'hotEvents: from');
  if (!(start < end)) throw new RangeError('hotEvents: from must be before to');
  const before = start - (end - start);
  const minTickets = Math.max(1, opts.minTickets ?? 10);
  const growth = Math.max(1, opts.growth ?? 2);

  type Entry = { t: AnalysedTicket; at: number };
  interface Subject {
    subject: string;
    subjectKind: SubjectKind;
    now: Entry[];
    previous: number;
  }
  const subjects = new Map<string, Subject>();
  for (const t of uniqueTickets(tickets)) {
    const at = instant(t);
    if (at < before || at >= end) continue;
    for (const [kind, subject] of subjectsOf(t)) {
      const key = JSON.stringify([kind, subject]);
      let s = subjects.get(key);
      if (!s) subjects.set(key, (s = { subject, subjectKind: kind, now: [], previous: 0 }));
      if (at >= start) s.now.push({ t, at });
      else s.previous++;
    }
  }

  const from = new Date(start).toISOString();
  const to = new Date(end).toISOString();
  const events: HotEvent[] = [];
  for (const s of subjects.values()) {
    const count = s.now.length;
    if (count < minTickets) continue;
    if (s.previous > 0 && count < growth * s.previous) continue;
    events.push({
      subject: s.subject,
      subjectKind: s.subjectKind,
      from,
      to,
      ticketNos: s.now
        .sort((a, b) => a.at - b.at || byKey(a.t.ticketNo, b.t.ticketNo))
        .map((e) => e.t.ticketNo),
      count,
      previousCount: s.previous,
    });
  }
  return events.sort(
    (a, b) =>
      b.count - a.count ||
      a.previousCount - b.previousCount ||
      KIND_ORDER[a.subjectKind] - KIND_ORDER[b.subjectKind] ||
      byKey(a.subject, b.subject),
  );
}

// ---------------------------------------------------------------------------------------------
// Cross-district, cross-department hot spots

export interface CrossHotSpot {
  subject: string;
  subjectKind: SubjectKind;
  /** Its tickets, those without a unit included. */
  count: number;
  /** Its tickets per region code: count descending, then code ascending. */
  byRegion: KeyCount[];
  /** Its tickets per unit id (a ticket without a unit is in none): count descending, then id. */
  byUnit: KeyCount[];
}

/**
 * Cross-district, cross-department hot spots (跨区域、跨部门热点, the weekly report's): the subjects
 * — a category, or a keyword of the titles — whose tickets span at least `minRegions` (2) regions
 * and at least `minUnits` (2) units (a ticket without a unit counts for its region, not for a
 * unit). Over the tickets given (the caller picks the period); a keyword counts once per ticket.
 * Ordered by count descending, then regions descending, units descending, kind (category before
 * keyword), subject; all of them, or the first `top` when given. `minRegions` and `minUnits` are
 * at least 1.
 */
export function crossHotSpots(
  tickets: readonly AnalysedTicket[],
  opts: { minRegions?: number; minUnits?: number; top?: number } = {},
): CrossHotSpot[] {
  const minRegions = Math.max(1, opts.minRegions ?? 2);
  const minUnits = Math.max(1, opts.minUnits ?? 2);
  interface Subject {
    subject: string;
    subjectKind: SubjectKind;
    count: number;
    regions: Map<string, number>;
    units: Map<string, number>;
  }
  const subjects = new Map<string, Subject>();
  for (const t of uniqueTickets(tickets)) {
    instant(t); // a bad date is a programming error here too
    for (const [kind, subject] of subjectsOf(t)) {
      const key = JSON.stringify([kind, subject]);
      let s = subjects.get(key);
      if (!s)
        subjects.set(
          key,
          (s = { subject, subjectKind: kind, count: 0, regions: new Map(), units: new Map() }),
        );
      s.count++;
      bump(s.regions, t.regionCode);
      if (t.unitId !== null) bump(s.units, t.unitId);
    }
  }
  const spots: CrossHotSpot[] = [...subjects.values()]
    .filter((s) => s.regions.size >= minRegions && s.units.size >= minUnits)
    .map((s) => ({
      subject: s.subject,
      subjectKind: s.subjectKind,
      count: s.count,
      byRegion: ranked(s.regions, Infinity),
      byUnit: ranked(s.units, Infinity),
    }))
    .sort(
      (a, b) =>
        b.count - a.count ||
        b.byRegion.length - a.byRegion.length ||
        b.byUnit.length - a.byUnit.length ||
        KIND_ORDER[a.subjectKind] - KIND_ORDER[b.subjectKind] ||
        byKey(a.subject, b.subject),
    );
  return opts.top === undefined ? spots : spots.slice(0, Math.max(0, Math.floor(opts.top)));
}

// ---------------------------------------------------------------------------------------------
// Report periods

export const REPORT_KINDS = ['daily', 'weekly', 'monthly'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export interface ReportPeriod {
  kind: ReportKind;
  /** Inclusive, ISO UTC: China-time midnight, so `…T16:00:00.000Z` of the day before. */
  from: string;
  /** Exclusive, ISO UTC. */
  to: string;
  /** Chinese: `2026年11月23日`, `2026年第48周` (the ISO week-year), `2026年11月`. */
  label: string;
}

/**
 * The day, ISO week (Monday to Sunday) or calendar month, China time, holding `at`. A week's
 * label names its ISO week-year: 1 January 2027, a Friday, is in `2026年第53周`.
 */
export function reportPeriod(kind: ReportKind, at: Date): ReportPeriod {
  const ms = at.getTime();
  if (Number.isNaN(ms)) throw new RangeError('reportPeriod: not a date');
  const day = chinaDate(ms);
  const y = day.getUTCFullYear();
  const m = day.getUTCMonth();
  let start: number;
  let end: number;
  let label: string;
  if (kind === 'daily') {
    start = day.getTime();
    end = start + DAY;
    label = `${y}年${m + 1}月${day.getUTCDate()}日`;
  } else if (kind === 'weekly') {
    start = mondayOf(day).getTime();
    end = start + WEEK;
    const w = isoWeekOfDay(day);
    label = `${w.year}年第${w.week}周`;
  } else if (kind === 'monthly') {
    start = Date.UTC(y, m, 1);
    end = Date.UTC(y, m + 1, 1);
    label = `${y}年${m + 1}月`;
  } else {
    throw new RangeError(`reportPeriod: unknown kind ${String(kind)}`);
  }
  return {
    kind,
    from: new Date(start - CHINA_OFFSET).toISOString(),
    to: new Date(end - CHINA_OFFSET).toISOString(),
    label,
  };
}
