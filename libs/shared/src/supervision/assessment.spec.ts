import { assessUnit, MIN_RANKING_SAMPLE, monthKeyOf, parseAssessmentPeriod, rankUnits } from './assessment';
import type { UnitPeriodFacts } from './assessment';

const clean = (over: Partial<UnitPeriodFacts> = {}): UnitPeriodFacts => ({
  unitId: 'transport',
  lateSigns: [],
  overdueReplies: [],
  due: 100,
  completed: 100,
  notCompleted: [],
  evaluated: 80,
  satisfied: 80,
  unsatisfied: [],
  refusals: [],
  attitudeComplaints: [],
  instructed: 4,
  instructedCompleted: 4,
  instructedOpen: [],
  manual: { leadership: 15, rules: 15 },
  bonuses: [],
  ...over,
});
const round = (n: number) => Math.round(n * 100) / 100;
const score = (f: UnitPeriodFacts, key: string) => assessUnit(f).items.find((i) => i.key === key)!;

describe('unit assessment (PA §4, 100 points + bonus)', () => {
  it('a unit with nothing against it scores 100', () => {
    const a = assessUnit(clean());
    expect(a.base).toBe(100);
    expect(a.total).toBe(100);
    expect(a.items.map((i) => i.max).reduce((x, y) => x + y, 0)).toBe(100);
  });

  it('timeliness: −0.5 per late sign and per overdue reply, naming the tickets; floor 0', () => {
    const t = score(clean({ lateSigns: ['A', 'B'], overdueReplies: ['C'] }), 'timeliness');
    expect(t.score).toBe(18.5);
    expect(t.deductions).toEqual([
      { reason: '超时签收', points: 1, tickets: ['A', 'B'] },
      { reason: '未经批准延期的超期答复', points: 0.5, tickets: ['C'] },
    ]);
    const many = Array.from({ length: 50 }, (_, i) => `T${i}`);
    expect(score(clean({ lateSigns: many }), 'timeliness').score).toBe(0);
  });

  it('no item loses more than its points: the deductions shown add up to what it lost', () => {
    const many = Array.from({ length: 50 }, (_, i) => `T${i}`);
    const t = score(clean({ lateSigns: many, overdueReplies: ['X'] }), 'timeliness');
    expect(t.deductions).toEqual([{ reason: '超时签收', points: 20, tickets: many }]);
    const none = score(
      clean({ instructed: 4, instructedCompleted: 0, instructedOpen: ['A', 'B', 'C', 'D'] }),
      'instructed',
    );
    expect(none.score).toBe(0);
    expect(none.deductions.map((d) => d.points)).toEqual([10]);
    for (const i of assessUnit(clean({ completed: 10, satisfied: 0, lateSigns: many })).items)
      expect(round(i.deductions.reduce((a, d) => a + d.points, 0))).toBe(round(i.max - i.score));
  });

  it('completion ≥ 95 %: at 95 % nothing lost, −1 per 2 points short pro rata', () => {
    const rates = 'completion_and_satisfaction';
    expect(score(clean({ completed: 95 }), rates).score).toBe(20);
    expect(score(clean({ completed: 94 }), rates).score).toBe(19.5);
    expect(score(clean({ completed: 93 }), rates).score).toBe(19);
    expect(score(clean({ completed: 50 }), rates).score).toBe(0); // −22.5, floor 0
    expect(score(clean({ due: 0, completed: 0 }), rates).score).toBe(20); // nothing due: nothing lost
  });

  it('completion and satisfaction are one item of 20, each rate deducting, the floor for both (PA §4)', () => {
    // 50 % satisfied with a full completion rate: −20, all of it (two items of 10 lost only 10).
    expect(score(clean({ evaluated: 100, satisfied: 50 }), 'completion_and_satisfaction').score).toBe(0);
    const both = score(
      clean({ completed: 93, evaluated: 100, satisfied: 86 }),
      'completion_and_satisfaction',
    );
    expect(both.score).toBe(17);
    expect(both.deductions.map((d) => d.points)).toEqual([1, 2]);
  });

  it('names the tickets behind each rate it deducts for', () => {
    const a = assessUnit(
      clean({
        due: 10,
        completed: 8,
        notCompleted: ['T1', 'T2'],
        evaluated: 10,
        satisfied: 8,
        unsatisfied: ['U1', 'U2'],
        instructed: 2,
        instructedCompleted: 1,
        instructedOpen: ['I1'],
      }),
    );
    const named = (key: string) => a.items.find((i) => i.key === key)!.deductions.map((d) => d.tickets);
    expect(named('completion_and_satisfaction')).toEqual([
      ['T1', 'T2'],
      ['U1', 'U2'],
    ]);
    expect(named('instructed')).toEqual([['I1']]);
  });

  it('the instructed item names the open instructions too, one on a key task included (it has no ticket)', () => {
    const a = assessUnit(
      clean({
        instructed: 2,
        instructedCompleted: 0,
        instructedOpen: ['I1'],
        instructionsOpen: ['ins-1', 'ins-2'],
      }),
    );
    const [d] = a.items.find((i) => i.key === 'instructed')!.deductions;
    expect(d).toMatchObject({ tickets: ['I1'], instructions: ['ins-1', 'ins-2'], points: 10 });
  });

  it('satisfaction ≥ 90 %: at 90 % nothing lost, at 86 % −2', () => {
    expect(score(clean({ evaluated: 100, satisfied: 90 }), 'completion_and_satisfaction').score).toBe(20);
    expect(score(clean({ evaluated: 100, satisfied: 86 }), 'completion_and_satisfaction').score).toBe(18);
  });

  it('attitude: −0.5 per refusal and per attitude complaint; leader-instructed cases at 100 %', () => {
    expect(score(clean({ refusals: ['R'], attitudeComplaints: ['X', 'Y'] }), 'attitude').score).toBe(18.5);
    expect(score(clean({ instructed: 4, instructedCompleted: 3 }), 'instructed').score).toBe(0); // 75 %: −12.5
    expect(score(clean({ instructed: 50, instructedCompleted: 49 }), 'instructed').score).toBe(9);
  });

  it('the manual items are the centre’s, clamped to 0–15', () => {
    const a = assessUnit(clean({ manual: { leadership: 12, rules: 99 } }));
    expect(a.items.slice(0, 2).map((i) => i.score)).toEqual([12, 15]);
  });

  it('the bonus: one award per event, at its highest', () => {
    const a = assessUnit(
      clean({
        bonuses: [
          { kind: 'citizen_praise', ref: 'praise-1' },
          { kind: 'city_media', ref: 'news-7' },
          { kind: 'provincial_media', ref: 'news-7' },
          { kind: 'provincial_leader_endorsement', ref: 'memo-3' },
        ],
      }),
    );
    expect(a.bonus).toBe(0.5 + 3 + 5);
    expect(a.total).toBe(108.5);
  });
});

describe('the ranking', () => {
  it('ranks only units with enough tickets; two perfect tickets do not top it', () => {
    const big = assessUnit(clean({ unitId: 'housing', lateSigns: ['A'] }));
    const tiny = assessUnit(clean({ unitId: 'water', due: 2, completed: 2, evaluated: 2, satisfied: 2 }));
    const other = assessUnit(clean({ unitId: 'transport' }));
    const r = rankUnits([tiny, big, other]);
    expect(r).toEqual([
      { unitId: 'transport', total: 100, rank: 1, unrankedReason: null },
      { unitId: 'housing', total: 99.5, rank: 2, unrankedReason: null },
      {
        unitId: 'water',
        total: 100,
        rank: null,
        unrankedReason: `样本不足（2件，少于${MIN_RANKING_SAMPLE}件）`,
      },
    ]);
  });

  it('ties share a rank', () => {
    const r = rankUnits([
      assessUnit(clean({ unitId: 'a' })),
      assessUnit(clean({ unitId: 'b' })),
      assessUnit(clean({ unitId: 'c', lateSigns: ['x'] })),
    ]);
    expect(r.map((x) => x.rank)).toEqual([1, 1, 3]);
  });
});

describe('assessment periods (China time)', () => {
  it('month, quarter, half-year and year', () => {
    expect(parseAssessmentPeriod('2026-11')).toEqual({
      key: '2026-11',
      kind: 'month',
      from: '2026-10-31T16:00:00.000Z',
      to: '2026-11-30T16:00:00.000Z',
      label: '2026年11月',
    });
    expect(parseAssessmentPeriod('2026-Q4')).toMatchObject({
      from: '2026-09-30T16:00:00.000Z',
      to: '2026-12-31T16:00:00.000Z',
      label: '2026年第四季度',
    });
    expect(parseAssessmentPeriod('2026-H1')).toMatchObject({
      to: '2026-06-30T16:00:00.000Z',
      label: '2026年上半年',
    });
    expect(parseAssessmentPeriod('2026')).toMatchObject({
      from: '2025-12-31T16:00:00.000Z',
      to: '2026-12-31T16:00:00.000Z',
      label: '2026年度',
    });
  });
  it('refuses anything else', () => {
    for (const bad of [
      '2026-13',
      '2026-00',
      '2026-Q5',
      '2026-H3',
      '26-11',
      '2026-1',
      '1999',
      '',
      2026,
      null,
      '2026-11 ',
    ])
      expect(parseAssessmentPeriod(bad)).toBeNull();
  });
  it('the month of an instant is China time', () => {
    expect(monthKeyOf(Date.parse('2026-11-30T15:59:59Z'))).toBe('2026-11');
    expect(monthKeyOf(Date.parse('2026-11-30T16:00:00Z'))).toBe('2026-12');
  });
});
