import type { CalendarData, Duration } from '../domain/calendar';
import type { Actor } from '../domain/events';
import type { ResolvedPolicy } from '../domain/policy';
import type {
  AppealKind,
  CallbackMode,
  Channel,
  CoordinationLevel,
  ExclusionReason,
  TicketStatus,
  Verdict,
} from '../domain/vocabulary';
import type { TicketState } from './state';
import type { CitedAttachment } from '../records/attachments';

/**
 * The contract between the services (Temporal clients) and TicketWorkflow: names and payload
 * types. Services import this and make typed calls (`executeTicketUpdate(client, no, 'sign', cmd)`
 * type-checks the command against the update's name); they never import workflow code. The
 * workflow defines its updates from the same map, so both sides change together.
 */
export const TICKET_WORKFLOW_TYPE = 'TicketWorkflow';

/** A unit named with its display name: the workflow does no look-ups, the caller resolved it. */
export interface UnitRef {
  unitId: string;
  unitName: string;
}

/** The matter catalog's choice at intake (承办事项库), resolved by intake before the start. */
export interface Route extends UnitRef {
  catalogEntryId: string | null;
}

/** How intake disposed of the appeal (分类处置). */
export type IntakeDisposition =
  | { type: 'dispatch' }
  /** Answered from the knowledge base; without an answer yet, the operator answers within the policy's directReply. */
  | { type: 'direct_answer'; answer: string | null }
  /**
   * Three-way call (三方通话, SQ art. 10.2): the operator brought the responsible unit onto the
   * citizen's call, and the unit's staff answered there and then.
   */
  | { type: 'three_way_call'; unit: UnitRef; participant: string; summary: string }
  /** Special channel (专线, SQ art. 10.2): the call transferred to the unit's dedicated line, which answered. */
  | { type: 'special_line'; unit: UnitRef; line: string; summary: string }
  /** Special window linkage (专窗联动, SQ art. 10.2): the unit's dedicated service window took it in hand. */
  | { type: 'special_window'; unit: UnitRef; window: string; summary: string }
  | { type: 'not_accepted'; reason: ExclusionReason; guidance: string };

export interface TicketWorkflowInput {
  ticketNo: string;
  channel: Channel;
  kind: AppealKind;
  category: string;
  regionCode: string;
  createdAt: string;
  /** The SLA policy the ticket started with; it keeps it unless an administrator re-applies one. */
  policy: ResolvedPolicy;
  /**
   * The policy's working-day calendar as it stood at intake (this year and the next): deadlines
   * are computed in the workflow from it, with no activity. Re-applying a policy refreshes it.
   */
  calendar: CalendarData;
  disposition: IntakeDisposition;
  /** The unit the matter catalog chose; null: the centre dispatches by hand (特事特办). */
  route: Route | null;
  /** Assisting units (协办单位) named at intake; the matter catalog names the lead unit. */
  assisting?: UnitRef[];
  /** Set by continue-as-new: the state to go on from. */
  resume?: TicketState;
  /** Continue as new past this many history events (default 4000; tests set it low). */
  historyLimit?: number;
}

export interface DispatchCommand {
  unit: UnitRef;
  /** Assisting units (协办单位) beside the lead unit. */
  assisting?: UnitRef[];
  actor: Actor;
}
export interface SignCommand {
  unitId: string;
  actor: Actor;
}
export interface ReturnCommand {
  unitId: string;
  reason: string;
  /** The unit the returning unit names as responsible, resolved by the dispatch service. */
  suggestedUnit: UnitRef | null;
  /** The unit's files the return cites (its evidence), checked by the dispatch service. */
  attachments?: CitedAttachment[];
  actor: Actor;
}
export interface DecideReturnCommand {
  approve: boolean;
  /** With approval: the unit to dispatch to instead (default: the unit the returning unit suggested). */
  redispatchTo: UnitRef | null;
  note: string;
  actor: Actor;
}
/** The centre designates the lead unit (协调), and any assisting units, with its reason. */
export interface CoordinateCommand {
  unit: UnitRef;
  assisting: UnitRef[];
  reason: string;
  /** Who designated the lead: the centre (absent: the centre), or the leadership group it escalated to. */
  level?: CoordinationLevel;
  actor: Actor;
}
export interface RequestExtensionCommand {
  unitId: string;
  requested: Duration;
  reason: string;
  /** The unit's files the request cites. */
  attachments?: CitedAttachment[];
  actor: Actor;
}
export interface DecideExtensionCommand {
  approve: boolean;
  /** With approval: may grant less than requested; default the requested duration. */
  granted: Duration | null;
  note: string;
  actor: Actor;
}
export interface ReplyCommand {
  unitId: string;
  content: string;
  /**
   * The replying unit's service promises (服务承诺), as the centre keeps them, resolved by the
   * dispatch service: a reply contradicting one does not close (closure standard art. 5.5).
   * Absent in commands recorded before units had them (then none was checked).
   */
  servicePromises?: string[];
  responsibleDepartment?: string | null;
  plannedCompletionDate?: string | null;
  isPlan?: boolean;
  /** The unit's files the reply cites (its documents, photos of the work done). */
  attachments?: CitedAttachment[];
  actor: Actor;
}
/** A unit's progress note (办理进度): how the handling is going, before its reply. */
export interface AddProgressNoteCommand {
  unitId: string;
  content: string;
  actor: Actor;
}
/** The hub passes the ticket to one of its sub-units (再派发, RULES §2 multi-level handling). */
export interface SubDispatchCommand {
  /** The hub: the lead unit, or a sub-unit the ticket is with that passes it on in turn. */
  unitId: string;
  /** The sub-unit, checked by the dispatch service to be the hub's own. */
  subUnit: UnitRef;
  /** The sub-unit's own ticket number on the hub's second-level desk, if any. */
  subTicketNo: string | null;
  /** The hub's instructions and approval slip (审批单), as the sub-unit reads them. */
  note: string;
  /**
   * When the hub wants the sub-unit's result by (ISO), within its own time; absent or null: no
   * time of its own (the lead's reply deadline still runs).
   */
  dueAt?: string | null;
  /** The hub's files the pass cites (the scanned approval slip). */
  attachments?: CitedAttachment[];
  actor: Actor;
}
/** The sub-unit signs for the pass on its desk (签收, 接单): it takes the ticket on. */
export interface SubSignCommand {
  unitId: string;
  actor: Actor;
}
/** The hub takes back a pass its sub-unit has not answered, to handle the ticket itself. */
export interface SubRecallCommand {
  unitId: string;
  reason: string;
  actor: Actor;
}
/** The sub-unit refuses the ticket as not its own: it goes back to the hub. */
export interface SubDeclineCommand {
  unitId: string;
  reason: string;
  actor: Actor;
}
/** The sub-unit's result, for the hub leader's review: what a reply carries. */
export type SubReplyCommand = ReplyCommand;
/** The hub leader's review (经领导审核) of its sub-unit's result: approved, it is the hub's reply. */
export interface SubReviewCommand {
  /** The hub. */
  unitId: string;
  approve: boolean;
  /** The leader who reviewed it, as the approval slip names them. */
  leaderName: string;
  /** Reviewed in person, from the leader's own account (absent: recorded by a clerk). */
  byLeader?: boolean;
  note: string;
  /** The hub's service promises: the approved result, going to the centre as the lead's reply, is held to them. */
  servicePromises?: string[];
  actor: Actor;
}
export interface ReviewReplyCommand {
  approve: boolean;
  note: string;
  actor: Actor;
}
export interface RecordCallbackCommand {
  mode: CallbackMode;
  /** null: the citizen did not answer. */
  verdict: Verdict | null;
  note: string;
  actor: Actor;
  /** Manual only, with no verdict: the citizen could not be reached (the operators' rule), the ticket closes without one. */
  unreachable?: boolean;
  /**
   * Manual only, with a verdict: whether the citizen says the problem was actually solved (实际解决),
   * asked on the call besides satisfaction; absent when not asked. Feeds the actual resolution rate.
   */
  resolved?: boolean;
}
export interface AnswerCommand {
  answer: string;
  actor: Actor;
}
/** The centre told the petitioner the appeal is accepted (受理告知), how and when. */
export interface NotifyAcceptanceCommand {
  /** How the petitioner was told, e.g. 'sms', 'letter', 'phone'. */
  means: string;
  note: string;
  actor: Actor;
}
export interface ReapplyPolicyCommand {
  policy: ResolvedPolicy;
  calendar: CalendarData;
  actor: Actor;
}

/** Every action that reaches the workflow as a Temporal update, by name, with its command. */
export interface TicketUpdates {
  /** The centre dispatches by hand a ticket the matter catalog has no entry for (特事特办). */
  dispatch: DispatchCommand;
  sign: SignCommand;
  return: ReturnCommand;
  decideReturn: DecideReturnCommand;
  /** The centre designates the lead unit of a ticket being handled (协调, RULES §2). */
  coordinate: CoordinateCommand;
  requestExtension: RequestExtensionCommand;
  decideExtension: DecideExtensionCommand;
  reply: ReplyCommand;
  /** A unit holding the ticket records how its handling is going (RULES §2: add progress notes). */
  addProgressNote: AddProgressNoteCommand;
  /** A hub re-dispatches to its sub-unit; the sub-unit declines or replies; the hub leader reviews. */
  subDispatch: SubDispatchCommand;
  subSign: SubSignCommand;
  subRecall: SubRecallCommand;
  subDecline: SubDeclineCommand;
  subReply: SubReplyCommand;
  subReview: SubReviewCommand;
  reviewReply: ReviewReplyCommand;
  recordCallback: RecordCallbackCommand;
  /** The operator's direct answer (直接答复) to a ticket kept at intake. */
  answer: AnswerCommand;
  /** The acceptance notice to the petitioner (SZ leader mailbox: within 5 days). */
  notifyAcceptance: NotifyAcceptanceCommand;
  reapplyPolicy: ReapplyPolicyCommand;
}
export type TicketUpdateName = keyof TicketUpdates;
export const TICKET_UPDATE_NAMES: readonly TicketUpdateName[] = [
  'dispatch',
  'sign',
  'return',
  'decideReturn',
  'coordinate',
  'requestExtension',
  'decideExtension',
  'reply',
  'addProgressNote',
  'subDispatch',
  'subSign',
  'subRecall',
  'subDecline',
  'subReply',
  'subReview',
  'reviewReply',
  'recordCallback',
  'answer',
  'notifyAcceptance',
  'reapplyPolicy',
];

export const TICKET_QUERIES = {
  state: 'state',
} as const;

/** What an accepted action returns to the caller. */
export interface UnitActionResult {
  ticketNo: string;
  status: TicketStatus;
  /** true when the action had already been applied: actions are idempotent. */
  alreadyApplied: boolean;
}

/** Search attributes registered on the Temporal server (scripts/stack.sh) for administrators. */
export const SEARCH_ATTRIBUTES = {
  TicketNo: 'Keyword',
  UnitId: 'Keyword',
  /** Every unit on the ticket's desks (lead, assisting, sub-units at any level): `unitsOn`. */
  UnitIds: 'KeywordList',
  TicketStatus: 'Keyword',
  Region: 'Keyword',
  Category: 'Keyword',
  DueAt: 'Datetime',
} as const;
