import type { Actor } from './events';
import type { AppealKind, Channel, TicketStatus } from './vocabulary';

/**
 * The contract between the services (Temporal clients) and TicketWorkflow: names and payload
 * types only. Services import this; they never import workflow code.
 */
export const TICKET_WORKFLOW_TYPE = 'TicketWorkflow';

export const TICKET_UPDATES = {
  /** The centre dispatches by hand a ticket the matter catalog has no entry for (特事特办). */
  dispatch: 'dispatch',
  sign: 'sign',
  reply: 'reply',
} as const;

export const TICKET_QUERIES = {
  state: 'state',
} as const;

export interface TicketWorkflowInput {
  ticketNo: string;
  channel: Channel;
  kind: AppealKind;
  category: string;
  regionCode: string;
  createdAt: string;
  /** Minutes the unit has to sign after dispatch (foundation default: 60). */
  signLimitMinutes: number;
}

export interface DispatchCommand {
  unitId: string;
  actor: Actor;
}

export interface SignCommand {
  unitId: string;
  actor: Actor;
}

export interface ReplyCommand {
  unitId: string;
  content: string;
  actor: Actor;
}

export interface TicketWorkflowState {
  ticketNo: string;
  status: TicketStatus;
  /** No catalog entry matched: the ticket waits for the centre to dispatch it by hand. */
  awaitingManualDispatch: boolean;
  unitId: string | null;
  signDueAt: string | null;
  signedAt: string | null;
  signedLate: boolean;
  repliedAt: string | null;
  closedAt: string | null;
}

/** What an accepted unit action returns to the caller. */
export interface UnitActionResult {
  ticketNo: string;
  status: TicketStatus;
  /** true when the action had already been applied: unit actions are idempotent. */
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
