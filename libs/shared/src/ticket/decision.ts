import type { CalendarData, WorkingCalendar } from '../domain/calendar';
import type { ErrorCode } from '../domain/errors';
import type { Actor, TicketEventDataMap, TicketEventType } from '../domain/events';
import type { ResolvedPolicy } from '../domain/policy';
import type { TicketState } from './state';

/**
 * What a regulation step decides, as plain data: the workflow carries it out (records the events,
 * takes the next state); a validator shows a rejection to the caller before anything happens.
 * Decisions are pure: the time, the policy and the calendar come in the context.
 */
export interface DecisionContext {
  /** The workflow's clock, epoch ms. */
  now: number;
  policy: ResolvedPolicy;
  calendar: WorkingCalendar;
  /** The calendar's data as the ticket holds it (what a re-applied policy is compared with). */
  calendarData?: CalendarData;
  /**
   * Rules changed while tickets were running. Each is in force unless set to false, which the
   * workflow does only when it replays a course recorded before the change (Temporal's `patched()`),
   * so that a running ticket's recorded history still replays as it was decided.
   */
  amended?: Partial<Record<Amendment, boolean>>;
}

/**
 * The rule changes, by name (the name is also the workflow's patch id: never reuse or rename one).
 * - `extension-after-sign`: a unit asks for an extension only once it has signed the ticket (before
 *   it, a request was accepted in the `dispatched` state).
 * - `sub-unit-signs`: a sub-unit signs for its pass (签收) before it sends its result or passes the
 *   ticket on (before it, a sub-unit had no sign step).
 * - `sub-pass-reminders`: a sub-unit given a time of its own by its hub is reminded at the policy's
 *   fractions of it (before it, the clock woke only at that time, to mark it overdue).
 * - `answer-once`: an answer given again after the ticket was answered is already applied only when
 *   it is the same answer to a ticket answered directly (before it, any answer to a ticket in its
 *   callback or closed was, even a different one, even to a ticket a unit had replied to).
 * - `reply-once`: a reply sent again after the ticket was replied to is already applied only when it
 *   is the same reply (before it, any reply was, once the ticket was past its handling).
 * - `pass-once`: a hub's pass sent again to the same sub-unit under the same number is already
 *   applied only with the same note, time and files (before it, whatever they were).
 * - `reapply-once`: the active policy re-applied to a ticket already on it and on the same calendar
 *   is already applied (before it, each re-application recorded an event).
 * - `closure-v2`: a reply is checked with CLOSURE_PHRASES_V2 (before it, with the first lists, which
 *   let "仍在处理", "已经处理了" and a plan "拟安排…具体时间另行通知" close).
 * - `grant-within-request`: the centre grants what the unit asked or less, and more than nothing
 *   (before it, any grant within the cap, a larger one too).
 * - `return-once`: a return sent again while it awaits the centre is already applied only when it
 *   is the same return (reason and unit); another is refused (before it, any was already applied).
 * - `dispatch-once`: the centre's dispatch sent again is already applied only with the same assisting
 *   units; other ones are refused (before it, the same lead unit was enough).
 * - `promise-v2`: a reply is read against the unit's service promises as service-promise.ts says
 *   (before it, a negation then the exact phrase after a leading time limit, within 8 characters).
 * - `coordination-levels`: the centre coordinates a ticket at most twice, then (and after the
 *   group's) the leadership group designates; the level is in the event and in what makes a
 *   designation the same one again; designating the unit that leads confirms it (before it, the
 *   centre's, any number of times, and the unit that leads refused).
 *   A lead so designated gets no return window (before it, one was shown, the return refused).
 * - `closure-v3`: a reply giving a promised service more time than promised ("24小时内上门维修"
 *   promised, "3个工作日内安排人员上门维修" said) contradicts the promise (latePromise; before it,
 *   only a negation did); and "需协调" is a case of duties needing coordination only where its
 *   clause speaks of duties or who leads, or it ends the clause (CLOSURE_PHRASES_V3; before it,
 *   "该路段需协调管线迁改" was one too).
 * - `sub-sign-within-due`: a sub-unit given a time for its result earlier than the sign limit
 *   signs by that time (before it, its sign time could fall after the time its result was due).
 *
 * Append only, in the order they were made: a ticket started after a run of them takes that run in
 * force from its start (`RULES_FROM_START` in the ticket workflow names its last).
 */
export const AMENDMENTS = [
  'extension-after-sign',
  'sub-unit-signs',
  'sub-pass-reminders',
  'sub-unit-sign-time',
  'answer-once',
  'reply-once',
  'pass-once',
  'reapply-once',
  'closure-v2',
  'grant-within-request',
  'return-once',
  'dispatch-once',
  'promise-v2',
  'coordination-levels',
  'closure-v3',
  'sub-sign-within-due',
] as const;
export type Amendment = (typeof AMENDMENTS)[number];

/** Whether an amended rule is in force for this decision (it is unless the replayed course predates it). */
export const inForce = (ctx: Pick<DecisionContext, 'amended'>, a: Amendment): boolean =>
  ctx.amended?.[a] !== false;

/** An event as a decision drafts it; the workflow adds its id, time and the state snapshot. */
export type EventDraft = {
  [T in TicketEventType]: { type: T; data: TicketEventDataMap[T]; actor: Actor };
}[TicketEventType];

export type Decision =
  /** Refused. `record`: events to record all the same (a deficient reply stays on the record). */
  | {
      kind: 'rejected';
      code: ErrorCode;
      message: string;
      details?: Record<string, unknown>;
      record?: EventDraft[];
    }
  /** Already applied: the same action again changes nothing. */
  | { kind: 'unchanged' }
  | { kind: 'changed'; state: TicketState; events: EventDraft[] };

export const SYSTEM: Actor = { kind: 'system' };
export const UNCHANGED: Decision = { kind: 'unchanged' };

export function rejected(
  code: ErrorCode,
  message: string,
  details?: Record<string, unknown>,
  record?: EventDraft[],
): Decision {
  return { kind: 'rejected', code, message, ...(details ? { details } : {}), ...(record ? { record } : {}) };
}

/** The next state from a copy of `s`, changed in place by `step`, which returns the events it drafts. */
export function change(s: TicketState, step: (next: TicketState) => EventDraft[]): Decision {
  const next = JSON.parse(JSON.stringify(s)) as TicketState;
  const events = step(next);
  return { kind: 'changed', state: next, events };
}

/** Runs another decision on the state a decision made, keeping both's events (one transition). */
export function andThen(d: Decision, then: (s: TicketState) => Decision): Decision {
  if (d.kind !== 'changed') return d;
  const more = then(d.state);
  if (more.kind !== 'changed') return more.kind === 'unchanged' ? d : more;
  return { kind: 'changed', state: more.state, events: [...d.events, ...more.events] };
}

export const iso = (ms: number): string => new Date(ms).toISOString();
