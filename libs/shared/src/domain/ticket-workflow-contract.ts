import type { Duration } from './calendar';
import type { Actor } from './events';
import type { ResolvedPolicy } from './policy';
import type { AppealKind, Channel, DeadlineKind, ExclusionReason, TicketStatus, Verdict } from './vocabulary';

/**
 * The contract between the services (Temporal clients) and TicketWorkflow: names and payload
 * types only. Services import this; they never import workflow code.
 */
export const TICKET_WORKFLOW_TYPE = 'TicketWorkflow';

/** Actions that reach the workflow as Temporal updates: the caller learns at once if accepted. */
export const TICKET_UPDATES = {
  /** The centre dispatches by hand a ticket the matter catalog has no entry for (特事特办). */
  dispatch: 'dispatch',
  sign: 'sign',
  return: 'return',
  decideReturn: 'decideReturn',
  requestExtension: 'requestExtension',
  decideExtension: 'decideExtension',
  reply: 'reply',
  reviewReply: 'reviewReply',
  recordCallback: 'recordCallback',
  reapplyPolicy: 'reapplyPolicy',
  /** The operator's direct answer (直接答复) to a ticket kept at intake. */
  answer: 'answer',
} as const;

export const TICKET_QUERIES = {
  state: 'state',
} as const;

/** How intake disposed of the appeal (分类处置). */
export type IntakeDisposition =
  | { type: 'dispatch' }
  /** Answered from the knowledge base; without an answer yet, the operator answers within the policy's directReply. */
  | { type: 'direct_answer'; answer: string | null }
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
  disposition: IntakeDisposition;
  /** Assisting units (协办单位) named at intake; the matter catalog names the lead unit. */
  assistingUnitIds?: string[];
  /** Set by continue-as-new: the state to go on from. */
  resume?: TicketWorkflowState;
  /** Continue as new past this many history events (default 4000; tests set it low). */
  historyLimit?: number;
}

export interface DispatchCommand {
  unitId: string;
  /** Assisting units (协办单位) beside the lead unit. */
  assistingUnitIds?: string[];
  actor: Actor;
}

/** An assisting unit on the ticket: it signs within its own deadline; the lead unit replies. */
export interface AssistingUnitState {
  unitId: string;
  dispatchedAt: string;
  signDueAt: string;
  signedAt: string | null;
  late: boolean;
  remindersSent: number;
  overdue: boolean;
}
export interface SignCommand {
  unitId: string;
  actor: Actor;
}
export interface ReturnCommand {
  unitId: string;
  reason: string;
  suggestedUnitId: string | null;
  actor: Actor;
}
export interface DecideReturnCommand {
  approve: boolean;
  /** With approval: the unit to dispatch to instead (default: the unit the returning unit suggested). */
  redispatchToUnitId: string | null;
  note: string;
  actor: Actor;
}
export interface RequestExtensionCommand {
  unitId: string;
  requested: Duration;
  reason: string;
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
  responsibleDepartment?: string | null;
  plannedCompletionDate?: string | null;
  isPlan?: boolean;
  actor: Actor;
}
export interface ReviewReplyCommand {
  approve: boolean;
  note: string;
  actor: Actor;
}
export interface RecordCallbackCommand {
  mode: 'sms' | 'manual';
  /** null: the citizen did not answer. */
  verdict: Verdict | null;
  note: string;
  actor: Actor;
}
export interface AnswerCommand {
  answer: string;
  actor: Actor;
}
export interface ReapplyPolicyCommand {
  policy: ResolvedPolicy;
  actor: Actor;
}

export interface DeadlineState {
  kind: DeadlineKind;
  startAt: string;
  dueAt: string;
  /** How many of the policy's reminder fractions have fired. */
  remindersSent: number;
  overdue: boolean;
}

export interface TicketWorkflowState {
  ticketNo: string;
  status: TicketStatus;
  /** No catalog entry matched: the ticket waits for the centre to dispatch it by hand. */
  awaitingManualDispatch: boolean;
  /** Kept at intake for a direct answer that the operator has not given yet. */
  awaitingDirectAnswer: boolean;
  /** How many times the workflow continued as new (history kept bounded). */
  continuedAsNew: number;
  unitId: string | null;
  assisting: AssistingUnitState[];
  policy: { code: string; version: number };
  deadlines: Partial<Record<DeadlineKind, DeadlineState>>;
  signDueAt: string | null;
  signedAt: string | null;
  signedLate: boolean;
  returnWindowEndsAt: string | null;
  pendingReturn: { unitId: string; reason: string; suggestedUnitId: string | null } | null;
  pendingExtension: { unitId: string; requested: Duration; reason: string } | null;
  /** Extensions granted so far (each in the policy cap's unit). */
  extensionsGranted: Duration[];
  repliedAt: string | null;
  replyContent: string | null;
  callbackRound: number;
  /** Which callback is awaited. */
  callbackMode: 'sms' | 'manual' | null;
  rectificationRound: number;
  /** Where a returned ticket goes back to if the centre refuses the return. */
  statusBeforeReturn: TicketStatus | null;
  /** Time left on the completion deadline when the unit replied: a sent-back reply gets it again. */
  remainingAtReplyMs: number;
  /** Deadlines that ran out; the ticket carried on, marked overdue, and supervision was told. */
  overdue: DeadlineKind[];
  outcome: string | null;
  closedAt: string | null;
}

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
  TicketStatus: 'Keyword',
  Region: 'Keyword',
  Category: 'Keyword',
  DueAt: 'Datetime',
} as const;
