import { APPEAL_KINDS, CHANNELS, TICKET_STATUSES, isOneOf } from './vocabulary';
import type { AppealKind, Channel, Role, TicketStatus } from './vocabulary';

/**
 * Ticket events: past-tense facts, published to Kafka through the outbox. Every event carries its
 * schema version; a consumer reads the versions it knows and rejects the rest loudly.
 * Kafka key = ticketNo, so one ticket's events stay in order on one partition; `seq` numbers a
 * ticket's events from 1 without gaps, so a consumer can also tell order and duplicates itself.
 */
export const TICKET_EVENTS_TOPIC = 'ticket-events.v1';

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
export interface TicketDispatchedData {
  unitId: string;
  unitName: string;
  /** The matter catalog entry that chose the unit, or null for an ad-hoc dispatch. */
  catalogEntryId: string | null;
  signDueAt: string;
}
export interface TicketSignedData {
  unitId: string;
}
export interface TicketRepliedData {
  unitId: string;
  content: string;
}
export interface TicketClosedData {
  unitId: string | null;
  outcome: 'replied';
}

export interface TicketEventDataMap {
  'ticket.created': TicketCreatedData;
  'ticket.dispatched': TicketDispatchedData;
  'ticket.signed': TicketSignedData;
  'ticket.replied': TicketRepliedData;
  'ticket.closed': TicketClosedData;
}
export type TicketEventType = keyof TicketEventDataMap;
export const TICKET_EVENT_TYPES: readonly TicketEventType[] = [
  'ticket.created',
  'ticket.dispatched',
  'ticket.signed',
  'ticket.replied',
  'ticket.closed',
];

/** The status a ticket is in right after the event. */
export const STATUS_AFTER: Record<TicketEventType, TicketStatus> = {
  'ticket.created': 'created',
  'ticket.dispatched': 'dispatched',
  'ticket.signed': 'signed',
  'ticket.replied': 'replied',
  'ticket.closed': 'closed',
};

export interface TicketEvent<T extends TicketEventType = TicketEventType> {
  /** Unique per event (uuid); consumers deduplicate on it. */
  id: string;
  type: T;
  version: 1;
  ticketNo: string;
  /** 1-based position in the ticket's own history. */
  seq: number;
  occurredAt: string;
  actor: Actor;
  data: TicketEventDataMap[T];
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
const isoDate: Check = (v) => typeof v === 'string' && !Number.isNaN(Date.parse(v));

const DATA_SCHEMAS: { [K in TicketEventType]: Record<keyof TicketEventDataMap[K], Check> } = {
  'ticket.created': {
    channel: (v) => isOneOf(CHANNELS, v),
    kind: (v) => isOneOf(APPEAL_KINDS, v),
    category: str,
    regionCode: str,
    title: str,
    confidential: bool,
  },
  'ticket.dispatched': { unitId: str, unitName: str, catalogEntryId: strOrNull, signDueAt: isoDate },
  'ticket.signed': { unitId: str },
  'ticket.replied': { unitId: str, content: str },
  'ticket.closed': { unitId: strOrNull, outcome: (v) => v === 'replied' },
};

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Validates an event read from the wire. Throws EventSchemaError naming every bad field. */
export function parseTicketEvent(raw: unknown): AnyTicketEvent {
  if (!isRecord(raw)) throw new EventSchemaError('event is not an object');
  const problems: string[] = [];
  if (!str(raw.id)) problems.push('id');
  if (!isOneOf(TICKET_EVENT_TYPES, raw.type)) problems.push('type');
  if (raw.version !== 1) problems.push(`version (got ${String(raw.version)}, know 1)`);
  if (!str(raw.ticketNo)) problems.push('ticketNo');
  if (typeof raw.seq !== 'number' || !Number.isInteger(raw.seq) || raw.seq < 1) problems.push('seq');
  if (!isoDate(raw.occurredAt)) problems.push('occurredAt');
  if (!isRecord(raw.actor) || (raw.actor.kind !== 'user' && raw.actor.kind !== 'system'))
    problems.push('actor');
  if (isOneOf(TICKET_EVENT_TYPES, raw.type)) {
    const schema = DATA_SCHEMAS[raw.type] as Record<string, Check>;
    if (!isRecord(raw.data)) problems.push('data');
    else
      for (const [field, check] of Object.entries(schema)) {
        if (!check(raw.data[field])) problems.push(`data.${field}`);
      }
  }
  if (problems.length > 0) throw new EventSchemaError(`invalid ticket event: ${problems.join(', ')}`);
  return raw as unknown as AnyTicketEvent;
}

export function isTicketStatus(v: unknown): v is TicketStatus {
  return isOneOf(TICKET_STATUSES, v);
}
