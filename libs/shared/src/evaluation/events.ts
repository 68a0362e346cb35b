import { isOneOf, VERDICTS } from '../domain/vocabulary';
import type { Verdict } from '../domain/vocabulary';
import type { Actor } from '../domain/events';
import { EventSchemaError } from '../domain/events';
import { containsInvalidText, isEventTime, isUuid } from '../domain/text';

/**
 * Evaluation events: the evaluation service's own past-tense facts (expert evaluation, public
 * votes, reconsideration, the verdict that counts for satisfaction), published to Kafka through
 * the outbox in the same transaction as the change they announce. Kafka key = ticketNo.
 * Supervision's assessment consumes them; the ticket's own events stay on `ticket-events.v1`.
 */
export const EVALUATION_EVENTS_TOPIC = 'evaluation-events.v1';
export const EVALUATION_EVENT_VERSION = 1;

/** Why an expert evaluator no longer holds a case. */
export const EXPERT_WITHDRAWAL_REASONS = ['timed_out', 'returned_unsuited', 'unavailable'] as const;
export type ExpertWithdrawalReason = (typeof EXPERT_WITHDRAWAL_REASONS)[number];

/** Where an expert case stands: waiting for a free evaluator, held by one, decided, or withdrawn. */
export const EXPERT_CASE_STATUSES = ['waiting_for_evaluator', 'assigned', 'decided', 'withdrawn'] as const;
export type ExpertCaseStatus = (typeof EXPERT_CASE_STATUSES)[number];

/**
 * How an evaluator's hold on a case ended (`open` while they hold it): the verdict, one of the
 * withdrawal reasons, or the case itself withdrawn (the request that opened it was voided).
 */
export const EXPERT_ASSIGNMENT_OUTCOMES = [
  'open',
  'decided',
  ...EXPERT_WITHDRAWAL_REASONS,
  'case_withdrawn',
] as const;
export type ExpertAssignmentOutcome = (typeof EXPERT_ASSIGNMENT_OUTCOMES)[number];

/** Where a counted verdict came from (the precedence rule: `satisfaction.ts`). */
export const SATISFACTION_SOURCES = ['sms', 'manual', 'vote', 'expert'] as const;
export type SatisfactionSource = (typeof SATISFACTION_SOURCES)[number];

export const RECONSIDERATION_OUTCOMES = ['upheld', 'revised'] as const;
export type ReconsiderationOutcome = (typeof RECONSIDERATION_OUTCOMES)[number];

export interface VoteTally {
  satisfied: number;
  basically_satisfied: number;
  unsatisfied: number;
}

export interface EvaluationEventDataMap {
  /** An unsatisfied case was assigned to an expert evaluator (an opaque id: identities are protected). */
  'evaluation.expert_assigned': {
    caseId: string;
    unitId: string;
    evaluatorId: string;
    attempt: number;
    decideBy: string;
  };
  /** The evaluator no longer holds the case: timed out (automatic withdrawal), returned as unsuited, or unavailable. */
  'evaluation.expert_withdrawn': {
    caseId: string;
    unitId: string;
    evaluatorId: string;
    reason: ExpertWithdrawalReason;
  };
  /**
   * The case was withdrawn before its verdict: the request that opened it was voided by a
   * correction of the ticket's record. The evaluator holding it (if any) no longer does.
   */
  'evaluation.expert_case_withdrawn': {
    caseId: string;
    unitId: string;
    evaluatorId: string | null;
    reason: 'record_corrected';
  };
  /** The evaluator's final verdict (满意 / 基本满意 / 不满意) with its reason. */
  'evaluation.expert_verdict_recorded': { caseId: string; unitId: string; verdict: Verdict; reason: string };
  /** A unit's objection, recorded by the centre with its answer; the verdict stands. */
  'evaluation.objection_recorded': { caseId: string; unitId: string; objection: string; answer: string };
  /** A forum ticket's vote window opened (SZ 寒山闻钟). */
  'evaluation.vote_opened': { unitId: string; closesAt: string };
  /** The vote window closed: the poster's verdict (satisfied by default when they never voted) and the others' tally. */
  'evaluation.vote_closed': {
    unitId: string;
    result: Verdict;
    posterVerdict: Verdict;
    posterDefaulted: boolean;
    others: VoteTally;
  };
  /**
   * The vote window was withdrawn before it closed: the approval that opened it was voided by a
   * correction of the ticket's record. Its votes count for nothing; a real approval opens it again.
   */
  'evaluation.vote_withdrawn': { unitId: string; reason: 'record_corrected' };
  'evaluation.reconsideration_requested': {
    reconsiderationId: string;
    unitId: string;
    reason: string;
    decideBy: string;
  };
  'evaluation.reconsideration_reminded': { reconsiderationId: string; dueAt: string };
  'evaluation.reconsideration_overdue': { reconsiderationId: string; dueAt: string };
  'evaluation.reconsideration_decided': {
    reconsiderationId: string;
    unitId: string;
    outcome: ReconsiderationOutcome;
    decision: string;
    late: boolean;
  };
  /**
   * The verdict that counts for the ticket's satisfaction changed (the precedence rule decided it).
   * `unitId` is null for a ticket no unit handled (answered at intake): it counts in the figures by
   * category and region and the city's, in no unit's.
   */
  'evaluation.satisfaction_recorded': {
    unitId: string | null;
    category: string;
    regionCode: string;
    verdict: Verdict;
    source: SatisfactionSource;
    closedAt: string;
    /**
     * Set when the verdict changed because the ticket's record was corrected (a lost attempt's
     * callback answer or close voided), not because a new verdict arrived.
     */
    correction?: true;
  };
  /**
   * The ticket no longer has a verdict that counts: the record it rested on was corrected (the
   * close or the answers voided), or the rule that counted it changed (`rule_changed`: a ticket
   * closed unreachable, counted by its SMS answer before). A verdict recorded later counts again.
   */
  'evaluation.satisfaction_withdrawn': { unitId: string | null; reason: SatisfactionWithdrawalReason };
}

export const SATISFACTION_WITHDRAWAL_REASONS = ['record_corrected', 'rule_changed'] as const;
export type SatisfactionWithdrawalReason = (typeof SATISFACTION_WITHDRAWAL_REASONS)[number];

export type EvaluationEventType = keyof EvaluationEventDataMap;
export const EVALUATION_EVENT_TYPES = [
  'evaluation.expert_assigned',
  'evaluation.expert_withdrawn',
  'evaluation.expert_case_withdrawn',
  'evaluation.expert_verdict_recorded',
  'evaluation.objection_recorded',
  'evaluation.vote_opened',
  'evaluation.vote_closed',
  'evaluation.vote_withdrawn',
  'evaluation.reconsideration_requested',
  'evaluation.reconsideration_reminded',
  'evaluation.reconsideration_overdue',
  'evaluation.reconsideration_decided',
  'evaluation.satisfaction_recorded',
  'evaluation.satisfaction_withdrawn',
] as const satisfies readonly EvaluationEventType[];

/**
 * What the evaluation decided of a ticket that belongs on its record (RULES §8): the expert's final
 * verdict and the objections the centre answered, the public vote's result, a reconsideration asked
 * and decided. The ticket's answer on intake shows them; the archive's record names them. (Not the
 * assignments: they name the evaluators, whose identity is protected.)
 */
export const EVALUATION_ON_RECORD = [
  'evaluation.expert_verdict_recorded',
  'evaluation.objection_recorded',
  'evaluation.vote_closed',
  'evaluation.reconsideration_requested',
  'evaluation.reconsideration_decided',
] as const satisfies readonly EvaluationEventType[];

export interface EvaluationEvent<T extends EvaluationEventType = EvaluationEventType> {
  id: string;
  type: T;
  version: typeof EVALUATION_EVENT_VERSION;
  ticketNo: string;
  occurredAt: string;
  actor: Actor;
  data: EvaluationEventDataMap[T];
}
export type AnyEvaluationEvent = { [T in EvaluationEventType]: EvaluationEvent<T> }[EvaluationEventType];

type Check = (v: unknown) => boolean;
const str: Check = (v) => typeof v === 'string' && v.length > 0;
const text: Check = (v) => typeof v === 'string';
const bool: Check = (v) => typeof v === 'boolean';
const isoDate: Check = isEventTime;
const int1: Check = (v) => typeof v === 'number' && Number.isInteger(v) && v >= 1;
const count: Check = (v) => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const verdict: Check = (v) => isOneOf(VERDICTS, v);
const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const SCHEMAS: { [K in EvaluationEventType]: Record<keyof EvaluationEventDataMap[K], Check> } = {
  'evaluation.expert_assigned': {
    caseId: str,
    unitId: str,
    evaluatorId: str,
    attempt: int1,
    decideBy: isoDate,
  },
  'evaluation.expert_withdrawn': {
    caseId: str,
    unitId: str,
    evaluatorId: str,
    reason: (v) => isOneOf(EXPERT_WITHDRAWAL_REASONS, v),
  },
  'evaluation.expert_case_withdrawn': {
    caseId: str,
    unitId: str,
    evaluatorId: (v) => v === null || str(v),
    reason: (v) => v === 'record_corrected',
  },
  'evaluation.expert_verdict_recorded': { caseId: str, unitId: str, verdict, reason: str },
  'evaluation.objection_recorded': { caseId: str, unitId: str, objection: str, answer: str },
  'evaluation.vote_opened': { unitId: str, closesAt: isoDate },
  'evaluation.vote_closed': {
    unitId: str,
    result: verdict,
    posterVerdict: verdict,
    posterDefaulted: bool,
    others: (v) => isRecord(v) && count(v.satisfied) && count(v.basically_satisfied) && count(v.unsatisfied),
  },
  'evaluation.vote_withdrawn': { unitId: str, reason: (v) => v === 'record_corrected' },
  'evaluation.reconsideration_requested': {
    reconsiderationId: str,
    unitId: str,
    reason: str,
    decideBy: isoDate,
  },
  'evaluation.reconsideration_reminded': { reconsiderationId: str, dueAt: isoDate },
  'evaluation.reconsideration_overdue': { reconsiderationId: str, dueAt: isoDate },
  'evaluation.reconsideration_decided': {
    reconsiderationId: str,
    unitId: str,
    outcome: (v) => isOneOf(RECONSIDERATION_OUTCOMES, v),
    decision: text,
    late: bool,
  },
  'evaluation.satisfaction_recorded': {
    unitId: (v) => v === null || str(v),
    category: str,
    regionCode: str,
    verdict,
    source: (v) => isOneOf(SATISFACTION_SOURCES, v),
    closedAt: isoDate,
    correction: (v) => v === undefined || v === true,
  },
  'evaluation.satisfaction_withdrawn': {
    unitId: (v) => v === null || str(v),
    reason: (v) => isOneOf(SATISFACTION_WITHDRAWAL_REASONS, v),
  },
};

/** Validates an evaluation event (written or read from the wire). Throws EventSchemaError naming every bad field. */
export function parseEvaluationEvent(raw: unknown): AnyEvaluationEvent {
  if (!isRecord(raw)) throw new EventSchemaError('event is not an object');
  const problems: string[] = [];
  // A UUID: the inbox keys on it (anything else would fail there and hold up the partition).
  if (typeof raw.id !== 'string' || !isUuid(raw.id)) problems.push('id');
  if (!isOneOf(EVALUATION_EVENT_TYPES, raw.type)) problems.push('type');
  if (raw.version !== EVALUATION_EVENT_VERSION)
    problems.push(`version (got ${String(raw.version)}, know ${EVALUATION_EVENT_VERSION})`);
  if (!str(raw.ticketNo)) problems.push('ticketNo');
  if (!isoDate(raw.occurredAt)) problems.push('occurredAt');
  if (!isRecord(raw.actor) || (raw.actor.kind !== 'user' && raw.actor.kind !== 'system'))
    problems.push('actor');
  if (isOneOf(EVALUATION_EVENT_TYPES, raw.type)) {
    const schema = SCHEMAS[raw.type] as Record<string, Check>;
    if (!isRecord(raw.data)) problems.push('data');
    else
      for (const [field, check] of Object.entries(schema))
        if (!check(raw.data[field])) problems.push(`data.${field}`);
  }
  if (containsInvalidText(raw)) problems.push('text (U+0000 or a lone surrogate)');
  if (problems.length > 0) throw new EventSchemaError(`invalid evaluation event: ${problems.join(', ')}`);
  return raw as unknown as AnyEvaluationEvent;
}
