/**
 * The platform's closed vocabularies. One name for one thing: these are the glossary's English
 * terms; the Chinese labels a citizen or clerk reads live in glossary.ts.
 */
export const CHANNELS = [
  'phone',
  'web',
  'wechat',
  'sms',
  'email',
  'app',
  'visit',
  'letter',
  'leader_mailbox',
  'forum',
  'upper_platform',
] as const;
export type Channel = (typeof CHANNELS)[number];

export const APPEAL_KINDS = [
  'consultation',
  'help_request',
  'complaint',
  'report',
  'suggestion',
  'praise',
  'other',
] as const;
export type AppealKind = (typeof APPEAL_KINDS)[number];

/** Where a ticket stands. Order matters only for display. */
export const TICKET_STATUSES = ['created', 'dispatched', 'signed', 'replied', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const ROLES = ['operator', 'unit_clerk', 'reviewer', 'supervisor', 'evaluator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Roles of the hotline centre: they see every ticket, with the complainant's data. */
export const CENTRE_ROLES: readonly Role[] = ['operator', 'reviewer', 'supervisor', 'admin'];

export function isOneOf<T extends string>(values: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (values as readonly string[]).includes(value);
}
