/**
 * Ticket numbers: the citizen's handle on a ticket. `YYYYMMDD` of the intake day in China time,
 * then a six-digit sequence of that day (from a gapless counter in the database): 20261123000042.
 */
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

/** The Temporal workflow id of a ticket: the business key, so a second start is rejected. */
export function ticketWorkflowId(ticketNo: string): string {
  return `ticket-${ticketNo}`;
}
