import { isTicketNo } from '@hotline/shared';
import type { DeskSort } from '@hotline/shared';

/**
 * Where a page of a unit's desk ended, to read the next page from (`?after=`): the last row's place
 * in the desk's order. Unlike an offset, it skips no ticket when the clerk acts between pages (a
 * ticket signed moves from its sign deadline to its reply deadline, and an offset then passed over
 * the ones behind it). Opaque to the client: base64url of its JSON.
 */
export interface DeskCursor {
  sort: DeskSort;
  /** The row's next deadline (`deadline` order), ISO with microseconds; null: nothing due. */
  due: string | null;
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
function isCursorTime(v: unknown): v is string {
  const m = typeof v === 'string' ? CURSOR_TIME.exec(v) : null;
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number);
  if (year < FIRST_YEAR || year > LAST_YEAR || month < 1 || month > 12) return false;
  // Day 0 of the next month is the last of this one.
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day >= 1 && day <= daysInMonth && hour <= 23 && minute <= 59 && second <= 59;
}

export function encodeDeskCursor(c: DeskCursor): string {
  return Buffer.from(JSON.stringify([c.sort, c.due, c.at, c.ticketNo]), 'utf8').toString('base64url');
}

/** The cursor, or null when the text is not one the desk gave for this order. */
export function decodeDeskCursor(text: string, sort: DeskSort): DeskCursor | null {
  if (text.length > 300 || !/^[A-Za-z0-9_-]+$/.test(text)) return null;
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(v) || v.length !== 4) return null;
  const [s, due, at, ticketNo] = v as unknown[];
  if (s !== sort || !isCursorTime(at)) return null;
  if (due !== null && !isCursorTime(due)) return null;
  if (!isTicketNo(ticketNo)) return null;
  return { sort, due, at, ticketNo };
}
