import {
  concentratedEvents,
  crossHotSpots,
  filterKeywords,
  hotEvents,
  hotSpots,
  isoWeekKey,
  persistentEvents,
  reportPeriod,
  STOP_WORDS,
} from './analysis';
import type { AnalysedTicket } from './analysis';

let seq = 0;
const ticket = (over: Partial<AnalysedTicket> = {}): AnalysedTicket => ({
  ticketNo: `T${String(++seq).padStart(4, '0')}`,
  createdAt: '2026-11-23T02:00:00.000Z',
  category: '市政设施',
  regionCode: '310101',
  unitId: 'u1',
  keywords: [],
  ...over,
});
const hours = (base: string, h: number) => new Date(Date.parse(base) + h * 3_600_000).toISOString();
beforeEach(() => {
  seq = 0;
});

describe('filterKeywords and STOP_WORDS', () => {
  it('drops stop words, single characters, digits and punctuation; keeps order and repeats', () => {
    expect(
      filterKeywords([
        '市民',
        '反映',
        '道路',
        '积水',
        '的',
        '路',
        '3',
        '2026',
        '，',
        '——',
        '１２',
        '积水',
        '3号',
      ]),
    ).toEqual(['道路', '积水', '积水', '3号']);
  });

  it('trims spaces, and counts characters as code points', () => {
    expect(filterKeywords([' 噪音 ', '  ', '𠮷', '𠮷野'])).toEqual(['噪音', '𠮷野']);
  });

  it('holds the usual stop words and the hotline boilerplate', () => {
    for (const w of [
      '的',
      '了',
      '一个',
      '没有',
      '自己',
      '反映',
      '市民',
      '问题',
      '情况',
      '请求',
      '希望',
      '要求',
      '，',
    ]) {
      expect(STOP_WORDS.has(w)).toBe(true);
    }
    expect(filterKeywords([])).toEqual([]);
  });
});

describe('hotSpots', () => {
  it('is empty for no tickets', () => {
    expect(hotSpots([])).toEqual({ byCategory: [], byRegion: [], byKeyword: [] });
  });

  it('counts by category, region and keyword, count descending then key ascending', () => {
    const ts = [
      ticket({ category: 'B', regionCode: 'r2', keywords: ['积水', '道路'] }),
      ticket({ category: 'A', regionCode: 'r1', keywords: ['噪音'] }),
      ticket({ category: 'B', regionCode: 'r1', keywords: ['积水'] }),
      ticket({ category: 'C', regionCode: 'r3', keywords: ['道路'] }),
    ];
    const h = hotSpots(ts);
    expect(h.byCategory).toEqual([
      { key: 'B', count: 2 },
      { key: 'A', count: 1 },
      { key: 'C', count: 1 },
    ]);
    expect(h.byRegion).toEqual([
      { key: 'r1', count: 2 },
      { key: 'r2', count: 1 },
      { key: 'r3', count: 1 },
    ]);
    // Ties in code-point order: 噪 (U+566A) < 积 (U+79EF) < 道 (U+9053).
    expect(h.byKeyword).toEqual([
      { key: '积水', count: 2 },
      { key: '道路', count: 2 },
      { key: '噪音', count: 1 },
    ]);
  });

  it('counts a keyword once per ticket, filters stop words, and counts a ticket number once', () => {
    const t = ticket({ keywords: ['积水', '积水', '反映', '的', '积水'] });
    const h = hotSpots([t, t, ticket({ keywords: ['积水'] })]);
    expect(h.byKeyword).toEqual([{ key: '积水', count: 2 }]);
    expect(h.byCategory).toEqual([{ key: '市政设施', count: 2 }]);
  });

  it('keeps the top N (10 by default); ties at the cut are decided by key', () => {
    const ts = Array.from({ length: 12 }, (_, i) => ticket({ category: `c${String(i).padStart(2, '0')}` }));
    expect(hotSpots(ts).byCategory.map((k) => k.key)).toEqual(
      Array.from({ length: 10 }, (_, i) => `c${String(i).padStart(2, '0')}`),
    );
    expect(hotSpots(ts, { top: 2 }).byCategory.map((k) => k.key)).toEqual(['c00', 'c01']);
    expect(hotSpots(ts, { top: 0 }).byCategory).toEqual([]);
  });
});

describe('concentratedEvents (inclusive window)', () => {
  const T = '2026-11-23T00:00:00.000Z';
  const at = (...hs: number[]) => hs.map((h) => ticket({ createdAt: hours(T, h) }));

  it('is empty for no tickets and for too few', () => {
    expect(concentratedEvents([])).toEqual([]);
    expect(concentratedEvents(at(0, 1, 2, 3))).toEqual([]);
  });

  it('finds 5 tickets of one region and category within 24 hours', () => {
    const ts = at(0, 1, 2, 3, 4);
    expect(concentratedEvents(ts)).toEqual([
      {
        regionCode: '310101',
        category: '市政设施',
        from: T,
        to: hours(T, 4),
        ticketNos: ['T0001', 'T0002', 'T0003', 'T0004', 'T0005'],
        count: 5,
      },
    ]);
  });

  it('a ticket exactly windowHours after the first is inside the window; a millisecond later is not', () => {
    expect(concentratedEvents(at(0, 6, 12, 18, 24))).toHaveLength(1);
    const late = [
      ...at(0, 6, 12, 18),
      ticket({ createdAt: new Date(Date.parse(T) + 24 * 3_600_000 + 1).toISOString() }),
    ];
    expect(concentratedEvents(late)).toEqual([]);
    expect(concentratedEvents(at(0, 1, 2), { windowHours: 2, minTickets: 3 })).toHaveLength(1);
  });

  it('needs the same region and the same category', () => {
    const ts = [
      ...at(0, 1, 2, 3),
      ticket({ createdAt: hours(T, 4), regionCode: 'other' }),
      ticket({ createdAt: hours(T, 4), category: 'other' }),
    ];
    expect(concentratedEvents(ts)).toEqual([]);
  });

  it('greedy, densest window first; each ticket in at most one cluster', () => {
    // Left to right, the window at 0h would take 0,20..24 (6); the densest starts at 20h and
    // takes 20..24,30,31 (7), leaving 0h alone.
    const ts = at(0, 20, 21, 22, 23, 24, 30, 31);
    const ev = concentratedEvents(ts);
    expect(ev).toHaveLength(1);
    expect(ev[0].count).toBe(7);
    expect(ev[0].from).toBe(hours(T, 20));
    expect(ev[0].to).toBe(hours(T, 31));
    // With minTickets 1 the remainder is a second cluster, listed after the denser one.
    const two = concentratedEvents(ts, { minTickets: 1 });
    expect(two.map((e) => e.count)).toEqual([7, 1]);
    expect(new Set(two.flatMap((e) => e.ticketNos)).size).toBe(8);
  });

  it('on equal density takes the earlier window, and orders clusters deterministically', () => {
    const ts = at(0, 1, 2, 50, 51, 52);
    const ev = concentratedEvents(ts, { minTickets: 3 });
    expect(ev.map((e) => e.from)).toEqual([T, hours(T, 50)]);
    // Input order does not matter.
    expect(concentratedEvents([...ts].reverse(), { minTickets: 3 })).toEqual(ev);
    // Across groups: count, then time, then region, then category.
    const other = [0, 1, 2].map((h) => ticket({ createdAt: hours(T, h), regionCode: '310100' }));
    const mixed = concentratedEvents([...ts, ...other], { minTickets: 3 });
    expect(mixed.map((e) => [e.regionCode, e.from])).toEqual([
      ['310100', T],
      ['310101', T],
      ['310101', hours(T, 50)],
    ]);
  });

  it('orders tickets of the same instant by ticket number, and rejects a bad date', () => {
    const ts = [ticket({ ticketNo: 'B' }), ticket({ ticketNo: 'A' }), ticket({ ticketNo: 'C' })];
    expect(concentratedEvents(ts, { minTickets: 3 })[0].ticketNos).toEqual(['A', 'B', 'C']);
    expect(() => concentratedEvents([ticket({ ticketNo: 'X1', createdAt: 'yesterday' })])).toThrow(/X1/);
  });
});

describe('persistentEvents', () => {
  // Mondays (China time) of consecutive ISO weeks, 10:00 China time = 02:00Z.
  const W47 = '2026-11-16T02:00:00.000Z';
  const inWeek = (base: string, w: number, n: number, over: Partial<AnalysedTicket> = {}) =>
    Array.from({ length: n }, (_, i) => ticket({ createdAt: hours(base, w * 168 + i), ...over }));

  it('is empty for no tickets', () => {
    expect(persistentEvents([])).toEqual([]);
  });

  it('finds a category and a keyword recurring 3 consecutive weeks, 2 a week', () => {
    const ts = [0, 1, 2].flatMap((w) => inWeek(W47, w, 2, { keywords: ['积水', '道路'] }));
    const ev = persistentEvents(ts);
    expect(ev.map((e) => [e.subjectKind, e.subject])).toEqual([
      ['category', '市政设施'],
      ['keyword', '积水'],
      ['keyword', '道路'],
    ]);
    expect(ev[0]).toEqual({
      regionCode: '310101',
      subject: '市政设施',
      subjectKind: 'category',
      weeks: ['2026-W47', '2026-W48', '2026-W49'],
      ticketNos: ['T0001', 'T0002', 'T0003', 'T0004', 'T0005', 'T0006'],
    });
  });

  it('needs minPerWeek in every week and consecutive weeks', () => {
    const thin = [...inWeek(W47, 0, 2), ...inWeek(W47, 1, 1), ...inWeek(W47, 2, 2)];
    expect(persistentEvents(thin)).toEqual([]);
    const gap = [...inWeek(W47, 0, 2), ...inWeek(W47, 1, 2), ...inWeek(W47, 3, 2)];
    expect(persistentEvents(gap)).toEqual([]);
    expect(persistentEvents(gap, { minWeeks: 2 }).map((e) => e.weeks)).toEqual([['2026-W47', '2026-W48']]);
  });

  it('two separate runs are two events; a fourth week lengthens the run', () => {
    const ts = [0, 1, 2, 4, 5, 6].flatMap((w) => inWeek(W47, w, 2));
    expect(persistentEvents(ts).map((e) => e.weeks[0])).toEqual(['2026-W47', '2026-W51']);
    const four = [0, 1, 2, 3].flatMap((w) => inWeek(W47, w, 2));
    expect(persistentEvents(four)[0].weeks).toHaveLength(4);
  });

  it('is per region, and counts a keyword once per ticket', () => {
    const a = [0, 1, 2].flatMap((w) => inWeek(W47, w, 1, { regionCode: 'A', keywords: ['噪音', '噪音'] }));
    const b = [0, 1, 2].flatMap((w) => inWeek(W47, w, 1, { regionCode: 'B', keywords: ['噪音'] }));
    expect(persistentEvents([...a, ...b])).toEqual([]);
    expect(persistentEvents([...a, ...b], { minPerWeek: 1 }).map((e) => [e.regionCode, e.subject])).toEqual([
      ['A', '市政设施'],
      ['A', '噪音'],
      ['B', '市政设施'],
      ['B', '噪音'],
    ]);
  });

  it('weeks are China time: Sunday 23:59 and Monday 00:00 (China) are different weeks', () => {
    // Sunday 2026-11-22 23:59 China = 15:59Z; Monday 2026-11-23 00:00 China = 2026-11-22T16:00Z.
    expect(isoWeekKey('2026-11-22T15:59:59.999Z')).toBe('2026-W47');
    expect(isoWeekKey('2026-11-22T16:00:00.000Z')).toBe('2026-W48');
  });

  it('runs on across the new year, through week 53', () => {
    // 2026 has 53 ISO weeks (it starts on a Thursday): W52 is 21–27 Dec, W53 28 Dec–3 Jan.
    const W52 = '2026-12-21T02:00:00.000Z';
    expect(isoWeekKey(W52)).toBe('2026-W52');
    expect(isoWeekKey('2027-01-01T02:00:00.000Z')).toBe('2026-W53');
    expect(isoWeekKey('2027-01-03T15:59:59.000Z')).toBe('2026-W53');
    expect(isoWeekKey('2027-01-03T16:00:00.000Z')).toBe('2027-W01');
    const ts = [0, 1, 2].flatMap((w) => inWeek(W52, w, 2));
    expect(persistentEvents(ts)[0].weeks).toEqual(['2026-W52', '2026-W53', '2027-W01']);
    // 2025 has 52: its last week runs straight into 2026-W01 (29 Dec 2025 is in 2026-W01).
    expect(isoWeekKey('2025-12-28T02:00:00.000Z')).toBe('2025-W52');
    expect(isoWeekKey('2025-12-29T02:00:00.000Z')).toBe('2026-W01');
    const y = [0, 1, 2].flatMap((w) => inWeek('2025-12-22T02:00:00.000Z', w, 2));
    expect(persistentEvents(y)[0].weeks).toEqual(['2025-W52', '2026-W01', '2026-W02']);
  });
});

describe('hotEvents (city-wide, the window against the one just before)', () => {
  // The window is the 7 days before TO; the one before it the 7 days before that.
  const TO = '2026-11-30T00:00:00.000Z';
  const FROM = '2026-11-23T00:00:00.000Z';
  const BEFORE = '2026-11-16T00:00:00.000Z';
  const n = (count: number, base: string, over: Partial<AnalysedTicket> = {}) =>
    Array.from({ length: count }, (_, i) => ticket({ createdAt: hours(base, i), ...over }));
  const subjects = (ev: { subjectKind: string; subject: string }[]) =>
    ev.map((e) => `${e.subjectKind}:${e.subject}`);

  it('is empty for no tickets and for too few', () => {
    expect(hotEvents([], { to: TO })).toEqual([]);
    expect(hotEvents(n(9, FROM), { to: TO })).toEqual([]);
  });

  it('exactly minTickets (10) with none before is a hot event: a new subject has grown', () => {
    const ts = n(10, FROM, { keywords: ['单车'] });
    const ev = hotEvents(ts, { to: TO });
    expect(subjects(ev)).toEqual(['category:市政设施', 'keyword:单车']);
    expect(ev[0]).toEqual({
      subject: '市政设施',
      subjectKind: 'category',
      from: FROM,
      to: TO,
      ticketNos: ts.map((t) => t.ticketNo),
      count: 10,
      previousCount: 0,
    });
  });

  it('exactly twice as many as just before is enough; one short of it is not', () => {
    const before5 = n(5, BEFORE);
    expect(hotEvents([...before5, ...n(10, FROM)], { to: TO })).toMatchObject([
      { count: 10, previousCount: 5 },
    ]);
    expect(hotEvents([...n(6, BEFORE), ...n(11, FROM)], { to: TO })).toEqual([]);
    expect(hotEvents([...n(6, BEFORE), ...n(12, FROM)], { to: TO })).toMatchObject([
      { count: 12, previousCount: 6 },
    ]);
    // With growth 3, 10 after 4 is short (12 needed) and 12 after 4 is enough.
    expect(hotEvents([...n(4, BEFORE), ...n(10, FROM)], { to: TO, growth: 3 })).toEqual([]);
    expect(hotEvents([...n(4, BEFORE), ...n(12, FROM)], { to: TO, growth: 3 })).toHaveLength(1);
    // growth below 1 is 1: a subject is never hot for shrinking.
    expect(hotEvents([...n(11, BEFORE), ...n(10, FROM)], { to: TO, growth: 0.5 })).toEqual([]);
    expect(hotEvents([...n(10, BEFORE), ...n(10, FROM)], { to: TO, growth: 0.5 })).toHaveLength(1);
  });

  it('windows are [from, to) and [from − length, from): the edges', () => {
    const edge = [
      ...n(9, FROM),
      ticket({ createdAt: '2026-11-29T23:59:59.999Z' }), // the window's last millisecond: in
      ticket({ createdAt: TO }), // the window's end: out
    ];
    expect(hotEvents(edge, { to: TO })).toMatchObject([{ count: 10, previousCount: 0 }]);
    // A ticket at `from` is in the window, not the one before; one at `before` is before.
    const start = [...n(9, hours(FROM, 1)), ticket({ createdAt: FROM }), ticket({ createdAt: BEFORE })];
    expect(hotEvents(start, { to: TO })).toMatchObject([{ count: 10, previousCount: 1 }]);
    // Older than the window before: ignored (a sixth ticket before would make 10 less than 2×).
    const old = [...n(10, FROM), ...n(5, BEFORE), ticket({ createdAt: '2026-11-15T23:59:59.999Z' })];
    expect(hotEvents(old, { to: TO })).toMatchObject([{ count: 10, previousCount: 5 }]);
  });

  it("a window of the caller's: a report's period, and the one of equal length before it", () => {
    const day = { from: '2026-11-22T16:00:00.000Z', to: '2026-11-23T16:00:00.000Z' };
    const ts = [...n(2, '2026-11-21T16:00:00.000Z'), ...n(4, day.from)];
    expect(hotEvents(ts, { ...day, minTickets: 4 })).toMatchObject([
      { from: day.from, to: day.to, count: 4, previousCount: 2 },
    ]);
    expect(hotEvents(ts, { ...day, minTickets: 5 })).toEqual([]);
    expect(hotEvents(ts, { ...day, minTickets: 0 })).toHaveLength(1); // at least 1
  });

  it('counts a ticket number once and a keyword once per ticket; filters stop words', () => {
    // Ten copies of one ticket, whose title says 单车 twice, and nine more: ten tickets of each.
    const t = ticket({ createdAt: FROM, keywords: ['单车', '单车', '反映', '的'] });
    const ts = [...Array.from({ length: 10 }, () => t), ...n(9, FROM, { keywords: ['单车'] })];
    expect(hotEvents(ts, { to: TO }).map((e) => [e.subject, e.count])).toEqual([
      ['市政设施', 10],
      ['单车', 10],
    ]);
    expect(hotEvents(ts.slice(1), { to: TO }).map((e) => e.subject)).toEqual(['市政设施', '单车']);
    expect(hotEvents(ts.slice(10), { to: TO })).toEqual([]);
  });

  it('is city-wide: the regions together', () => {
    const ts = [...n(5, FROM, { regionCode: 'A' }), ...n(5, FROM, { regionCode: 'B' })];
    expect(hotEvents(ts, { to: TO })).toMatchObject([{ subject: '市政设施', count: 10 }]);
  });

  it('orders by count, then the steeper rise, kind (category first), subject; tickets by time', () => {
    const ts = [
      ...n(12, FROM, { category: 'B', keywords: ['噪音'] }),
      ...n(10, FROM, { category: 'A' }),
      ...n(10, FROM, { category: 'C' }),
      ...n(1, BEFORE, { category: 'A' }),
      ...n(10, FROM, { category: 'D', keywords: ['道路'] }),
    ];
    expect(subjects(hotEvents(ts, { to: TO }))).toEqual([
      'category:B',
      'keyword:噪音',
      'category:C',
      'category:D',
      'keyword:道路',
      'category:A',
    ]);
    expect(hotEvents([...ts].reverse(), { to: TO })).toEqual(hotEvents(ts, { to: TO }));
    const same = [ticket({ ticketNo: 'B' }), ticket({ ticketNo: 'A' }), ticket({ ticketNo: 'C' })].map(
      (t) => ({ ...t, createdAt: FROM }),
    );
    expect(hotEvents(same, { to: TO, minTickets: 3 })[0].ticketNos).toEqual(['A', 'B', 'C']);
  });

  it('rejects a bad date, a bad window and from not before to', () => {
    expect(() => hotEvents([ticket({ ticketNo: 'X1', createdAt: 'yesterday' })], { to: TO })).toThrow(/X1/);
    // Even outside the windows: a bad date is a programming error wherever it is.
    expect(() => hotEvents([ticket({ ticketNo: 'X2', createdAt: '' })], { to: TO })).toThrow(RangeError);
    expect(() => hotEvents([], { to: 'nope' })).toThrow(RangeError);
    expect(() => hotEvents([], { to: new Date('nope') })).toThrow(RangeError);
    expect(() => hotEvents([], { to: TO, from: 'nope' })).toThrow(RangeError);
    expect(() => hotEvents([], { to: TO, from: TO })).toThrow(RangeError);
    expect(() => hotEvents([], { to: FROM, from: TO })).toThrow(RangeError);
    expect(hotEvents([], { to: Date.parse(TO), from: new Date(FROM) })).toEqual([]);
  });
});

describe('crossHotSpots (≥ 2 regions and ≥ 2 units)', () => {
  it('is empty for no tickets, one region, or one unit', () => {
    expect(crossHotSpots([])).toEqual([]);
    expect(crossHotSpots([ticket({ unitId: 'u1' }), ticket({ unitId: 'u2' })])).toEqual([]);
    expect(crossHotSpots([ticket({ regionCode: 'A' }), ticket({ regionCode: 'B' })])).toEqual([]);
  });

  it('finds a subject spanning exactly 2 regions and 2 units, with its counts per region and unit', () => {
    const ts = [
      ticket({ regionCode: 'B', unitId: 'u2', keywords: ['单车'] }),
      ticket({ regionCode: 'A', unitId: 'u1', keywords: ['单车'] }),
      ticket({ regionCode: 'A', unitId: 'u1', keywords: ['单车'] }),
      ticket({ regionCode: 'B', unitId: null, keywords: ['单车'] }),
    ];
    expect(crossHotSpots(ts)).toEqual([
      {
        subject: '市政设施',
        subjectKind: 'category',
        count: 4,
        byRegion: [
          { key: 'A', count: 2 },
          { key: 'B', count: 2 },
        ],
        byUnit: [
          { key: 'u1', count: 2 },
          { key: 'u2', count: 1 },
        ],
      },
      {
        subject: '单车',
        subjectKind: 'keyword',
        count: 4,
        byRegion: [
          { key: 'A', count: 2 },
          { key: 'B', count: 2 },
        ],
        byUnit: [
          { key: 'u1', count: 2 },
          { key: 'u2', count: 1 },
        ],
      },
    ]);
  });

  it('a ticket without a unit counts for its region but never as a unit', () => {
    const ts = [ticket({ regionCode: 'A', unitId: 'u1' }), ticket({ regionCode: 'B', unitId: null })];
    expect(crossHotSpots(ts)).toEqual([]);
    expect(crossHotSpots([...ts, ticket({ regionCode: 'B', unitId: 'u2' })])[0].count).toBe(3);
  });

  it('counts a ticket number once and a keyword once per ticket; filters stop words', () => {
    const t = ticket({ regionCode: 'A', unitId: 'u1', keywords: ['单车', '单车', '反映'] });
    const ts = [t, t, ticket({ regionCode: 'B', unitId: 'u2', keywords: ['单车', '的'] })];
    const spots = crossHotSpots(ts);
    expect(spots.map((s) => [s.subject, s.count])).toEqual([
      ['市政设施', 2],
      ['单车', 2],
    ]);
    expect(spots[1].byUnit).toEqual([
      { key: 'u1', count: 1 },
      { key: 'u2', count: 1 },
    ]);
  });

  it('the thresholds are options (at least 1)', () => {
    const ts = [ticket({ regionCode: 'A', unitId: 'u1' }), ticket({ regionCode: 'B', unitId: 'u1' })];
    expect(crossHotSpots(ts)).toEqual([]);
    expect(crossHotSpots(ts, { minUnits: 1 })).toHaveLength(1);
    expect(crossHotSpots(ts, { minUnits: 0, minRegions: 3 })).toEqual([]);
  });

  it('orders by count, regions, units, kind (category first), subject; top cuts the list', () => {
    const spread = (category: string, n: number, regions: string[], units: string[], kw: string[] = []) =>
      Array.from({ length: n }, (_, i) =>
        ticket({
          category,
          regionCode: regions[i % regions.length],
          unitId: units[i % units.length],
          keywords: kw,
        }),
      );
    const ts = [
      ...spread('D', 4, ['A', 'B'], ['u1', 'u2']),
      ...spread('C', 4, ['A', 'B', 'C'], ['u1', 'u2']),
      ...spread('B', 4, ['A', 'B', 'C'], ['u1', 'u2', 'u3'], ['噪音']),
      ...spread('A', 5, ['A', 'B'], ['u1', 'u2']),
    ];
    const order = crossHotSpots(ts).map((s) => `${s.subjectKind}:${s.subject}`);
    expect(order).toEqual(['category:A', 'category:B', 'keyword:噪音', 'category:C', 'category:D']);
    expect(crossHotSpots([...ts].reverse())).toEqual(crossHotSpots(ts));
    expect(crossHotSpots(ts, { top: 2 }).map((s) => s.subject)).toEqual(['A', 'B']);
    expect(crossHotSpots(ts, { top: 0 })).toEqual([]);
    // Ties within the counts: code point order, not locale.
    const regions = crossHotSpots(spread('X', 2, ['b', 'B'], ['u1', 'U1']))[0];
    expect(regions.byRegion.map((k) => k.key)).toEqual(['B', 'b']);
    expect(regions.byUnit.map((k) => k.key)).toEqual(['U1', 'u1']);
  });

  it('rejects a bad date', () => {
    expect(() => crossHotSpots([ticket({ ticketNo: 'X3', createdAt: 'soon' })])).toThrow(/X3/);
  });
});

describe('reportPeriod (China time, from inclusive, to exclusive)', () => {
  it('daily: 2026-11-22T16:00:00Z is 23 November 00:00 in China', () => {
    expect(reportPeriod('daily', new Date('2026-11-22T16:00:00Z'))).toEqual({
      kind: 'daily',
      from: '2026-11-22T16:00:00.000Z',
      to: '2026-11-23T16:00:00.000Z',
      label: '2026年11月23日',
    });
    expect(reportPeriod('daily', new Date('2026-11-22T15:59:59.999Z')).label).toBe('2026年11月22日');
    expect(reportPeriod('daily', new Date('2026-01-05T03:00:00Z')).label).toBe('2026年1月5日');
  });

  it('weekly: the ISO week, Monday to Monday', () => {
    expect(reportPeriod('weekly', new Date('2026-11-26T08:00:00Z'))).toEqual({
      kind: 'weekly',
      from: '2026-11-22T16:00:00.000Z',
      to: '2026-11-29T16:00:00.000Z',
      label: '2026年第48周',
    });
    // Sunday 23:59 China is still week 48; Monday 00:00 China is week 49.
    expect(reportPeriod('weekly', new Date('2026-11-29T15:59:59.999Z')).label).toBe('2026年第48周');
    expect(reportPeriod('weekly', new Date('2026-11-29T16:00:00.000Z')).label).toBe('2026年第49周');
  });

  it('weekly across the new year: week 53 of 2026 holds 1 January 2027', () => {
    expect(reportPeriod('weekly', new Date('2027-01-01T04:00:00Z'))).toEqual({
      kind: 'weekly',
      from: '2026-12-27T16:00:00.000Z',
      to: '2027-01-03T16:00:00.000Z',
      label: '2026年第53周',
    });
    expect(reportPeriod('weekly', new Date('2027-01-04T04:00:00Z')).label).toBe('2027年第1周');
    expect(reportPeriod('weekly', new Date('2025-12-31T04:00:00Z')).label).toBe('2026年第1周');
  });

  it('monthly: the calendar month, also over the year end and in February', () => {
    expect(reportPeriod('monthly', new Date('2026-11-30T17:00:00Z'))).toEqual({
      kind: 'monthly',
      from: '2026-11-30T16:00:00.000Z',
      to: '2026-12-31T16:00:00.000Z',
      label: '2026年12月',
    });
    expect(reportPeriod('monthly', new Date('2028-02-15T00:00:00Z'))).toMatchObject({
      from: '2028-01-31T16:00:00.000Z',
      to: '2028-02-29T16:00:00.000Z',
      label: '2028年2月',
    });
  });

  it('rejects an invalid date', () => {
    expect(() => reportPeriod('daily', new Date('nope'))).toThrow(RangeError);
  });
});
