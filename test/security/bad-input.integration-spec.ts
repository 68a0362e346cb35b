import fc from 'fast-check';
import { OPERATION_ACCESS } from '@hotline/shared';
import type { Role } from '@hotline/shared';
import { eventually, http, startPlatform } from '../harness';
import type { HttpResult, Platform } from '../harness';
import {
  createTicket,
  deref,
  fieldsOf,
  loadDocuments,
  operationsOf,
  pathOf,
  pathValues,
  rowCounts,
  signIn,
  validValue,
  ensureTargetUser,
  ownCredentials,
} from './openapi';
import type { Caller, Json, Operation } from './openapi';

/**
 * Property-based bad input (fast-check, fixed seed, bounded runs): for every operation of the
 * four OpenAPI documents, its request body schema, query and path parameters, inputs that must be
 * refused (wrong types, missing and extra fields, NUL and lone surrogates, nesting past the limit,
 * huge / float / negative numbers, non-object bodies, bad JSON, a body too large) always get a 4xx
 * problem+json with a `code`, never a 5xx, and never write: the row counts of the ledger's
 * tickets, their events, the outbox and the assignments are the same after every refused request
 * (valid-looking but refused requests included: a wrong role, another unit's ticket). Text that is
 * legal however nasty (SQL, script, control characters, 5,000 characters) is stored or refused,
 * never a 5xx.
 */
const SEED = 12345;
const RUNS = Number(process.env.FUZZ_RUNS ?? 50);

// ---- generators -------------------------------------------------------------------------------

const nastyLegal = fc.oneof(
  fc.constantFrom(
    "' OR 1=1 --",
    "'; DROP TABLE ticket.tickets; --",
    '<script>alert(1)</script>',
    '"><img src=x onerror=alert(1)>',
    '{{7*7}}${7*7}',
    '${jndi:ldap://x/a}',
    '\u202e\u0007\t\r\n\u001b[31m\u007f',
    '../../etc/passwd',
    '%00%27',
    '😀𠮷\u200b',
  ),
  fc.string({ unit: fc.integer({ min: 1, max: 0x1f }).map((c) => String.fromCharCode(c)), minLength: 1 }),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }).filter((s) => !s.includes('\u0000')),
  fc.constant('界'.repeat(5000)),
);

/** Text Postgres cannot store: a NUL or an unpaired surrogate somewhere in it. */
const badText = fc
  .tuple(nastyLegal, fc.constantFrom('\u0000', '\ud800', '\udfff', 'a\ud83d'), fc.string({ maxLength: 5 }))
  .map(([a, b, c]) => `${a.slice(0, 50)}${b}${c}`);

const deep = (depth: number, leaf: unknown): unknown => {
  let v: unknown = leaf;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
};

type Mutation =
  | { kind: 'wrong_type'; field: number; value: unknown }
  | { kind: 'missing'; field: number }
  | { kind: 'extra'; name: string; value: unknown }
  | { kind: 'bad_text'; field: number; value: string }
  | { kind: 'blank'; field: number; value: string }
  | { kind: 'bad_number'; field: number; value: number }
  | { kind: 'bad_day'; field: number; value: string }
  | { kind: 'deep'; field: number; depth: number }
  | { kind: 'not_an_object'; value: unknown }
  | { kind: 'raw'; raw: string; contentType: string }
  | { kind: 'too_large' };

/** Days that look like days and are none: a pattern lets them through, Postgres does not. */
const BAD_DAYS = ['2026-02-30', '2025-02-29', '2026-04-31', '2026-13-01', '2026-00-10', '2026-1-05'];
const BAD_INSTANTS = [
  ...BAD_DAYS.map((d) => `${d}T00:00:00Z`),
  '2026-02-28T25:00:00Z',
  '2026-02-28T12:60:00+08:00',
  // ISO 8601 forms other than RFC 3339's, which a strict ISO 8601 check let through to a 500.
  '2026-W49-1',
  '2026-W01',
  '2026-341',
  '20261207T100000Z',
  '2026-12-07T10:00:00', // no offset: which zone?
];
/** The impossible values of a field documented as a day or an instant (none for any other). */
const impossible = (schema: Json | undefined): string[] =>
  schema?.format === 'date' ? BAD_DAYS : schema?.format === 'date-time' ? BAD_INSTANTS : [];

const wrongValues = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant([]),
  fc.constant({}),
  fc.array(fc.string(), { minLength: 1, maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { minKeys: 1, maxKeys: 2 }),
  nastyLegal,
);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('wrong_type' as const), field: fc.nat(), value: wrongValues }),
  fc.record({ kind: fc.constant('missing' as const), field: fc.nat() }),
  fc.record({
    kind: fc.constant('extra' as const),
    name: fc.constantFrom(
      '__probe__',
      'isAdmin',
      'role',
      'status',
      '__proto__',
      'constructor',
      'a'.repeat(300),
    ),
    value: fc.oneof(fc.constant(true), nastyLegal, fc.constant({ admin: true })),
  }),
  fc.record({ kind: fc.constant('bad_text' as const), field: fc.nat(), value: badText }),
  // Text that shows nothing, in a required text field: refused at the edge (it was a 500 where the
  // service trimmed it after validation and the event schema refused the empty string).
  fc.record({
    kind: fc.constant('blank' as const),
    field: fc.nat(),
    value: fc.constantFrom('   ', '\u3000\u3000', '\u200b\u200b\u200b', ' \t\n ', '\u2065\u2065'),
  }),
  fc.record({
    kind: fc.constant('bad_number' as const),
    field: fc.nat(),
    value: fc.constantFrom(-1, -1e308, 1e308, 1.5, -0.5, Number.MAX_SAFE_INTEGER + 2, 1e21),
  }),
  fc.record({ kind: fc.constant('bad_day' as const), field: fc.nat(), value: fc.constantFrom(...BAD_DAYS) }),
  fc.record({
    kind: fc.constant('deep' as const),
    field: fc.nat(),
    depth: fc.integer({ min: 40, max: 2000 }),
  }),
  fc.record({
    kind: fc.constant('not_an_object' as const),
    value: fc.constantFrom(null, [], 'x', 1, true, [{}], 1e308),
  }),
  fc.record({
    kind: fc.constant('raw' as const),
    raw: fc.constantFrom('{"a":', "{'a':1}", '{"a":1}}', '[', 'nul', '\u0000', '{"__proto__":{"x":1}}', ''),
    contentType: fc.constantFrom('application/json', 'text/plain', 'application/xml', 'multipart/form-data'),
  }),
  fc.constant({ kind: 'too_large' as const }),
);

interface Plan {
  mutation: Mutation;
  /** Legal but nasty text for the string fields the mutation does not touch. */
  filler: string;
}
const plan = fc.record({ mutation, filler: nastyLegal });

// ---- applying a plan to an operation's valid body ---------------------------------------------

interface BuiltRequest {
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
  /** The request must be refused (4xx): false only when the plan turned out to be legal. */
  mustRefuse: boolean;
  what: string;
}

function isStringSchema(doc: Json, s: Json): boolean {
  const d = deref(doc, s);
  return d.type === 'string' && !Array.isArray(d.enum);
}

function wrongFor(doc: Json, s: Json, optional: boolean, v: unknown): unknown | undefined {
  const d = deref(doc, s);
  const nullable = d.nullable === true || (Array.isArray(d.enum) && d.enum.includes(null));
  if (v === null && (optional || nullable)) return undefined;
  if (Array.isArray(d.enum)) return d.enum.includes(v) ? undefined : v;
  const t = d.type ?? (d.properties ? 'object' : undefined);
  const ok =
    (t === 'string' && typeof v === 'string') ||
    ((t === 'number' || t === 'integer') && typeof v === 'number') ||
    (t === 'boolean' && typeof v === 'boolean') ||
    (t === 'array' && Array.isArray(v)) ||
    (t === 'object' && typeof v === 'object' && v !== null && !Array.isArray(v)) ||
    t === undefined;
  return ok ? undefined : v;
}

function build(op: Operation, p: Plan): BuiltRequest {
  const doc = op.doc;
  const schema = deref(doc, op.body);
  const valid = validValue(doc, op.body) as Record<string, unknown>;
  const fields = fieldsOf(doc, op.body);
  const body: Record<string, unknown> = { ...valid };
  // Nasty but legal text in every valid string field (what must be refused is the mutation).
  for (const f of fields)
    if (isStringSchema(doc, f.schema) && body[f.name] !== undefined) body[f.name] = p.filler;
  const m = p.mutation;
  const pick = (i: number) => (fields.length ? fields[i % fields.length] : null);
  switch (m.kind) {
    case 'wrong_type': {
      const f = pick(m.field);
      const wrong = f ? wrongFor(doc, f.schema, !f.required, m.value) : undefined;
      if (!f || wrong === undefined) return { body: valid, mustRefuse: false, what: `${m.kind} (legal)` };
      body[f.name] = wrong;
      return { body, mustRefuse: true, what: `${f.name} = ${JSON.stringify(wrong)?.slice(0, 60)}` };
    }
    case 'missing': {
      const req = fields.filter((f) => f.required);
      if (!req.length) return { body: valid, mustRefuse: false, what: 'missing (none required)' };
      const f = req[m.field % req.length];
      delete body[f.name];
      return { body, mustRefuse: true, what: `missing ${f.name}` };
    }
    case 'extra': {
      if (fields.some((f) => f.name === m.name) || fields.length === 0)
        return { body: valid, mustRefuse: false, what: 'extra (a known field)' };
      const raw = JSON.stringify(body).replace(
        /^\{/,
        `{${JSON.stringify(m.name)}:${JSON.stringify(m.value)},`,
      );
      return { raw, mustRefuse: true, what: `extra ${m.name.slice(0, 20)}` };
    }
    case 'bad_text': {
      const f = fields.find(
        (x, i) => i >= m.field % Math.max(fields.length, 1) && isStringSchema(doc, x.schema),
      );
      if (f) body[f.name] = m.value;
      else body[fields[0]?.name ?? 'text'] = m.value;
      return { body, mustRefuse: true, what: `bad text in ${f?.name ?? 'a field'}` };
    }
    case 'blank': {
      const texts = fields.filter(
        (f) => f.required && isStringSchema(doc, f.schema) && !deref(doc, f.schema).format,
      );
      if (!texts.length) return { body: valid, mustRefuse: false, what: 'blank (no required text field)' };
      const f = texts[m.field % texts.length];
      body[f.name] = m.value;
      return { body, mustRefuse: true, what: `${f.name} blank ${JSON.stringify(m.value)}` };
    }
    case 'bad_number': {
      const nums = fields.filter((f) => ['number', 'integer'].includes(deref(doc, f.schema).type));
      const nested = fields
        .map((f) => ({ f, inner: fieldsOf(doc, f.schema) }))
        .find((x) => x.inner.some((i) => ['number', 'integer'].includes(deref(doc, i.schema).type)));
      // 1.5 is a bad integer but a fine number (1.5 hours): for a number, a huge one instead.
      const bad = (s: Json) => (deref(doc, s).type === 'number' && m.value === 1.5 ? 1e300 : m.value);
      if (nums.length) {
        const f = nums[m.field % nums.length];
        body[f.name] = bad(f.schema);
        return { body, mustRefuse: true, what: `${f.name} = ${body[f.name]}` };
      }
      if (nested) {
        const inner = nested.inner.find((i) => ['number', 'integer'].includes(deref(doc, i.schema).type))!;
        const value = bad(inner.schema);
        body[nested.f.name] = { ...(validValue(doc, nested.f.schema) as object), [inner.name]: value };
        return { body, mustRefuse: true, what: `${nested.f.name}.${inner.name} = ${value}` };
      }
      return { body: valid, mustRefuse: false, what: 'bad number (no number field)' };
    }
    case 'bad_day': {
      const days = fields.filter((f) => deref(doc, f.schema).format === 'date');
      if (!days.length) return { body: valid, mustRefuse: false, what: 'bad day (no day field)' };
      const f = days[m.field % days.length];
      body[f.name] = m.value;
      return { body, mustRefuse: true, what: `${f.name} = ${m.value}` };
    }
    case 'deep': {
      const f = pick(m.field);
      body[f?.name ?? 'deep'] = deep(m.depth, 1);
      return { body, mustRefuse: true, what: `${f?.name ?? 'deep'} nested ${m.depth}` };
    }
    case 'not_an_object':
      if (schema.type !== 'object' && !schema.properties)
        return { body: valid, mustRefuse: false, what: 'not an object (not an object schema)' };
      return { raw: JSON.stringify(m.value), mustRefuse: true, what: `body ${JSON.stringify(m.value)}` };
    case 'raw':
      // An empty JSON body is no body: refused only where the body has a required field.
      if (m.raw === '' && /^application\/json/.test(m.contentType) && !fields.some((f) => f.required))
        return { body: valid, mustRefuse: false, what: 'empty JSON (nothing required)' };
      return {
        raw: m.raw,
        headers: { 'content-type': m.contentType },
        mustRefuse: true,
        what: `raw ${JSON.stringify(m.raw)} as ${m.contentType}`,
      };
    case 'too_large':
      return {
        raw: JSON.stringify({ ...body, x: 'x'.repeat(1_100_000) }),
        mustRefuse: true,
        what: '1.1 MB body',
      };
  }
}

// ---- path and query values --------------------------------------------------------------------

const badPathValue = fc.oneof(
  nastyLegal,
  badText,
  fc.constantFrom(
    '20991231999999',
    '00000000000000',
    '2026112300000١',
    '-1',
    '0',
    ' ',
    '..',
    '.',
    '%',
    'null',
    ...BAD_DAYS,
  ),
  fc.constant('9'.repeat(5000)),
);

const badQueryValue = fc.constantFrom(
  ...BAD_DAYS,
  '1e308',
  '99999999999999999999',
  '-1',
  '1.5',
  'NaN',
  'Infinity',
  'abc',
  "' OR 1=1 --",
  '<script>',
  '%00',
  '%ED%A0%80',
  '%E0%A4%A',
);

// ---- the test ---------------------------------------------------------------------------------

describe('property-based bad input: always a 4xx problem+json, never a 5xx, never a write', () => {
  let p: Platform;
  let ops: Operation[];
  let tokens: Record<Caller, string | undefined>;
  let own: string;
  let otherUnit: string;

  beforeAll(async () => {
    p = await startPlatform();
    ops = operationsOf(await loadDocuments(p.urls));
    await ensureTargetUser(p);
    tokens = await signIn(p);
    own = await createTicket(p, tokens.operator!);
    otherUnit = await createTicket(p, tokens.operator!, { category: 'property' });
    for (const no of [own, otherUnit])
      await eventually(`${no} dispatched`, async () => {
        const r = await http('GET', `${p.urls.intake}/api/v1/tickets/${no}`, { token: tokens.operator });
        return r.body.status === 'dispatched';
      });
    // Signed, so that a request that got past validation reaches the deeper rules (extension, reply).
    const signed = await http('POST', `${p.urls.dispatch}/api/v1/tickets/${own}/sign`, {
      token: tokens.unit_clerk,
    });
    expect(signed.status).toBe(200);
  });

  afterAll(async () => {
    await p?.stop();
  });

  const callerOf = (op: Operation): Caller | null => {
    const roles = op.rule?.roles;
    if (!roles || roles === 'public') return null;
    return roles[0];
  };

  const url = (op: Operation, params: Record<string, string> = {}, query = '') => {
    const path = pathOf(op, { ...pathValues(own), ...params });
    return `${p.urls[op.service]}${path}${query}`;
  };

  /** What is wrong with an answer, or null. */
  const judge = (res: HttpResult, mustRefuse: boolean): string | null => {
    if (res.status >= 500) return `${res.status} ${JSON.stringify(res.body).slice(0, 200)}`;
    if (mustRefuse && res.status < 400)
      return `accepted (${res.status}) ${JSON.stringify(res.body).slice(0, 120)}`;
    if (res.status >= 400) {
      if (!/^application\/problem\+json/.test(res.headers.get('content-type') ?? ''))
        return `${res.status} as ${res.headers.get('content-type')}: ${String(res.body).slice(0, 100)}`;
      if (typeof res.body?.code !== 'string') return `${res.status} without a code`;
    }
    return null;
  };

  const send = (
    op: Operation,
    target: string,
    req: { body?: unknown; raw?: string; headers?: Record<string, string> },
    caller: Caller | null = callerOf(op),
  ) =>
    http(op.method, target, {
      token: caller ? tokens[caller] : undefined,
      ...req,
      headers: {
        ...ownCredentials(op),
        ...req.headers,
      },
    });

  const withBody = () => ops.filter((o) => o.body);
  const fuzzable = () => ops.filter((o) => OPERATION_ACCESS[o.key]);

  it('refuses every mutated request body with a 4xx problem+json and writes nothing', async () => {
    const failures: string[] = [];
    const sent: Record<string, number> = {};
    for (const [n, op] of withBody().entries()) {
      const before = await rowCounts(p.db);
      const plans = fc.sample(plan, { numRuns: RUNS, seed: SEED + n });
      for (const pl of plans) {
        const req = build(op, pl);
        if (!req.mustRefuse) continue;
        sent[pl.mutation.kind] = (sent[pl.mutation.kind] ?? 0) + 1;
        const res = await send(op, url(op), req);
        // Refused at the edge (validation, size, media type), before any rule or workflow. Blank
        // text may be refused by what it names instead (a login, a policy set: 401, 404), never taken.
        const wrong =
          judge(res, true) ??
          ([400, 413, 415].includes(res.status) || pl.mutation.kind === 'blank'
            ? null
            : `${res.status} ${res.body?.code}`);
        if (process.env.FUZZ_DEBUG) console.log(`${op.key} [${req.what}] ${res.status} ${res.body?.code}`);
        if (wrong) failures.push(`${op.key} [${req.what}]: ${wrong}`);
      }
      // And every impossible day or instant in every such field, not only those the sample picked.
      for (const f of fieldsOf(op.doc, op.body))
        for (const day of impossible(deref(op.doc, f.schema))) {
          const res = await send(op, url(op), { body: { ...validValue(op.doc, op.body), [f.name]: day } });
          const wrong = judge(res, true) ?? (res.status === 400 ? null : `${res.status} ${res.body?.code}`);
          if (wrong) failures.push(`${op.key} [${f.name} = ${day}]: ${wrong}`);
        }
      const after = await rowCounts(p.db);
      if (JSON.stringify(after) !== JSON.stringify(before))
        failures.push(`${op.key}: rows written ${JSON.stringify(before)} → ${JSON.stringify(after)}`);
    }
    expect(failures).toEqual([]);
    // Not vacuous: every kind of bad body was sent, to every operation with a body, many times.
    expect(Object.keys(sent).sort()).toEqual(
      [
        'bad_day',
        'bad_number',
        'bad_text',
        'blank',
        'deep',
        'extra',
        'missing',
        'not_an_object',
        'raw',
        'too_large',
        'wrong_type',
      ].sort(),
    );
    expect(Object.values(sent).reduce((a, b) => a + b, 0)).toBeGreaterThan(withBody().length * RUNS * 0.6);
  });

  it('refuses bad query values and unknown query parameters of every operation', async () => {
    const failures: string[] = [];
    for (const [n, op] of fuzzable()
      .filter((o) => o.method === 'GET')
      .entries()) {
      const query = op.parameters.filter((x) => x.in === 'query');
      const values = fc.sample(fc.tuple(fc.nat(), badQueryValue, fc.boolean()), {
        numRuns: RUNS,
        seed: SEED + n,
      });
      for (const [i, value, unknown] of values) {
        const name = unknown || query.length === 0 ? `x${i % 3}` : query[i % query.length].name;
        const schema = query.find((x) => x.name === name)?.schema ?? {};
        // A string parameter without an enum takes any text, and an operation without query
        // parameters ignores them; everything else must refuse these values.
        // A day or an instant (format: date, date-time) takes only real ones.
        const legal =
          query.length === 0 ||
          (!unknown && schema.type === 'string' && !schema.enum && impossible(schema).length === 0);
        const res = await send(op, url(op, {}, `?${name}=${value}`), {});
        const wrong = judge(res, !legal && op.rule?.roles !== 'public');
        if (wrong) failures.push(`${op.key} ?${name}=${value}: ${wrong}`);
      }
      for (const x of query)
        for (const day of impossible(x.schema)) {
          const wrong = judge(await send(op, url(op, {}, `?${x.name}=${encodeURIComponent(day)}`), {}), true);
          if (wrong) failures.push(`${op.key} ?${x.name}=${day}: ${wrong}`);
        }
      for (const twice of [
        '?limit=1&limit=2',
        '?offset[]=1',
        '?offset=1e308',
        '?offset=99999999999999999999',
      ]) {
        if (!query.some((q) => twice.includes(q.name))) continue;
        const wrong = judge(await send(op, url(op, {}, twice), {}), true);
        if (wrong) failures.push(`${op.key} ${twice}: ${wrong}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('refuses bad path parameters (and a bad Idempotency-Key) with a valid body, and writes nothing', async () => {
    const failures: string[] = [];
    const before = await rowCounts(p.db);
    for (const [n, op] of fuzzable().entries()) {
      const names = op.parameters.filter((x) => x.in === 'path').map((x) => x.name);
      const body = op.body ? validValue(op.doc, op.body) : undefined;
      if (names.length) {
        const values = fc.sample(fc.tuple(fc.nat(), badPathValue), { numRuns: RUNS, seed: SEED + n });
        for (const [i, value] of values) {
          const name = names[i % names.length];
          const res = await send(op, url(op, { [name]: value }), { body });
          const wrong = judge(res, true);
          if (process.env.FUZZ_DEBUG) console.log(`${op.key} {${name}} ${res.status} ${res.body?.code}`);
          if (wrong) failures.push(`${op.key} {${name}}=${JSON.stringify(value).slice(0, 40)}: ${wrong}`);
        }
      }
      // Every impossible day in every day parameter, not only those the sample picked.
      for (const x of op.parameters.filter((x) => x.in === 'path'))
        for (const day of impossible(x.schema)) {
          const wrong = judge(await send(op, url(op, { [x.name]: day }), { body }), true);
          if (wrong) failures.push(`${op.key} {${x.name}}=${day}: ${wrong}`);
        }
      if (op.parameters.some((x) => x.in === 'header' && /idempotency-key/i.test(x.name)))
        for (const key of ['', 'a b', 'x'.repeat(200), "'; DROP TABLE x; --", '<script>']) {
          const res = await send(op, url(op, { ticketNo: otherUnit }), {
            body,
            headers: { 'idempotency-key': key },
          });
          const wrong = judge(res, true);
          if (wrong) failures.push(`${op.key} Idempotency-Key ${JSON.stringify(key.slice(0, 20))}: ${wrong}`);
        }
    }
    const after = await rowCounts(p.db);
    expect({ failures, written: JSON.stringify(after) === JSON.stringify(before) }).toEqual({
      failures: [],
      written: true,
    });
  });

  it('writes nothing for valid requests that are refused: a wrong role, anonymous, another unit’s ticket', async () => {
    const failures: string[] = [];
    const before = await rowCounts(p.db);
    for (const op of fuzzable()) {
      const rule = op.rule!;
      if (rule.roles === 'public') continue;
      const body = op.body ? validValue(op.doc, op.body) : undefined;
      const wrongRole = (['operator', 'unit_clerk', 'evaluator', 'admin'] as Role[]).find(
        (r) => !(rule.roles as readonly Role[]).includes(r),
      );
      const callers: Caller[] = ['anonymous', 'forged', 'expired', ...(wrongRole ? [wrongRole] : [])];
      for (const caller of callers) {
        const res = await send(op, url(op), { body }, caller);
        const wrong = judge(res, true);
        if (wrong) failures.push(`${op.key} as ${caller}: ${wrong}`);
      }
      if (rule.ticket === 'unit_act' || rule.ticket === 'unit_read') {
        const res = await send(op, url(op, { ticketNo: otherUnit }), { body });
        const wrong = judge(res, true);
        if (wrong) failures.push(`${op.key} on another unit's ticket: ${wrong}`);
      }
    }
    const after = await rowCounts(p.db);
    expect({ failures, written: JSON.stringify(after) === JSON.stringify(before) }).toEqual({
      failures: [],
      written: true,
    });
  });

  // Last: legal requests may write (a ticket registered with a SQL-looking title is a ticket).
  it('stores or refuses legal but nasty text, never a 5xx', async () => {
    const failures: string[] = [];
    for (const op of withBody()) {
      const texts = fc.sample(nastyLegal, { numRuns: Math.ceil(RUNS / 3), seed: SEED });
      for (const text of texts) {
        const body = validValue(op.doc, op.body) as Record<string, unknown>;
        for (const f of fieldsOf(op.doc, op.body)) if (isStringSchema(op.doc, f.schema)) body[f.name] = text;
        const res = await send(op, url(op), { body });
        const wrong = judge(res, false);
        if (wrong) failures.push(`${op.key} ${JSON.stringify(text).slice(0, 40)}: ${wrong}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
