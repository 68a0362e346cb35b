import { addDuration } from '../domain/calendar';
import type { Duration, WorkingCalendar } from '../domain/calendar';
import type { AppealKind } from '../domain/vocabulary';
import { isOneOf } from '../domain/vocabulary';
import { RECONSIDERATION_OUTCOMES } from './events';
import { visibleLength } from '../domain/text';

/**
 * Reconsideration (复查, GS): a complainant not satisfied with the decision on a complaint asks
 * for review within the policy's request window after closure; the centre decides within the
 * policy's `reconsideration` limit (GS: 10 working days), reminded at the policy's fractions and
 * marked overdue at the limit like every other deadline; a late decision is still taken, marked late.
 */
export interface ReconsiderationTicket {
  status: string;
  kind: AppealKind;
  closedAt: string | null;
  limits: { reconsideration?: Duration | null; reconsiderationRequestWindow?: Duration | null };
  alreadyRequested: boolean;
}

export function refuseReconsideration(
  t: ReconsiderationTicket,
  now: number,
  calendar: WorkingCalendar,
): { code: 'conflict' | 'action_rejected'; message: string } | null {
  if (t.alreadyRequested)
    return { code: 'conflict', message: 'reconsideration was already requested for this ticket' };
  if (t.kind !== 'complaint')
    return { code: 'action_rejected', message: 'only a complaint decision can be reconsidered' };
  if (t.status !== 'closed' || !t.closedAt)
    return {
      code: 'action_rejected',
      message: 'the ticket is not closed: there is no decision to reconsider yet',
    };
  const limit = t.limits.reconsideration ?? null;
  const window = t.limits.reconsiderationRequestWindow ?? null;
  if (!limit || !window)
    return { code: 'action_rejected', message: 'the ticket’s policy has no reconsideration' };
  if (now > addDuration(new Date(t.closedAt), window, calendar).getTime())
    return { code: 'action_rejected', message: 'the window to ask for reconsideration has passed' };
  return null;
}

/** The clock: the due time, and the reminders at the fractions of the time allowed. */
export function reconsiderationClock(
  requestedAt: number,
  limit: Duration,
  fractions: readonly number[],
  calendar: WorkingCalendar,
): { decideBy: number; remindAt: number[] } {
  const decideBy = addDuration(new Date(requestedAt), limit, calendar).getTime();
  return { decideBy, remindAt: fractions.map((f) => requestedAt + Math.round(f * (decideBy - requestedAt))) };
}

export interface ReconsiderationDecision {
  outcome: (typeof RECONSIDERATION_OUTCOMES)[number];
  decision: string;
  /** The centre's user deciding. */
  userId: string;
}

export function refuseDecision(
  cmd: ReconsiderationDecision,
  decided: boolean,
): { code: 'conflict' | 'validation_failed'; message: string } | null {
  if (decided) return { code: 'conflict', message: 'the reconsideration is decided' };
  if (!isOneOf(RECONSIDERATION_OUTCOMES, cmd.outcome))
    return { code: 'validation_failed', message: 'outcome is upheld or revised' };
  if (typeof cmd.decision !== 'string' || visibleLength(cmd.decision) < 2 || cmd.decision.length > 4000)
    return { code: 'validation_failed', message: 'a decision of 2 to 4000 characters is required' };
  return null;
}
