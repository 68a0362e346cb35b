import type { Actor } from '../domain/events';
import { EventSchemaError } from '../domain/events';
import { isOneOf } from '../domain/vocabulary';
import { containsInvalidText, isEventTime, isUuid } from '../domain/text';

/**
 * Supervision events: the supervision service's own past-tense facts (orders raised, answered,
 * reviewed, closed; escalations decided; leader instructions recorded), published to Kafka through
 * its outbox in the same transaction as the change they announce. Kafka key = the subject: the
 * order's id, or the unit's id for an escalation, so one order's events keep their order.
 */
export const SUPERVISION_EVENTS_TOPIC = 'supervision-events.v1';
export const SUPERVISION_EVENT_VERSION = 1;

/** 催办 (a reminder to act) and 督办 (a supervision order with its own deadline and review). */
export const ORDER_KINDS = ['reminder', 'order'] as const;
export type OrderKind = (typeof ORDER_KINDS)[number];

/** Why an order was raised (RULES §6); `manual` is a supervisor's own. */
export const ORDER_TRIGGERS = [
  'overdue_without_feedback',
  'not_done_in_promised_time',
  'buck_passing',
  'refusal',
  'repeated_complaint',
  'unsatisfied_with_time_left',
  'unsatisfied_after_closure',
  'rectification_lapsed',
  /** The centre (or the leadership group) designated the lead unit: it is held to act (RULES §2, §6). */
  'coordination',
  'leader_instruction',
  'indicator_overdue',
  'manual',
] as const;
export type OrderTrigger = (typeof ORDER_TRIGGERS)[number];

/** Pre-closure (the ticket still runs) or post-closure supervision (GS). */
export const ORDER_STAGES = ['pre_closure', 'post_closure'] as const;
export type OrderStage = (typeof ORDER_STAGES)[number];

export const ORDER_OUTCOMES = ['accepted', 'withdrawn'] as const;
export type OrderOutcome = (typeof ORDER_OUTCOMES)[number];

/** The escalation chain (SQ art. 21). */
export const ESCALATION_MEASURES = [
  'interview',
  'circular',
  'special_report',
  'discipline_referral',
] as const;
export type EscalationMeasure = (typeof ESCALATION_MEASURES)[number];

/** Where a key task comes from (GS 督查督办系统). */
export const KEY_TASK_SOURCES = [
  'meeting',
  'annual_key_work',
  'npc_suggestion',
  'cppcc_proposal',
  'leader_assigned',
] as const;
export type KeyTaskSource = (typeof KEY_TASK_SOURCES)[number];

export const LEADER_LEVELS = ['city', 'provincial'] as const;
export type LeaderLevel = (typeof LEADER_LEVELS)[number];

export interface SupervisionEventDataMap {
  'supervision.order_raised': {
    orderId: string;
    kind: OrderKind;
    trigger: OrderTrigger;
    stage: OrderStage;
    unitId: string;
    ticketNo: string | null;
    instruction: string;
    respondBy: string;
  };
  'supervision.order_reminded': { orderId: string; unitId: string; round: number; respondBy: string };
  'supervision.order_overdue': { orderId: string; unitId: string; round: number; respondBy: string };
  'supervision.order_answered': {
    orderId: string;
    unitId: string;
    round: number;
    response: string;
    late: boolean;
  };
  /** The supervisor's review: accepted closes the order; sent back opens the next round. */
  'supervision.order_reviewed': {
    orderId: string;
    unitId: string;
    round: number;
    accepted: boolean;
    comment: string;
    respondBy: string | null;
  };
  'supervision.order_closed': {
    orderId: string;
    unitId: string;
    outcome: OrderOutcome;
    ticketNo: string | null;
  };
  'supervision.escalation_decided': {
    escalationId: string;
    unitId: string;
    measure: EscalationMeasure;
    grounds: string[];
    reason: string;
  };
  /** A key task's indicator reached its date without being closed off (销号). */
  'supervision.indicator_due': { taskId: string; indicatorId: string; unitId: string; dueAt: string };
  /** A closed ticket's tracked plan reached the end of its day without being reported done. */
  'supervision.plan_due': { ticketNo: string; unitId: string; plannedCompletionDate: string; dueAt: string };
  'supervision.instruction_recorded': {
    instructionId: string;
    unitId: string;
    ticketNo: string | null;
    orderId: string | null;
    taskId: string | null;
    leaderLevel: LeaderLevel;
  };
  /**
   * The ticket an instruction is on went to another lead unit (an approved return, the centre's
   * coordination): the instruction goes with it, and `orderId` is the order raised on the new lead.
   */
  'supervision.instruction_transferred': {
    instructionId: string;
    ticketNo: string;
    fromUnitId: string;
    unitId: string;
    orderId: string;
  };
}

export type SupervisionEventType = keyof SupervisionEventDataMap;
export const SUPERVISION_EVENT_TYPES = [
  'supervision.order_raised',
  'supervision.order_reminded',
  'supervision.order_overdue',
  'supervision.order_answered',
  'supervision.order_reviewed',
  'supervision.order_closed',
  'supervision.escalation_decided',
  'supervision.instruction_recorded',
  'supervision.instruction_transferred',
  'supervision.indicator_due',
  'supervision.plan_due',
] as const satisfies readonly SupervisionEventType[];

export interface SupervisionEvent<T extends SupervisionEventType = SupervisionEventType> {
  id: string;
  type: T;
  version: typeof SUPERVISION_EVENT_VERSION;
  /** The order's id, or the unit's for an escalation: the Kafka key. */
  subjectId: string;
  occurredAt: string;
  actor: Actor;
  data: SupervisionEventDataMap[T];
}
export type AnySupervisionEvent = { [T in SupervisionEventType]: SupervisionEvent<T> }[SupervisionEventType];

type Check = (v: unknown) => boolean;
const str: Check = (v) => typeof v === 'string' && v.length > 0;
const text: Check = (v) => typeof v === 'string';
const strOrNull: Check = (v) => v === null || str(v);
const bool: Check = (v) => typeof v === 'boolean';
const isoDate: Check = isEventTime;
const isoOrNull: Check = (v) => v === null || isoDate(v);
const int1: Check = (v) => typeof v === 'number' && Number.isInteger(v) && v >= 1;
const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const oneOf =
  (list: readonly string[]): Check =>
  (v) =>
    isOneOf(list, v);

const SCHEMAS: { [K in SupervisionEventType]: Record<keyof SupervisionEventDataMap[K], Check> } = {
  'supervision.order_raised': {
    orderId: str,
    kind: oneOf(ORDER_KINDS),
    trigger: oneOf(ORDER_TRIGGERS),
    stage: oneOf(ORDER_STAGES),
    unitId: str,
    ticketNo: strOrNull,
    instruction: str,
    respondBy: isoDate,
  },
  'supervision.order_reminded': { orderId: str, unitId: str, round: int1, respondBy: isoDate },
  'supervision.order_overdue': { orderId: str, unitId: str, round: int1, respondBy: isoDate },
  'supervision.order_answered': { orderId: str, unitId: str, round: int1, response: str, late: bool },
  'supervision.order_reviewed': {
    orderId: str,
    unitId: str,
    round: int1,
    accepted: bool,
    comment: text,
    respondBy: isoOrNull,
  },
  'supervision.order_closed': {
    orderId: str,
    unitId: str,
    outcome: oneOf(ORDER_OUTCOMES),
    ticketNo: strOrNull,
  },
  'supervision.escalation_decided': {
    escalationId: str,
    unitId: str,
    measure: oneOf(ESCALATION_MEASURES),
    grounds: (v) => Array.isArray(v) && v.every(str),
    reason: str,
  },
  'supervision.indicator_due': { taskId: str, indicatorId: str, unitId: str, dueAt: isoDate },
  'supervision.plan_due': {
    ticketNo: str,
    unitId: str,
    plannedCompletionDate: (v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v),
    dueAt: isoDate,
  },
  'supervision.instruction_recorded': {
    instructionId: str,
    unitId: str,
    ticketNo: strOrNull,
    orderId: strOrNull,
    taskId: strOrNull,
    leaderLevel: oneOf(LEADER_LEVELS),
  },
  'supervision.instruction_transferred': {
    instructionId: str,
    ticketNo: str,
    fromUnitId: str,
    unitId: str,
    orderId: str,
  },
};

/** Validates a supervision event (written or read from the wire). Throws EventSchemaError naming every bad field. */
export function parseSupervisionEvent(raw: unknown): AnySupervisionEvent {
  if (!isRecord(raw)) throw new EventSchemaError('event is not an object');
  const problems: string[] = [];
  // A UUID: the inbox keys on it (anything else would fail there and hold up the partition).
  if (typeof raw.id !== 'string' || !isUuid(raw.id)) problems.push('id');
  if (!isOneOf(SUPERVISION_EVENT_TYPES, raw.type)) problems.push('type');
  if (raw.version !== SUPERVISION_EVENT_VERSION)
    problems.push(`version (got ${String(raw.version)}, know ${SUPERVISION_EVENT_VERSION})`);
  if (!str(raw.subjectId)) problems.push('subjectId');
  if (!isoDate(raw.occurredAt)) problems.push('occurredAt');
  if (!isRecord(raw.actor) || (raw.actor.kind !== 'user' && raw.actor.kind !== 'system'))
    problems.push('actor');
  if (isOneOf(SUPERVISION_EVENT_TYPES, raw.type)) {
    const schema = SCHEMAS[raw.type] as Record<string, Check>;
    if (!isRecord(raw.data)) problems.push('data');
    else
      for (const [field, check] of Object.entries(schema))
        if (!check(raw.data[field])) problems.push(`data.${field}`);
  }
  if (containsInvalidText(raw)) problems.push('text (U+0000 or a lone surrogate)');
  if (problems.length > 0) throw new EventSchemaError(`invalid supervision event: ${problems.join(', ')}`);
  return raw as unknown as AnySupervisionEvent;
}
