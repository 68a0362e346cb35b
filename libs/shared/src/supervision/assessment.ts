/**
 * The unit assessment (考核, RULES §7, PA §4): 100 points and a bonus, per unit and period, as a
 * pure rule over the period's facts. Every deduction names the tickets it comes from.
 *
 * - Leadership attention 15 and rules in place 15: the centre's manual inputs (0–15 each).
 * - Handling quality 70:
 *   - timely sign and reply 20: −0.5 per late sign, −0.5 per overdue reply without an approved
 *     extension;
 *   - completion rate ≥ 95 % and satisfaction rate ≥ 90 %, 20 together: −1 per 2 percentage
 *     points short on each, the floor of 0 for the two together. Chosen: pro rata, so 93 %
 *     completion is −1, and 94 % is −0.5;
 *   - attitude 20: −0.5 per refusal to sign or sign-without-handling, −0.5 per complaint about
 *     attitude;
 *   - leader-instructed cases completed 100 %, 10: −1 per 2 points short.
 *   Every item has a floor of 0.
 * - Bonus: +0.5 citizen praise, +2 city-leader / +5 provincial-leader endorsement, +2 adopted
 *   suggestion, +1 city / +3 provincial media article, +2 praise in the hotline bulletin. One award
 *   per event: a second award for the same event reference counts once, at its highest.
 *
 * The ranking needs enough tickets to mean something: see `rankUnits`.
 */
export const BONUS_POINTS = {
  citizen_praise: 0.5,
  city_leader_endorsement: 2,
  provincial_leader_endorsement: 5,
  adopted_suggestion: 2,
  city_media: 1,
  provincial_media: 3,
  bulletin_praise: 2,
} as const;
export type BonusKind = keyof typeof BONUS_POINTS;

export interface UnitPeriodFacts {
  unitId: string;
  /** Tickets signed after the sign deadline. */
  lateSigns: readonly string[];
  /** Tickets whose reply went overdue without an approved extension. */
  overdueReplies: readonly string[];
  /**
   * Tickets due for completion in the period, and those completed on time. Due: the reply deadline
   * (after extensions, a reply sent back, rectification) falls in the period and has passed, or the
   * unit has replied; a ticket still within its time is not due yet, and counts for nothing.
   */
  due: number;
  completed: number;
  /** The tickets due and not completed on time, by number: what the completion rate lacks. */
  notCompleted: readonly string[];
  /** Tickets with a counted verdict, and those satisfied or basically satisfied. */
  evaluated: number;
  satisfied: number;
  /** The tickets with a counted verdict of unsatisfied, by number. */
  unsatisfied: readonly string[];
  /** Refusals to sign, or signing without handling, of a ticket that is the unit's. */
  refusals: readonly string[];
  /** Tickets carrying a complaint about the unit's attitude. */
  attitudeComplaints: readonly string[];
  /** Leader-instructed cases (领导批示) due, and those completed. */
  instructed: number;
  instructedCompleted: number;
  /** The tickets of the leader-instructed cases not completed, by number. */
  instructedOpen: readonly string[];
  /**
   * The instructions not completed, by id, whatever they are on (a ticket, an order, a key task):
   * an instruction on a key task has no ticket to name. Absent: none listed.
   */
  instructionsOpen?: readonly string[];
  /** The centre's manual scores, 0–15 each. */
  manual: { leadership: number; rules: number };
  bonuses: readonly { kind: BonusKind; ref: string }[];
}

export interface Deduction {
  reason: string;
  points: number;
  tickets: readonly string[];
  /** The leader's instructions the deduction is for, by id (the instructed item only). */
  instructions?: readonly string[];
}

/** The items of the 100 points, in the published table's order. */
export const ASSESSMENT_ITEM_KEYS = [
  'leadership',
  'rules',
  'timeliness',
  'completion_and_satisfaction',
  'attitude',
  'instructed',
] as const;

export interface AssessmentItem {
  key: (typeof ASSESSMENT_ITEM_KEYS)[number];
  /** Chinese, for the published table. */
  label: string;
  max: number;
  score: number;
  deductions: Deduction[];
}

export interface Assessment {
  unitId: string;
  items: AssessmentItem[];
  base: number;
  bonus: number;
  total: number;
  rates: { completion: number | null; satisfaction: number | null; instructed: number | null };
  sample: number;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

function item(
  key: AssessmentItem['key'],
  label: string,
  max: number,
  deductions: Deduction[],
): AssessmentItem {
  // Each deduction takes what is left of the item, in order: no item loses more than its points,
  // and the deductions shown add up to what it lost (a 0 % rate is 50 points short of a 10-point item).
  let left = max;
  const applied = deductions.map((d) => {
    const points = round2(Math.min(d.points, left));
    left = round2(left - points);
    return { ...d, points };
  });
  return {
    key,
    label,
    max,
    score: left,
    deductions: applied.filter((d) => d.points > 0),
  };
}

/** −1 per 2 percentage points short of the target, pro rata; null rate (nothing due) loses nothing. */
function shortfall(rate: number | null, target: number): number {
  if (rate === null || rate >= target) return 0;
  return round2(((target - rate) * 100) / 2);
}

const rate = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

export function assessUnit(f: UnitPeriodFacts): Assessment {
  const completion = rate(f.completed, f.due);
  const satisfaction = rate(f.satisfied, f.evaluated);
  const instructed = rate(f.instructedCompleted, f.instructed);
  const manual = (v: number) => Math.min(15, Math.max(0, v));
  const items: AssessmentItem[] = [
    { key: 'leadership', label: '领导重视', max: 15, score: manual(f.manual.leadership), deductions: [] },
    { key: 'rules', label: '制度建设', max: 15, score: manual(f.manual.rules), deductions: [] },
    item('timeliness', '按时签收与答复', 20, [
      { reason: '超时签收', points: 0.5 * f.lateSigns.length, tickets: f.lateSigns },
      { reason: '未经批准延期的超期答复', points: 0.5 * f.overdueReplies.length, tickets: f.overdueReplies },
    ]),
    item('completion_and_satisfaction', '按期办结率（≥95%）与满意率（≥90%）', 20, [
      { reason: '按期办结率未达95%', points: shortfall(completion, 0.95), tickets: f.notCompleted },
      { reason: '满意率未达90%', points: shortfall(satisfaction, 0.9), tickets: f.unsatisfied },
    ]),
    item('attitude', '服务态度', 20, [
      { reason: '拒签或签而不办', points: 0.5 * f.refusals.length, tickets: f.refusals },
      { reason: '服务态度投诉', points: 0.5 * f.attitudeComplaints.length, tickets: f.attitudeComplaints },
    ]),
    item('instructed', '领导批示件办结落实', 10, [
      {
        reason: '领导批示件办结率未达100%',
        points: shortfall(instructed, 1),
        tickets: f.instructedOpen,
        instructions: f.instructionsOpen ?? [],
      },
    ]),
  ];
  const best = new Map<string, number>();
  for (const b of f.bonuses) best.set(b.ref, Math.max(best.get(b.ref) ?? 0, BONUS_POINTS[b.kind]));
  const bonus = round2([...best.values()].reduce((a, b) => a + b, 0));
  const base = round2(items.reduce((a, i) => a + i.score, 0));
  return {
    unitId: f.unitId,
    items,
    base,
    bonus,
    total: round2(base + bonus),
    rates: { completion, satisfaction, instructed },
    sample: f.due,
  };
}

/**
 * The published ranking. A unit with few tickets would top it by luck (two tickets, both on time,
 * both satisfied: a perfect score), so the rule chosen is a minimum sample: a unit is ranked only
 * with at least `minSample` tickets due in the period (default 30, the usual threshold below which
 * a rate's sampling error — ±18 points at 30 tickets and 50 % — swamps the 90/95 % targets it is
 * measured against); the others are listed, unranked, with the reason. Ties share a rank.
 */
export const MIN_RANKING_SAMPLE = 30;

export interface RankedUnit {
  unitId: string;
  total: number;
  rank: number | null;
  unrankedReason: string | null;
}

export function rankUnits(assessments: readonly Assessment[], minSample = MIN_RANKING_SAMPLE): RankedUnit[] {
  const ranked = assessments
    .filter((a) => a.sample >= minSample)
    .sort((a, b) => b.total - a.total || a.unitId.localeCompare(b.unitId));
  const out: RankedUnit[] = [];
  let rank = 0;
  ranked.forEach((a, i) => {
    if (i === 0 || a.total !== ranked[i - 1].total) rank = i + 1;
    out.push({ unitId: a.unitId, total: a.total, rank, unrankedReason: null });
  });
  for (const a of assessments
    .filter((x) => x.sample < minSample)
    .sort((x, y) => x.unitId.localeCompare(y.unitId)))
    out.push({
      unitId: a.unitId,
      total: a.total,
      rank: null,
      unrankedReason: `样本不足（${a.sample}件，少于${minSample}件）`,
    });
  return out;
}

/**
 * An assessment period (RULES §7: monthly publication, quarterly ranking, half-year circular,
 * annual assessment): `2026-11`, `2026-Q4`, `2026-H2` or `2026`, in China time. `from` inclusive,
 * `to` exclusive, as instants. Null for anything else.
 */
export const ASSESSMENT_PERIOD_KINDS = ['month', 'quarter', 'half_year', 'year'] as const;

export interface AssessmentPeriod {
  key: string;
  kind: (typeof ASSESSMENT_PERIOD_KINDS)[number];
  from: string;
  to: string;
  /** Chinese, for the published table. */
  label: string;
}

export function parseAssessmentPeriod(key: unknown): AssessmentPeriod | null {
  if (typeof key !== 'string') return null;
  const m = /^(\d{4})(?:-(?:(0[1-9]|1[0-2])|Q([1-4])|H([12])))?$/.exec(key);
  if (!m) return null;
  const year = Number(m[1]);
  if (year < 2000 || year > 2100) return null;
  const chinaMidnight = (y: number, month0: number) => new Date(Date.UTC(y, month0, 1) - 8 * 3_600_000);
  let first: number;
  let months: number;
  let kind: AssessmentPeriod['kind'];
  let label: string;
  if (m[2]) {
    first = Number(m[2]) - 1;
    months = 1;
    kind = 'month';
    label = `${year}年${first + 1}月`;
  } else if (m[3]) {
    first = (Number(m[3]) - 1) * 3;
    months = 3;
    kind = 'quarter';
    label = `${year}年第${['一', '二', '三', '四'][Number(m[3]) - 1]}季度`;
  } else if (m[4]) {
    first = (Number(m[4]) - 1) * 6;
    months = 6;
    kind = 'half_year';
    label = `${year}年${m[4] === '1' ? '上' : '下'}半年`;
  } else {
    first = 0;
    months = 12;
    kind = 'year';
    label = `${year}年度`;
  }
  return {
    key,
    kind,
    from: chinaMidnight(year, first).toISOString(),
    to: chinaMidnight(year, first + months).toISOString(),
    label,
  };
}

/** The month of an instant in China time, as an assessment period key (`2026-11`). */
export function monthKeyOf(at: number): string {
  const d = new Date(at + 8 * 3_600_000);
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}
