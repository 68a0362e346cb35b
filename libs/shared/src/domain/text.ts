/**
 * Text the platform refuses at the edge. Postgres cannot store U+0000 in `text` or `jsonb`, and a
 * lone UTF-16 surrogate is not Unicode at all (jsonb refuses it too): such strings are turned away
 * with a 400 before they reach a handler, rather than failing as a 500 deep in a transaction.
 * Deeply nested JSON is refused as well, so validating a body never costs more than its size.
 */

/** How deep a request's JSON may nest: `{}` is one level, `{"a":[{}]}` three. */
export const MAX_JSON_DEPTH = 32;

/**
 * How many keys one object of a request may have (the body, the query string). No request of the
 * platform comes near it; far more cost quadratic time in validation (class-transformer dedups an
 * object's keys one by one: 60,000 unknown keys took 4 s of one service's only thread).
 */
export const MAX_JSON_KEYS = 1000;

// A high surrogate not followed by a low one, or a low surrogate not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether a path id can be a record's UUID: anything else is simply not found (never a 500). */
export const isUuid = (v: string): boolean =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);

/**
 * Unicode's text-direction embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): they
 * make stored text show as other text ("退回\u202e..." reads backwards on the record), and no appeal,
 * reply or reason of a Chinese hotline needs them. The marks (U+200E, U+200F) stay allowed.
 */
const DIRECTION_CONTROL = /[\u202A-\u202E\u2066-\u2069]/;

/** True when `s` holds a text-direction embedding, override or isolate. */
export const hasDirectionControl = (s: string): boolean => DIRECTION_CONTROL.test(s);

/**
 * What shows nothing on a screen: white space and separators, controls, format characters (the
 * zero-width space and joiners, U+2060, the byte-order mark, the soft hyphen, direction marks), the
 * Hangul fillers, the blank Braille pattern, the Khmer and Mongolian invisible vowels and
 * separator, variation selectors and the combining grapheme joiner; and code points Unicode has
 * not assigned (U+2065 among the invisible operators: no font draws them). `trim()` removes only
 * the first of these, so twenty zero-width spaces passed for a reply.
 */
/* eslint-disable no-misleading-character-class -- the combining marks that show nothing are exactly what it removes, one by one */
const INVISIBLE =
  /[\s\p{Z}\p{Cc}\p{Cf}\p{Cn}\u034F\u115F\u1160\u17B4\u17B5\u180E\u2800\u3164\uFE00-\uFE0F\uFFA0\u{E0100}-\u{E01EF}]/gu;
/* eslint-enable no-misleading-character-class */

/** The text without what shows nothing (INVISIBLE). */
export const visibleText = (s: string): string => s.replace(INVISIBLE, '');

/** Whether the text shows anything at all: a blank of zero-width characters does not. */
export const hasVisibleText = (s: string): boolean => visibleText(s).length > 0;

/** How many characters of the text show (code points, as a reader counts them). */
export const visibleLength = (s: string): number => Array.from(visibleText(s)).length;

/** True when `s` contains U+0000 or an unpaired UTF-16 surrogate. */
export function isInvalidText(s: string): boolean {
  return s.includes('\u0000') || LONE_SURROGATE.test(s);
}

export interface TextProblem {
  /**
   * `invalid_text`: a key or a string value with U+0000 or a lone surrogate; `direction_control`: a
   * string value with a text-direction embedding, override or isolate; `too_deep`: nesting;
   * `too_wide`: an object of more than MAX_JSON_KEYS keys.
   */
  kind: 'invalid_text' | 'direction_control' | 'too_deep' | 'too_wide';
  /** Where, from the root name given: `body.reason`, `body.items[2].note`, `params.ticketNo`. */
  path: string;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const MAX_KEY_IN_PATH = 64;

/** A key as a path segment: `.name`, or `["其他 key"]` (JSON-escaped, so a bad key shows escaped). */
function keySegment(key: string): string {
  if (IDENTIFIER.test(key)) return `.${key}`;
  const shown = key.length > MAX_KEY_IN_PATH ? `${key.slice(0, MAX_KEY_IN_PATH)}…` : key;
  return `[${JSON.stringify(shown)}]`;
}

/** A value met on the walk; its path is built only when it is reported. */
interface Entry {
  value: unknown;
  depth: number;
  parent: Entry | null;
  /** Where it sits in its parent: a key, or an index. */
  at: string | number | null;
}

function pathOf(entry: Entry, root: string): string {
  const segments: string[] = [];
  for (let e: Entry | null = entry; e !== null && e.at !== null; e = e.parent)
    segments.push(typeof e.at === 'number' ? `[${e.at}]` : keySegment(e.at));
  return root + segments.reverse().join('');
}

function isContainer(v: unknown): v is Record<string, unknown> | unknown[] {
  if (typeof v !== 'object' || v === null) return false;
  // Plain objects, including prototype-less ones (a parsed query string); not Buffers or Dates.
  return Array.isArray(v) || Object.prototype.toString.call(v) === '[object Object]';
}

/**
 * Walks a parsed JSON value (or a parsed query string, or path parameters) and returns the first
 * problem in document order: a key or string containing U+0000 or an unpaired surrogate, an
 * object or array nested deeper than `maxDepth`, or an object of more than MAX_JSON_KEYS keys. Iterative, so no input can overflow the stack;
 * it never descends below `maxDepth`, so its work is bounded by the input's size.
 */
export function findTextProblem(
  value: unknown,
  root: string,
  maxDepth: number = MAX_JSON_DEPTH,
): TextProblem | null {
  // depth = how many objects and arrays enclose the value, counting itself if it is one.
  const stack: Entry[] = [{ value, depth: 0, parent: null, at: null }];
  while (stack.length > 0) {
    const entry = stack.pop()!;
    const v = entry.value;
    if (typeof entry.at === 'string' && isInvalidText(entry.at))
      return { kind: 'invalid_text', path: pathOf(entry, root) };
    if (typeof v === 'string') {
      if (isInvalidText(v)) return { kind: 'invalid_text', path: pathOf(entry, root) };
      if (hasDirectionControl(v)) return { kind: 'direction_control', path: pathOf(entry, root) };
      continue;
    }
    if (!isContainer(v)) continue;
    const depth = entry.depth + 1;
    if (depth > maxDepth) return { kind: 'too_deep', path: pathOf(entry, root) };
    // Pushed last-first, so the walk goes in document order.
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], depth, parent: entry, at: i });
    } else {
      const keys = Object.keys(v);
      if (keys.length > MAX_JSON_KEYS) return { kind: 'too_wide', path: pathOf(entry, root) };
      for (let i = keys.length - 1; i >= 0; i--) {
        const k = keys[i]!;
        stack.push({ value: v[k], depth, parent: entry, at: k });
      }
    }
  }
  return null;
}

const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:[Zz]|[+-](\d{2}):(\d{2}))$/;

/**
 * An instant on the wire: an RFC 3339 date-time with its offset (`2026-12-07T10:00:00+08:00`,
 * `…Z`; seconds and fractions optional), on a real day and a real time of it. Not the other
 * ISO 8601 forms (week `2026-W49-1`, ordinal `2026-341`, basic `20261207T100000Z`), nor a time
 * without its offset, which would be read in whatever zone the reader is in: a validator that let
 * those through handed them to code that could not read them (a 500).
 */
export function isInstant(text: unknown): text is string {
  const m = typeof text === 'string' ? INSTANT.exec(text) : null;
  if (!m) return false;
  const [y, mo, d, h, mi, s, oh, om] = m.slice(1).map((x) => (x === undefined ? 0 : Number(x)));
  const day = new Date(Date.UTC(y!, mo! - 1, d!));
  return (
    day.getUTCFullYear() === y &&
    day.getUTCMonth() === mo! - 1 &&
    day.getUTCDate() === d &&
    h! <= 23 &&
    mi! <= 59 &&
    s! <= 59 &&
    oh! <= 15 &&
    om! <= 59 &&
    Number.isFinite(Date.parse(text as string))
  );
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A time in an event read from the wire: an instant (isInstant) or a day (`2026-12-07`, a real one).
 * Not whatever `Date.parse` reads (`"2026"`, `"12/7"`): Postgres refuses those where the event is
 * copied, and a consumer would fail on it for good.
 */
export function isEventTime(v: unknown): v is string {
  if (isInstant(v)) return true;
  const m = typeof v === 'string' ? DAY.exec(v) : null;
  if (!m) return false;
  const [y, mo, d] = m.slice(1).map(Number);
  const day = new Date(Date.UTC(y!, mo! - 1, d!));
  return day.getUTCFullYear() === y && day.getUTCMonth() === mo! - 1 && day.getUTCDate() === d;
}

/**
 * Whether any key or string anywhere in a parsed value holds U+0000 or a lone surrogate (which
 * Postgres cannot store): an event carrying one is a dead letter, not a write that fails forever.
 */
export function containsInvalidText(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (isInvalidText(v)) return true;
    } else if (Array.isArray(v)) stack.push(...v);
    else if (v !== null && typeof v === 'object')
      for (const [k, inner] of Object.entries(v)) {
        if (isInvalidText(k)) return true;
        stack.push(inner);
      }
  }
  return false;
}
