/**
 * Text the platform refuses at the edge. Postgres cannot store U+0000 in `text` or `jsonb`, and a
 * lone UTF-16 surrogate is not Unicode at all (jsonb refuses it too): such strings are turned away
 * with a 400 before they reach a handler, rather than failing as a 500 deep in a transaction.
 * Deeply nested JSON is refused as well, so validating a body never costs more than its size.
 */

/** How deep a request's JSON may nest: `{}` is one level, `{"a":[{}]}` three. */
export const MAX_JSON_DEPTH = 32;

// A high surrogate not followed by a low one, or a low surrogate not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether a path id can be a record's UUID: anything else is simply not found (never a 500). */
export const isUuid = (v: string): boolean =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);

/** True when `s` contains U+0000 or an unpaired UTF-16 surrogate. */
export function isInvalidText(s: string): boolean {
  return s.includes('\u0000') || LONE_SURROGATE.test(s);
}

export interface TextProblem {
  /** `invalid_text`: a key or a string value with U+0000 or a lone surrogate; `too_deep`: nesting. */
  kind: 'invalid_text' | 'too_deep';
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
 * problem in document order: a key or string containing U+0000 or an unpaired surrogate, or an
 * object or array nested deeper than `maxDepth`. Iterative, so no input can overflow the stack;
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
      for (let i = keys.length - 1; i >= 0; i--) {
        const k = keys[i]!;
        stack.push({ value: v[k], depth, parent: entry, at: k });
      }
    }
  }
  return null;
}
