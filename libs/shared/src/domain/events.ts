import {
  APPEAL_KINDS,
  CALLBACK_MODES,
  CHANNELS,
  COORDINATION_LEVELS,
  DEADLINE_KINDS,
  EXCLUSION_REASONS,
  TICKET_STATUSES,
  VERDICTS,
  isOneOf,
} from './vocabulary';
import type {
  AppealKind,
  CallbackMode,
  Channel,
  CoordinationLevel,
  DeadlineKind,
  ExclusionReason,
  Role,
  TicketStatus,
  Verdict,
} from './vocabulary';
import type { Duration } from './calendar';
import { ASSIGNMENT_STATUSES } from '../ticket/state';
import type { TicketSnapshot } from '../ticket/state';
import { isCitedFileList } from '../records/attachments';
import type { CitedAttachment } from '../records/attachments';
import { containsInvalidText, isEventTime, isUuid } from './text';

/**
 * Ticket events: past-tense facts, published to Kafka through the outbox. Every event carries its
 * schema version; a consumer reads the versions it knows and rejects the rest loudly.
 * Kafka key = ticketNo, so one ticket's events stay in order on one partition; `seq` numbers a
 * ticket's events from 1 without gaps, so a consumer can also tell order and duplicates itself
 * (a voided event keeps its seq: `ticket.record_corrected` names it).
 */
export const TICKET_EVENTS_TOPIC = 'ticket-events.v1';
/**
 * Version 2 added `state` (the ticket's status and every unit's assignment, as the workflow
 * decided them). Version 1 events (without it) are refused: no projection may guess a status.
 */
export const TICKET_EVENT_VERSION = 2;

export interface Actor {
  /** `system` for the platform itself (workflow timers, routing). */
  kind: 'user' | 'system';
  userId?: string;
  role?: Role;
  unitId?: string;
}

export const SYSTEM_ACTOR: Actor = { kind: 'system' };

export interface TicketCreatedData {
  channel: Channel;
  kind: AppealKind;
  category: string;
  regionCode: string;
  title: string;
  confidential: boolean;
}
export interface TicketNotAcceptedData {
  reason: ExclusionReason;
  guidance: string;
}
export interface TicketAnsweredDirectlyData {
  answer: string;
}
/** The appeal was answered on a three-way call (三方通话) with the unit responsible. */
export interface TicketThreeWayCallHeldData {
  unitId: string;
  unitName: string;
  /** Who spoke for the unit on the call. */
  participant: string;
  /** What the unit answered, as the operator recorded it. */
  summary: string;
}
/**
 * The call was transferred to the unit's dedicated line (专线: a department hotline merged into
 * 12345, its specialist seat), whose staff took the appeal and answered it.
 */
export interface TicketTransferredToSpecialLineData {
  unitId: string;
  unitName: string;
  /** The line, as the citizen knows it (e.g. 12315 市场监管专线). */
  line: string;
  /** What the line answered or undertook, as the operator recorded it. */
  summary: string;
}
/**
 * The appeal was linked with the unit's dedicated service window (专窗联动: its window in the
 * government service hall), which took it in hand there.
 */
export interface TicketSpecialWindowLinkedData {
  unitId: string;
  unitName: string;
  /** The window, as the citizen finds it (e.g. 市民中心二楼医保专窗). */
  window: string;
  /** What the window answered or arranged (an appointment, the papers to bring). */
  summary: string;
}
export interface TicketDispatchedData {
  unitId: string;
  unitName: string;
  /** The matter catalog entry that chose the unit, or null for an ad-hoc dispatch. */
  catalogEntryId: string | null;
  signDueAt: string;
  completeDueAt: string;
  /** Until when the unit may return the ticket; null: it may not (the centre designated it by coordination). */
  returnWindowEndsAt: string | null;
}
/** An assisting unit (协办单位) joins the lead unit on the ticket, with its own sign deadline. */
export interface TicketAssistanceDispatchedData {
  unitId: string;
  unitName: string;
  signDueAt: string;
}
export interface TicketAssistanceSignedData {
  unitId: string;
  late: boolean;
}
export interface TicketSignedData {
  unitId: string;
  /** Signed after the sign deadline: accepted, and a scored violation. */
  late: boolean;
}
export interface TicketReturnedData {
  unitId: string;
  reason: string;
  suggestedUnitId: string | null;
  /** The files the action cites (RULES §8); absent when it cites none. */
  attachments?: CitedAttachment[];
}
export interface TicketReturnDecidedData {
  unitId: string;
  approved: boolean;
  note: string;
}
/**
 * The centre designated the lead unit (协调, RULES §2) while the ticket was being handled: it left
 * `fromUnitId` (and the sub-units its passes had put it with) for `unitId`; `ticket.dispatched`
 * (and `ticket.assistance_dispatched` for each assisting unit named) follows in the same transition.
 */
export interface TicketCoordinatedData {
  fromUnitId: string;
  unitId: string;
  unitName: string;
  assistingUnitIds: string[];
  recalledSubUnitIds: string[];
  /** The former lead's extension request that awaited the centre, withdrawn with the ticket (null: none). */
  withdrawnExtension: { unitId: string; requested: Duration } | null;
  reason: string;
  /** Who designated the lead: the centre, or the leadership group (absent in events recorded before it: the centre). */
  level?: CoordinationLevel;
}
export interface TicketExtensionRequestedData {
  unitId: string;
  requested: Duration;
  reason: string;
  /** The files the action cites (RULES §8); absent when it cites none. */
  attachments?: CitedAttachment[];
}
export interface TicketExtensionDecidedData {
  unitId: string;
  approved: boolean;
  granted: Duration | null;
  completeDueAt: string;
  note: string;
}
export interface TicketRepliedData {
  unitId: string;
  content: string;
  /**
   * What else the unit sent with its reply, as the centre reviews it (办结标准): the department
   * responsible, whether it is a plan and the promised completion day. Absent on replies recorded
   * before 2026-12-06.
   */
  responsibleDepartment?: string | null;
  isPlan?: boolean;
  plannedCompletionDate?: string | null;
  /** The unit's files the reply cites (RULES §8); absent when it cites none. */
  attachments?: CitedAttachment[];
  /** The unit's extension request that awaited the centre, moot once it replied (absent: none). */
  withdrawnExtension?: { unitId: string; requested: Duration };
}
export interface TicketReplyRejectedData {
  unitId: string;
  /** The closure-standard defects (办结标准) that kept the reply from closing the ticket. */
  defects: string[];
  /** The deficient reply itself (absent on refusals recorded before 2026-12-06). */
  content?: string;
}
export interface TicketReplyReviewedData {
  unitId: string;
  approved: boolean;
  note: string;
  /** When sent back: the unit's deadline to complete the reply. */
  completeDueAt: string | null;
}
export interface TicketRemindedData {
  deadline: DeadlineKind;
  dueAt: string;
  unitId: string | null;
}
export interface TicketOverdueData {
  deadline: DeadlineKind;
  dueAt: string;
  unitId: string | null;
}
export interface TicketCallbackRequestedData {
  mode: CallbackMode;
  dueAt: string;
  round: number;
}
export interface TicketCallbackAnsweredData {
  mode: CallbackMode;
  verdict: Verdict | null;
  round: number;
  note: string;
  /** Manual callbacks that asked: whether the problem was actually solved (实际解决); absent otherwise. */
  resolved?: boolean;
}
export interface TicketRectificationOrderedData {
  unitId: string;
  completeDueAt: string;
  round: number;
}
export interface TicketEvaluationRequestedData {
  unitId: string | null;
  verdict: Verdict;
}
/** A unit holding the ticket recorded how its handling is going (办理进度), short of its reply. */
export interface TicketProgressNotedData {
  unitId: string;
  content: string;
}
/** The hub (the lead unit) passed the ticket to its sub-unit on its own desk (RULES §2 multi-level). */
export interface TicketSubDispatchedData {
  /** The hub. */
  unitId: string;
  subUnitId: string;
  subUnitName: string;
  subTicketNo: string | null;
  note: string;
  /** The sub-unit that had it and had not answered: the pass to it is recalled. */
  recalledSubUnitId: string | null;
  /** The files the action cites (RULES §8); absent when it cites none. */
  attachments?: CitedAttachment[];
  /** When the hub wants the sub-unit's result by; absent: no time of its own. */
  dueAt?: string;
  /**
   * When the sub-unit is to sign for it by (the policy's sign limit from the pass, as for the lead);
   * absent: passes recorded before a sub-unit had a sign time.
   */
  signDueAt?: string;
}
/** The sub-unit signed for the pass on its desk (签收, 接单): it takes the ticket on. */
export interface TicketSubSignedData {
  /** The hub. */
  unitId: string;
  subUnitId: string;
  /** The sub-unit's own number for it, as the pass gave it. */
  subTicketNo: string | null;
  /** Signed after the pass's sign time: accepted, and a scored violation (absent: the pass had none). */
  late?: boolean;
}
/** A reminder (催办) to a sub-unit of the time its hub set for its result, at the policy's fractions of it. */
export interface TicketSubRemindedData {
  /** The hub. */
  unitId: string;
  subUnitId: string;
  dueAt: string;
}
/** A sub-unit did not send its result by the time its hub set (the hub's to act on). */
export interface TicketSubOverdueData {
  /** The hub. */
  unitId: string;
  subUnitId: string;
  dueAt: string;
}
/** The hub took back a pass its sub-unit had not answered, to handle the ticket itself. */
export interface TicketSubRecalledData {
  unitId: string;
  subUnitId: string;
  reason: string;
}
/** The sub-unit refused it as not its own; `declines`: how many times sub-units have on this ticket. */
export interface TicketSubDeclinedData {
  unitId: string;
  subUnitId: string;
  reason: string;
  declines: number;
}
/** The sub-unit's result, for the hub leader's review. */
export interface TicketSubRepliedData {
  unitId: string;
  subUnitId: string;
  content: string;
  responsibleDepartment: string | null;
  isPlan: boolean;
  plannedCompletionDate: string | null;
  /** The files the action cites (RULES §8); absent when it cites none. */
  attachments?: CitedAttachment[];
}
/** The hub leader's review (经领导审核): approved, the result goes to the centre as the hub's reply. */
export interface TicketSubReplyReviewedData {
  unitId: string;
  subUnitId: string;
  approved: boolean;
  leaderName: string;
  note: string;
  /** Reviewed in person from the leader's own account; absent: recorded by a clerk. */
  byLeader?: boolean;
}
/** The petitioner was told the appeal is accepted (受理告知); `late`: after the policy's limit. */
export interface TicketAcceptanceNotifiedData {
  means: string;
  note: string;
  late: boolean;
}
/** An administrator applied another policy (or version) to the running ticket. */
export interface TicketPolicyReappliedData {
  code: string;
  version: number;
}
/** One event a correction took off the record: what it was and where it stood. */
export interface VoidedEventRef {
  eventId: string;
  type: TicketEventType;
  seq: number;
}
/**
 * The record was corrected: these events were written by an attempt of the workflow that the
 * Temporal server then dropped (its task was lost), so the workflow never made that transition.
 * They stay in the ledger, marked void, and leave the ticket's history; the event's state is the
 * workflow's. Consumers that counted or acted on a voided event undo it.
 */
export interface TicketRecordCorrectedData {
  voided: VoidedEventRef[];
}
/** How a ticket ended: its reply stood, the citizen's verdict, not accepted, or no one reached. */
export const CLOSURE_OUTCOMES = [
  'replied',
  'satisfied',
  'basically_satisfied',
  'unsatisfied',
  'not_accepted',
  'unreachable',
] as const;
export type ClosureOutcome = (typeof CLOSURE_OUTCOMES)[number];

export interface TicketClosedData {
  unitId: string | null;
  outcome: ClosureOutcome;
}

export interface TicketEventDataMap {
  'ticket.created': TicketCreatedData;
  'ticket.not_accepted': TicketNotAcceptedData;
  'ticket.answered_directly': TicketAnsweredDirectlyData;
  'ticket.dispatched': TicketDispatchedData;
  'ticket.signed': TicketSignedData;
  'ticket.assistance_dispatched': TicketAssistanceDispatchedData;
  'ticket.assistance_signed': TicketAssistanceSignedData;
  'ticket.returned': TicketReturnedData;
  'ticket.return_decided': TicketReturnDecidedData;
  'ticket.coordinated': TicketCoordinatedData;
  'ticket.extension_requested': TicketExtensionRequestedData;
  'ticket.extension_decided': TicketExtensionDecidedData;
  'ticket.replied': TicketRepliedData;
  'ticket.reply_rejected': TicketReplyRejectedData;
  'ticket.reply_reviewed': TicketReplyReviewedData;
  'ticket.reminded': TicketRemindedData;
  'ticket.overdue': TicketOverdueData;
  'ticket.callback_requested': TicketCallbackRequestedData;
  'ticket.callback_answered': TicketCallbackAnsweredData;
  'ticket.rectification_ordered': TicketRectificationOrderedData;
  'ticket.evaluation_requested': TicketEvaluationRequestedData;
  'ticket.policy_reapplied': TicketPolicyReappliedData;
  'ticket.acceptance_notified': TicketAcceptanceNotifiedData;
  'ticket.progress_noted': TicketProgressNotedData;
  'ticket.sub_dispatched': TicketSubDispatchedData;
  'ticket.sub_signed': TicketSubSignedData;
  'ticket.sub_recalled': TicketSubRecalledData;
  'ticket.sub_declined': TicketSubDeclinedData;
  'ticket.sub_replied': TicketSubRepliedData;
  'ticket.sub_reply_reviewed': TicketSubReplyReviewedData;
  'ticket.sub_reminded': TicketSubRemindedData;
  'ticket.sub_overdue': TicketSubOverdueData;
  'ticket.closed': TicketClosedData;
  'ticket.record_corrected': TicketRecordCorrectedData;
  'ticket.three_way_call_held': TicketThreeWayCallHeldData;
  'ticket.transferred_to_special_line': TicketTransferredToSpecialLineData;
  'ticket.special_window_linked': TicketSpecialWindowLinkedData;
}
export type TicketEventType = keyof TicketEventDataMap;
export const TICKET_EVENT_TYPES: readonly TicketEventType[] = [
  'ticket.created',
  'ticket.not_accepted',
  'ticket.answered_directly',
  'ticket.dispatched',
  'ticket.signed',
  'ticket.assistance_dispatched',
  'ticket.assistance_signed',
  'ticket.returned',
  'ticket.return_decided',
  'ticket.coordinated',
  'ticket.extension_requested',
  'ticket.extension_decided',
  'ticket.replied',
  'ticket.reply_rejected',
  'ticket.reply_reviewed',
  'ticket.reminded',
  'ticket.overdue',
  'ticket.callback_requested',
  'ticket.callback_answered',
  'ticket.rectification_ordered',
  'ticket.evaluation_requested',
  'ticket.policy_reapplied',
  'ticket.acceptance_notified',
  'ticket.progress_noted',
  'ticket.sub_dispatched',
  'ticket.sub_signed',
  'ticket.sub_recalled',
  'ticket.sub_declined',
  'ticket.sub_replied',
  'ticket.sub_reply_reviewed',
  'ticket.sub_reminded',
  'ticket.sub_overdue',
  'ticket.closed',
  'ticket.record_corrected',
  'ticket.three_way_call_held',
  'ticket.transferred_to_special_line',
  'ticket.special_window_linked',
];

export interface TicketEvent<T extends TicketEventType = TicketEventType> {
  /** Unique per event (uuid); consumers deduplicate on it. */
  id: string;
  type: T;
  version: typeof TICKET_EVENT_VERSION;
  ticketNo: string;
  /** 1-based position in the ticket's own history. */
  seq: number;
  occurredAt: string;
  actor: Actor;
  data: TicketEventDataMap[T];
  /**
   * The ticket's state right after the transition this event belongs to, as TicketWorkflow
   * decided it (the one source of truth). Projections copy it; none recomputes a status.
   */
  state: TicketSnapshot;
}

export type AnyTicketEvent = { [K in TicketEventType]: TicketEvent<K> }[TicketEventType];

export class EventSchemaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EventSchemaError';
  }
}

type Check = (v: unknown) => boolean;
const str: Check = (v) => typeof v === 'string' && v.length > 0;
const strOrNull: Check = (v) => v === null || str(v);
const bool: Check = (v) => typeof v === 'boolean';
const isoDate: Check = isEventTime;

const strList: Check = (v) => Array.isArray(v) && v.every(str);
const strOrEmpty: Check = (v) => typeof v === 'string';
const strOrEmptyOrNull: Check = (v) => v === null || typeof v === 'string';
/** A field added to an event's data later: events recorded before it lack it. */
const optional =
  (check: Check): Check =>
  (v) =>
    v === undefined || check(v);
const int1: Check = (v) => typeof v === 'number' && Number.isInteger(v) && v >= 1;
const duration: Check = (v) =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as Duration).amount === 'number' &&
  typeof (v as Duration).unit === 'string';
const verdictOrNull: Check = (v) => v === null || isOneOf(VERDICTS, v);
const deadline: Check = (v) => isOneOf(DEADLINE_KINDS, v);
const mode: Check = (v) => isOneOf(CALLBACK_MODES, v);
/** The files an action cites (RULES §8): absent when it cites none. */
const cited: Check = optional(isCitedFileList);
/** An extension request that awaited the centre, withdrawn by what the event records. */
const withdrawnRequest: Check = (v) =>
  typeof v === 'object' &&
  v !== null &&
  str((v as { unitId?: unknown }).unitId) &&
  duration((v as { requested?: unknown }).requested);

const DATA_SCHEMAS: { [K in TicketEventType]: Record<keyof TicketEventDataMap[K], Check> } = {
  'ticket.created': {
    channel: (v) => isOneOf(CHANNELS, v),
    kind: (v) => isOneOf(APPEAL_KINDS, v),
    category: str,
    regionCode: str,
    title: str,
    confidential: bool,
  },
  'ticket.not_accepted': { reason: (v) => isOneOf(EXCLUSION_REASONS, v), guidance: str },
  'ticket.answered_directly': { answer: str },
  'ticket.three_way_call_held': { unitId: str, unitName: str, participant: str, summary: str },
  'ticket.transferred_to_special_line': { unitId: str, unitName: str, line: str, summary: str },
  'ticket.special_window_linked': { unitId: str, unitName: str, window: str, summary: str },
  'ticket.dispatched': {
    unitId: str,
    unitName: str,
    catalogEntryId: strOrNull,
    signDueAt: isoDate,
    completeDueAt: isoDate,
    returnWindowEndsAt: (v) => v === null || isoDate(v),
  },
  'ticket.signed': { unitId: str, late: bool },
  'ticket.assistance_dispatched': { unitId: str, unitName: str, signDueAt: isoDate },
  'ticket.assistance_signed': { unitId: str, late: bool },
  'ticket.returned': { unitId: str, reason: str, suggestedUnitId: strOrNull, attachments: cited },
  'ticket.return_decided': { unitId: str, approved: bool, note: strOrEmpty },
  'ticket.coordinated': {
    fromUnitId: str,
    unitId: str,
    unitName: str,
    assistingUnitIds: strList,
    recalledSubUnitIds: strList,
    withdrawnExtension: (v) => v === null || withdrawnRequest(v),
    reason: str,
    level: optional((v) => isOneOf(COORDINATION_LEVELS, v)),
  },
  'ticket.extension_requested': { unitId: str, requested: duration, reason: str, attachments: cited },
  'ticket.extension_decided': {
    unitId: str,
    approved: bool,
    granted: (v) => v === null || duration(v),
    completeDueAt: isoDate,
    note: strOrEmpty,
  },
  'ticket.replied': {
    unitId: str,
    content: str,
    responsibleDepartment: optional(strOrEmptyOrNull),
    isPlan: optional(bool),
    plannedCompletionDate: optional(strOrNull),
    attachments: cited,
    withdrawnExtension: optional(withdrawnRequest),
  },
  'ticket.reply_rejected': {
    unitId: str,
    defects: (v) => Array.isArray(v) && v.every(str),
    content: optional(strOrEmpty),
  },
  'ticket.reply_reviewed': {
    unitId: str,
    approved: bool,
    note: strOrEmpty,
    completeDueAt: (v) => v === null || isoDate(v),
  },
  'ticket.reminded': { deadline, dueAt: isoDate, unitId: strOrNull },
  'ticket.overdue': { deadline, dueAt: isoDate, unitId: strOrNull },
  'ticket.callback_requested': { mode, dueAt: isoDate, round: int1 },
  'ticket.callback_answered': {
    mode,
    verdict: verdictOrNull,
    round: int1,
    note: strOrEmpty,
    resolved: (v) => v === undefined || typeof v === 'boolean',
  },
  'ticket.rectification_ordered': { unitId: str, completeDueAt: isoDate, round: int1 },
  'ticket.evaluation_requested': { unitId: strOrNull, verdict: (v) => isOneOf(VERDICTS, v) },
  'ticket.policy_reapplied': { code: str, version: int1 },
  'ticket.acceptance_notified': { means: str, note: strOrEmpty, late: bool },
  'ticket.progress_noted': { unitId: str, content: str },
  'ticket.sub_dispatched': {
    unitId: str,
    subUnitId: str,
    subUnitName: str,
    subTicketNo: strOrNull,
    note: strOrEmpty,
    recalledSubUnitId: strOrNull,
    attachments: cited,
    dueAt: optional(isoDate),
    signDueAt: optional(isoDate),
  },
  'ticket.sub_reminded': { unitId: str, subUnitId: str, dueAt: isoDate },
  'ticket.sub_overdue': { unitId: str, subUnitId: str, dueAt: isoDate },
  'ticket.sub_signed': { unitId: str, subUnitId: str, subTicketNo: strOrNull, late: optional(bool) },
  'ticket.sub_recalled': { unitId: str, subUnitId: str, reason: str },
  'ticket.sub_declined': { unitId: str, subUnitId: str, reason: str, declines: int1 },
  'ticket.sub_replied': {
    unitId: str,
    subUnitId: str,
    content: str,
    responsibleDepartment: strOrEmptyOrNull,
    isPlan: bool,
    plannedCompletionDate: strOrNull,
    attachments: cited,
  },
  'ticket.sub_reply_reviewed': {
    unitId: str,
    subUnitId: str,
    approved: bool,
    leaderName: str,
    note: strOrEmpty,
    byLeader: optional(bool),
  },
  'ticket.record_corrected': {
    voided: (v) =>
      Array.isArray(v) &&
      v.length > 0 &&
      v.every(
        (r) =>
          isRecord(r) &&
          str(r.eventId) &&
          isOneOf(TICKET_EVENT_TYPES, r.type) &&
          typeof r.seq === 'number' &&
          Number.isInteger(r.seq) &&
          r.seq >= 1,
      ),
  },
  'ticket.closed': {
    unitId: strOrNull,
    outcome: (v) => (CLOSURE_OUTCOMES as readonly unknown[]).includes(v),
  },
};

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isSnapshot(v: unknown): v is TicketSnapshot {
  return (
    isRecord(v) &&
    isOneOf(TICKET_STATUSES, v.status) &&
    strOrNull(v.unitId) &&
    Array.isArray(v.assignments) &&
    v.assignments.every(
      (a) =>
        isRecord(a) &&
        str(a.unitId) &&
        (a.role === 'lead' || a.role === 'assisting' || a.role === 'sub') &&
        isOneOf(ASSIGNMENT_STATUSES, a.status),
    ) &&
    (v.policy === undefined || (isRecord(v.policy) && str(v.policy.code) && int1(v.policy.version)))
  );
}

/** Validates an event read from the wire. Throws EventSchemaError naming every bad field. */
export function parseTicketEvent(raw: unknown): AnyTicketEvent {
  if (!isRecord(raw)) throw new EventSchemaError('event is not an object');
  const problems: string[] = [];
  // A UUID: the inbox keys on it (anything else would fail there and hold up the partition).
  if (typeof raw.id !== 'string' || !isUuid(raw.id)) problems.push('id');
  if (!isOneOf(TICKET_EVENT_TYPES, raw.type)) problems.push('type');
  if (raw.version !== TICKET_EVENT_VERSION)
    problems.push(`version (got ${String(raw.version)}, know ${TICKET_EVENT_VERSION})`);
  if (!str(raw.ticketNo)) problems.push('ticketNo');
  if (typeof raw.seq !== 'number' || !Number.isInteger(raw.seq) || raw.seq < 1 || raw.seq > 2_147_483_647)
    problems.push('seq');
  if (!isoDate(raw.occurredAt)) problems.push('occurredAt');
  if (!isRecord(raw.actor) || (raw.actor.kind !== 'user' && raw.actor.kind !== 'system'))
    problems.push('actor');
  if (!isSnapshot(raw.state)) problems.push('state');
  if (isOneOf(TICKET_EVENT_TYPES, raw.type)) {
    const schema = DATA_SCHEMAS[raw.type] as Record<string, Check>;
    if (!isRecord(raw.data)) problems.push('data');
    else
      for (const [field, check] of Object.entries(schema)) {
        if (!check(raw.data[field])) problems.push(`data.${field}`);
      }
  }
  if (containsInvalidText(raw)) problems.push('text (U+0000 or a lone surrogate)');
  if (problems.length > 0) throw new EventSchemaError(`invalid ticket event: ${problems.join(', ')}`);
  return raw as unknown as AnyTicketEvent;
}

export function isTicketStatus(v: unknown): v is TicketStatus {
  return isOneOf(TICKET_STATUSES, v);
}

/** Alerts for the people who run the platform (not ticket facts): `<prefix>.platform-alerts.v1`. */
export const PLATFORM_ALERTS_TOPIC = 'platform-alerts.v1';
export interface PlatformAlert {
  id: string;
  type: 'platform.alert_raised';
  version: 1;
  /** `activity.failing`: an activity kept failing and is still being retried. */
  kind: 'activity.failing';
  /** What it is about, e.g. `ticket 20261123000001`. */
  subject: string;
  detail: string;
  attempt: number | null;
  occurredAt: string;
}
