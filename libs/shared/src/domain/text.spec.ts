import {
  findTextProblem,
  hasDirectionControl,
  hasVisibleText,
  isInstant,
  isInvalidText,
  MAX_JSON_DEPTH,
  MAX_JSON_KEYS,
  visibleLength,
  visibleText,
} from './text';

/** `levels` arrays or objects, one inside the other, with a string at the bottom. */
function nested(levels: number, kind: 'array' | 'object' = 'array'): unknown {
  let v: unknown = 'x';
  for (let i = 0; i < levels; i++) v = kind === 'array' ? [v] : { a: v };
  return v;
}

describe('text the edge refuses', () => {
  it('finds a NUL character in a value and names its path', () => {
    expect(findTextProblem({ reason: 'ab\u0000c' }, 'body')).toEqual({
      kind: 'invalid_text',
      path: 'body.reason',
    });
    expect(findTextProblem({ disposition: { guidance: '\u0000' } }, 'body')).toEqual({
      kind: 'invalid_text',
      path: 'body.disposition.guidance',
    });
  });

  it('finds a NUL character in a key, and shows the key escaped', () => {
    const p = findTextProblem({ ok: 'fine', 'bad\u0000key': 'fine' }, 'body');
    expect(p).toEqual({ kind: 'invalid_text', path: 'body["bad\\u0000key"]' });
    expect(p!.path).not.toContain('\u0000');
  });

  it('finds a lone high surrogate and a lone low surrogate', () => {
    expect(findTextProblem({ title: 'a\uD83Db' }, 'body')).toEqual({
      kind: 'invalid_text',
      path: 'body.title',
    });
    expect(findTextProblem({ title: 'end\uD83D' }, 'body')?.kind).toBe('invalid_text');
    expect(findTextProblem({ title: '\uDE00start' }, 'body')?.kind).toBe('invalid_text');
    expect(findTextProblem({ title: 'a\uDE00\uD83Db' }, 'body')?.kind).toBe('invalid_text'); // pair reversed
    expect(isInvalidText('\uD800')).toBe(true);
    expect(isInvalidText('\uDFFF')).toBe(true);
  });

  it('accepts valid surrogate pairs (emoji, 𠮷) and Chinese text', () => {
    const body = {
      title: '路面破损 😀',
      content: '中山路128号人行道地砖松动，𠮷野家门前；联系人：王工',
      tags: ['👍🏽', '𠮷'],
      标题: '中文键',
    };
    expect(findTextProblem(body, 'body')).toBeNull();
    expect(isInvalidText('😀𠮷')).toBe(false);
    expect(isInvalidText('')).toBe(false);
  });

  it('walks arrays and names the index', () => {
    expect(findTextProblem({ items: [{ note: 'ok' }, { note: 'ok' }, { note: 'x\u0000' }] }, 'body')).toEqual(
      {
        kind: 'invalid_text',
        path: 'body.items[2].note',
      },
    );
    expect(findTextProblem(['ok', ['ok', '\uDC00']], 'body')).toEqual({
      kind: 'invalid_text',
      path: 'body[1][1]',
    });
    expect(findTextProblem([1, true, null, 'ok', { n: 2 }], 'body')).toBeNull();
  });

  it('reports the first problem in document order', () => {
    expect(findTextProblem({ a: 'ok', b: '\u0000', c: { 'd\u0000': 1 } }, 'body')?.path).toBe('body.b');
    expect(findTextProblem({ a: { b: '\u0000' }, c: '\u0000' }, 'body')?.path).toBe('body.a.b');
  });

  it('checks a top-level string, query strings and path parameters', () => {
    expect(findTextProblem('\u0000', 'body')).toEqual({ kind: 'invalid_text', path: 'body' });
    expect(findTextProblem({ ticketNo: '\u0000' }, 'params')?.path).toBe('params.ticketNo');
    const query = Object.create(null) as Record<string, unknown>;
    query.status = ['created', 'x\u0000'];
    expect(findTextProblem(query, 'query')?.path).toBe('query.status[1]');
    expect(findTextProblem(undefined, 'body')).toBeNull();
    expect(findTextProblem(42, 'body')).toBeNull();
  });

  it(`allows ${MAX_JSON_DEPTH} levels of nesting and refuses ${MAX_JSON_DEPTH + 1}`, () => {
    expect(MAX_JSON_DEPTH).toBe(32);
    expect(findTextProblem(nested(32), 'body')).toBeNull();
    expect(findTextProblem(nested(32, 'object'), 'body')).toBeNull();
    expect(findTextProblem(nested(33), 'body')).toEqual({
      kind: 'too_deep',
      path: `body${'[0]'.repeat(32)}`,
    });
    expect(findTextProblem(nested(33, 'object'), 'body')).toEqual({
      kind: 'too_deep',
      path: `body${'.a'.repeat(32)}`,
    });
    expect(findTextProblem(nested(3), 'body', 2)?.kind).toBe('too_deep');
  });

  it('walks 100,000 levels of nesting without throwing', () => {
    expect(() => findTextProblem(nested(100_000), 'body')).not.toThrow();
    expect(findTextProblem(nested(100_000, 'object'), 'body')?.kind).toBe('too_deep');
    // Deep but allowed by a caller's own limit: still no recursion.
    expect(findTextProblem(nested(100_000), 'body', Infinity)).toBeNull();
  });

  it(`allows ${MAX_JSON_KEYS} keys in an object and refuses one more, wherever the object is`, () => {
    const wide = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));
    expect(findTextProblem(wide(MAX_JSON_KEYS), 'body')).toBeNull();
    expect(findTextProblem(wide(MAX_JSON_KEYS + 1), 'body')).toEqual({ kind: 'too_wide', path: 'body' });
    expect(findTextProblem({ items: [{}, wide(60_000)] }, 'body')).toEqual({
      kind: 'too_wide',
      path: 'body.items[1]',
    });
    expect(
      findTextProblem(
        Array.from({ length: 5000 }, () => 1),
        'body',
      ),
    ).toBeNull(); // arrays are not keys
  });
});

describe('an instant on the wire (RFC 3339 with its offset)', () => {
  it('takes a date-time with its offset, seconds and fractions optional', () => {
    for (const ok of [
      '2026-12-07T10:00:00+08:00',
      '2026-12-07T02:00:00Z',
      '2026-12-07T02:00Z',
      '2026-12-07T02:00:00.123Z',
      '2026-12-07T02:00:00.123456789-05:30',
      '2028-02-29T23:59:59Z',
      '2026-12-07t02:00:00z',
    ])
      expect([ok, isInstant(ok)]).toEqual([ok, true]);
  });

  it('refuses the other ISO 8601 forms, a time without its offset, and impossible days and times', () => {
    for (const bad of [
      '2026-W49-1',
      '2026-W01',
      '2026-341',
      '20261207T100000Z',
      '2026-12-07',
      '2026-12-07T10:00:00',
      '2026-02-30T00:00:00Z',
      '2025-02-29T00:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-02-28T24:00:00Z',
      '2026-02-28T12:60:00+08:00',
      '2026-12-31T23:59:60Z',
      '2026-12-07T10:00:00+24:00',
      '+020260-01-01T00:00:00Z',
      ' 2026-12-07T10:00:00Z',
      1796637600000,
      null,
    ])
      expect([bad, isInstant(bad)]).toEqual([bad, false]);
  });
});

describe('text that shows nothing', () => {
  const blanks = [
    '\u200b'.repeat(20), // zero-width space
    '\u2060'.repeat(20), // word joiner
    '\u3164'.repeat(20), // Hangul filler
    '\ufeff\u00ad\u200c\u200d\u200e\u200f', // BOM, soft hyphen, joiners, direction marks
    '\u3000 \t\n\u00a0\u2800\u115f\u1160\uffa0\u034f\ufe0f\u{e0100}\u180e\u17b4',
    '\u2065'.repeat(20), // unassigned, among the invisible operators
    '\u{e0080}\ufdd0\uffff', // unassigned, noncharacters
  ];
  it.each(blanks)('has no visible text: %j', (s) => {
    expect(hasVisibleText(s)).toBe(false);
    expect(visibleLength(s)).toBe(0);
  });
  it('counts what shows, in code points, keeping Chinese, digits, punctuation and emoji', () => {
    expect(visibleText('\u200b已\u200b处理。\u3000')).toBe('已处理。');
    expect(visibleLength('𠮷野家😀 ok')).toBe(6);
    expect(hasVisibleText('。')).toBe(true);
  });
});

describe('text-direction controls', () => {
  it('finds embeddings, overrides and isolates; allows the marks', () => {
    for (const c of [
      '\u202a',
      '\u202b',
      '\u202c',
      '\u202d',
      '\u202e',
      '\u2066',
      '\u2067',
      '\u2068',
      '\u2069',
    ])
      expect(hasDirectionControl(`进度${c}反转`)).toBe(true);
    expect(hasDirectionControl('进度\u200e\u200f')).toBe(false);
  });
  it('is a problem of a value at the edge, named by its path', () => {
    expect(findTextProblem({ note: ['ok', '进度\u202e反转'] }, 'body')).toEqual({
      kind: 'direction_control',
      path: 'body.note[1]',
    });
  });
});
