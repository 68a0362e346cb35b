import { isTicketNo, isUuid } from '@hotline/shared';
import type { DeskSort } from '@hotline/shared';

/**
 * Where a page of a unit's desk ended, to read the next page from (`?after=`): the last row's place
 * in the desk's order. Unlike an offset, it skips no ticket when the clerk acts between pages (a
 * ticket signed moves from its sign deadline to its reply deadline, and an offset then passed over
 * the ones behind it). Opaque to the client: base64url of its JSON.
 */
export interface DeskCursor {
  sort: DeskSort;
  /** The row's next deadline (`deadline` and `priority` orders), ISO with microseconds; null: nothing due. */
  due: string | null;
  /** The row is an anonymous appeal (`priority` order: the real-name ones come first). */
  anonymous?: boolean;
  /** When it was dispatched to the unit, ISO with microseconds. */
  at: string;
  ticketNo: string;
}

const CURSOR_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.\d{6}Z$/;
/** The years a desk's times fall in (a dispatch, a deadline): outside them no cursor the desk gave. */
const FIRST_YEAR = 2000;
const LAST_YEAR = 2100;

/**
 * Whether the text is an instant as the desk writes it (UTC, microseconds) that really was or will
 * be: the shape alone lets through a 13th month, 30 February or year 0, which Postgres refuses to
 * read as a timestamptz (a 500 instead of the 400 a bad cursor is).
 */
export function isCursorTime(v: unknown): v is string {
  const m = typeof v === 'string' ? CURSOR_TIME.exec(v) : null;
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number);
  if (year < FIRST_YEAR || year > LAST_YEAR || month < 1 || month > 12) return false;
  // Day 0 of the next month is the last of this one.
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day >= 1 && day <= daysInMonth && hour <= 23 && minute <= 59 && second <= 59;
}

/** A cursor's parts as the client carries them: base64url of their JSON, opaque to it. */
export function encodeCursor(parts: readonly unknown[]): string {
  return Buffer.from(JSON.stringify(parts), 'utf8').toString('base64url');
}

/** A cursor's `count` parts, or null when the text is not a cursor of that many (the caller checks each). */
export function decodeCursor(text: string, count: number): unknown[] | null {
  if (text.length > 300 || !/^[A-Za-z0-9_-]+$/.test(text)) return null;
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  return Array.isArray(v) && v.length === count ? v : null;
}

export function encodeDeskCursor(c: DeskCursor): string {
  return c.sort === 'priority'
    ? encodeCursor([c.sort, c.anonymous ?? false, c.due, c.at, c.ticketNo])
    : encodeCursor([c.sort, c.due, c.at, c.ticketNo]);
}

/** The cursor, or null when the text is not one the desk gave for this order. */
export function decodeDeskCursor(text: string, sort: DeskSort): DeskCursor | null {
  const v = decodeCursor(text, sort === 'priority' ? 5 : 4);
  if (!v) return null;
  const [s, ...rest] = v;
  const anonymous = sort === 'priority' ? rest.shift() : undefined;
  const [due, at, ticketNo] = rest;
  if (s !== sort || !isCursorTime(at)) return null;
  if (sort === 'priority' && typeof anonymous !== 'boolean') return null;
  if (due !== null && !isCursorTime(due)) return null;
  if (!isTicketNo(ticketNo)) return null;
  return { sort, due, at, ticketNo, ...(typeof anonymous === 'boolean' ? { anonymous } : {}) };
}

/**
 * Where a page of the manual-callback queue ended (`?after=`): the last task's due time and id, in
 * the queue's order for its status. Operators take tasks off the queue between pages; an offset
 * then passed over tasks still open.
 */
export interface QueueCursor {
  status: string;
  /** The task's due time, ISO with microseconds. */
  due: string;
  id: string;
}

export function encodeQueueCursor(c: QueueCursor): string {
  return encodeCursor([c.status, c.due, c.id]);
}

/** The cursor, or null when the text is not one the queue gave for this status. */
export function decodeQueueCursor(text: string, status: string): QueueCursor | null {
  const v = decodeCursor(text, 3);
  if (!v) return null;
  const [s, due, id] = v;
  if (s !== status || !isCursorTime(due) || typeof id !== 'string' || !isUuid(id)) return null;
  return { status, due, id };
}

/**
 * Where a page of the supervision orders ended (`?after=`): the last order's place in the list's
 * order (open ones first, then by response time, then id). An order closed between pages moves to
 * the end; an offset then passed over the open ones behind it.
 */
export interface OrderCursor {
  closed: boolean;
  /** Its response time, ISO with microseconds. */
  respondBy: string;
  id: string;
}

export function encodeOrderCursor(c: OrderCursor): string {
  return encodeCursor(['orders', c.closed, c.respondBy, c.id]);
}

/** The cursor, or null when the text is not one the orders list gave. */
export function decodeOrderCursor(text: string): OrderCursor | null {
  const v = decodeCursor(text, 4);
  if (!v) return null;
  const [tag, closed, respondBy, id] = v;
  if (tag !== 'orders' || typeof closed !== 'boolean' || !isCursorTime(respondBy)) return null;
  if (typeof id !== 'string' || !isUuid(id)) return null;
  return { closed, respondBy, id };
}
