/**
 * Ticket numbers: the citizen's handle on a ticket. `YYYYMMDD` of the intake day in China time,
 * then a six-digit sequence of that day (from a gapless counter in the database): 20261123000042.
 */
import type { Channel } from './vocabulary';

const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000; // Asia/Shanghai, no daylight saving since 1991

export function chinaDayKey(at: Date): string {
  const d = new Date(at.getTime() + CHINA_OFFSET_MS);
  const y = d.getUTCFullYear();
  const m = String(d.getUTCMonth() + 1).padStart(2, '0');
  const day = String(d.getUTCDate()).padStart(2, '0');
  return `${y}${m}${day}`;
}

export const MAX_DAILY_TICKETS = 999_999;

export function formatTicketNo(dayKey: string, seq: number): string {
  if (!/^\d{8}$/.test(dayKey)) throw new RangeError(`bad day key ${dayKey}`);
  if (!Number.isInteger(seq) || seq < 1 || seq > MAX_DAILY_TICKETS)
    throw new RangeError(`bad sequence ${seq}`);
  return `${dayKey}${String(seq).padStart(6, '0')}`;
}

export const TICKET_NO_PATTERN = /^\d{14}$/;

export function isTicketNo(v: unknown): v is string {
  return typeof v === 'string' && TICKET_NO_PATTERN.test(v);
}

/**
 * Registry numbers (RULES §1, SZ): some channels also number their items per channel and year,
 * `(2026)领001号` for leader-mailbox items (领导信箱) and `(2026)网001号` for network items (网络件:
 * the website, WeChat, the app, e-mail and the forum). From a gapless counter per prefix and year,
 * in the transaction that registers the ticket: never repeated, never skipped.
 */
export const REGISTRY_PREFIXES: Readonly<Partial<Record<Channel, string>>> = {
  leader_mailbox: '领',
  web: '网',
  wechat: '网',
  app: '网',
  email: '网',
  forum: '网',
};

export function registryPrefix(channel: Channel): string | null {
  return REGISTRY_PREFIXES[channel] ?? null;
}

/** `(2026)领001号`: at least three digits, more once a year passes 999 items. */
export function formatRegistryNo(year: string, prefix: string, seq: number): string {
  if (!/^\d{4}$/.test(year)) throw new RangeError(`bad year ${year}`);
  if (!Number.isInteger(seq) || seq < 1) throw new RangeError(`bad sequence ${seq}`);
  return `(${year})${prefix}${String(seq).padStart(3, '0')}号`;
}

/** The Temporal workflow id of a ticket: the business key, so a second start is rejected. */
export function ticketWorkflowId(ticketNo: string): string {
  return `ticket-${ticketNo}`;
}
