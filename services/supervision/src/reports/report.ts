import type { concentratedEvents, hotSpots, persistentEvents, ReportKind } from '@hotline/shared';

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
  hotSpots: ReturnType<typeof hotSpots>;
  concentrated: ReturnType<typeof concentratedEvents>;
  persistent: ReturnType<typeof persistentEvents>;
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
