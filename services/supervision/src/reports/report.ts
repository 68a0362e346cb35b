import type {
  concentratedEvents,
  crossHotSpots,
  hotEvents,
  hotSpots,
  persistentEvents,
  practiceTargets,
  ReportKind,
} from '@hotline/shared';

/**
 * One supervision report (RULES §7: daily, weekly, monthly), as plain data: the service fills it
 * from the period's facts and the analysis in libs/shared; `charts.ts`, `html.ts` and `xlsx.ts`
 * render it. The analysis runs over the tickets created in the period (`totals.created` of them).
 */
export interface SupervisionReport {
  kind: ReportKind;
  /** From `reportPeriod`: `2026年第48周`. */
  label: string;
  /** ISO UTC, from inclusive, to exclusive. */
  from: string;
  to: string;
  generatedAt: string;
  totals: { created: number; closed: number; satisfied: number; evaluated: number };
  /**
   * The targets seen in practice (RULES §7): the actual resolution and satisfaction rates of the
   * tickets closed in the period, city-wide (≥ 60 %) and supervised (≥ 50 %).
   */
  targets: ReturnType<typeof practiceTargets>;
  hotSpots: ReturnType<typeof hotSpots>;
  /** Hot events: the period against the one of equal length just before it. */
  hot: ReturnType<typeof hotEvents>;
  concentrated: ReturnType<typeof concentratedEvents>;
  persistent: ReturnType<typeof persistentEvents>;
  /** Cross-district, cross-department hot spots: in the weekly and monthly reports, not the daily. */
  crossHotSpots?: ReturnType<typeof crossHotSpots>;
  units: UnitLine[];
  /** Display names of category and region codes; a code without one is shown as it is. */
  names?: { categories?: Readonly<Record<string, string>>; regions?: Readonly<Record<string, string>> };
}

export interface UnitLine {
  unitId: string;
  unitName: string;
  total: number;
  closed: number;
  lateSigns: number;
  /** Satisfied or basically satisfied over evaluated, 0–1; null with nothing evaluated. */
  satisfactionRate: number | null;
}

export const REPORT_KIND_LABELS: Readonly<Record<ReportKind, string>> = {
  daily: '日报',
  weekly: '周报',
  monthly: '月报',
};

export const categoryName = (r: SupervisionReport, code: string): string =>
  r.names?.categories?.[code] ?? code;
export const regionName = (r: SupervisionReport, code: string): string => r.names?.regions?.[code] ?? code;
/** A unit's name as its line in the report gives it; a unit without one is shown by its id. */
export const unitName = (r: SupervisionReport, id: string): string =>
  r.units.find((u) => u.unitId === id)?.unitName ?? id;
/** A subject's name: a category by its display name, a keyword as it is. */
export const subjectName = (r: SupervisionReport, s: { subject: string; subjectKind: string }): string =>
  s.subjectKind === 'category' ? categoryName(r, s.subject) : s.subject;
export const subjectKindName = (s: { subjectKind: string }): string =>
  s.subjectKind === 'category' ? '类别' : '关键词';
/** A hot event's rise: `新出现` with none before, else `2.0倍`. */
export const growthText = (e: { count: number; previousCount: number }): string =>
  e.previousCount === 0 ? '新出现' : `${(e.count / e.previousCount).toFixed(1)}倍`;
/** `黄浦区 5、徐汇区 3` */
export const countsText = (list: readonly { key: string; count: number }[], name: (k: string) => string) =>
  list.map((k) => `${name(k.key)} ${k.count}`).join('、');

/** `12345热线 周报 2026年第48周` */
export const reportTitle = (r: SupervisionReport): string =>
  `12345热线 ${REPORT_KIND_LABELS[r.kind]} ${r.label}`;

/** 0.934 → `93.4%`; null → `—`. */
export const percent = (rate: number | null): string => (rate === null ? '—' : `${(rate * 100).toFixed(1)}%`);

/** Satisfaction over the period, or null with nothing evaluated. */
export const satisfactionOf = (r: SupervisionReport): number | null =>
  r.totals.evaluated > 0 ? r.totals.satisfied / r.totals.evaluated : null;

/** An ISO instant as China time, `2026-11-23 08:00`. */
export const chinaTime = (iso: string): string =>
  new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

/** `达标` / `未达标`; `—` with nothing to count. */
export const targetText = (meets: boolean | null): string =>
  meets === null ? '—' : meets ? '达标' : '未达标';

/** The targets' rows as the report shows them: scope, then each rate against its target. */
export function targetRows(r: SupervisionReport): {
  scope: string;
  resolution: number | null;
  asked: number;
  resolutionMet: string;
  satisfaction: number | null;
  evaluated: number;
  satisfactionMet: string;
  target: number;
}[] {
  return (
    [
      ['全市', r.targets.city],
      ['督办件', r.targets.supervised],
    ] as const
  ).map(([scope, t]) => ({
    scope,
    resolution: t.resolution.rate,
    asked: t.resolution.asked,
    resolutionMet: targetText(t.resolution.meetsTarget),
    satisfaction: t.satisfaction.rate,
    evaluated: t.satisfaction.evaluated,
    satisfactionMet: targetText(t.satisfaction.meetsTarget),
    target: t.resolution.target,
  }));
}
