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

const CURSOR_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

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
  if (s !== sort || typeof at !== 'string' || !CURSOR_TIME.test(at)) return null;
  if (due !== null && (typeof due !== 'string' || !CURSOR_TIME.test(due))) return null;
  if (typeof ticketNo !== 'string' || !/^\d{14}$/.test(ticketNo)) return null;
  return { sort, due: due as string | null, at, ticketNo };
}
