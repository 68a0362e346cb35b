import { visibleLength } from '../domain/text';

/**
 * Key-task supervision (督查督办系统, GS): a task (from a meeting, the annual key work, an NPC
 * suggestion or a CPPCC proposal) is decomposed into indicators with a target and a date, assigned
 * to a lead unit and assisting units; the units report progress, the centre reviews each report,
 * and an indicator accepted at 100 % is closed off (销号). The task is closed off with its last
 * indicator. An indicator past its date and not closed off raises an order on the lead unit.
 */
/** An indicator: open, a report waiting for the centre's review, or closed off (销号). */
export const INDICATOR_STATUSES = ['open', 'reported', 'closed_off'] as const;
export type IndicatorStatus = (typeof INDICATOR_STATUSES)[number];

/** A task: open until its last indicator is closed off. */
export const KEY_TASK_STATUSES = ['open', 'closed_off'] as const;

export interface IndicatorState {
  status: IndicatorStatus;
}

export function refuseProgressReport(
  task: { leadUnitId: string; assistingUnitIds: readonly string[] },
  ind: IndicatorState,
  unitId: string | null,
): { code: 'not_found' | 'action_rejected'; message: string } | null {
  if (!unitId || (unitId !== task.leadUnitId && !task.assistingUnitIds.includes(unitId)))
    return { code: 'not_found', message: 'no such task for your unit' };
  if (ind.status === 'closed_off') return { code: 'action_rejected', message: 'the indicator is closed off' };
  return null;
}

export function refuseReportReview(
  ind: IndicatorState,
  pending: { percent: number } | null,
  cmd: { accepted: boolean; comment?: string | null },
): { code: 'action_rejected' | 'validation_failed'; message: string } | null {
  if (ind.status === 'closed_off') return { code: 'action_rejected', message: 'the indicator is closed off' };
  if (!pending) return { code: 'action_rejected', message: 'no progress report waits for review' };
  if (!cmd.accepted && !(typeof cmd.comment === 'string' && visibleLength(cmd.comment) >= 2))
    return { code: 'validation_failed', message: 'a report sent back needs a comment' };
  return null;
}

/** Accepting a report at 100 % closes the indicator off; any other acceptance keeps it open. */
export const closesOff = (accepted: boolean, percent: number): boolean => accepted && percent === 100;
