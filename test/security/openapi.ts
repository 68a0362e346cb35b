import { JwtService } from '@nestjs/jwt';
import { hashPassword } from '@hotline/platform';
import { OPERATION_ACCESS, operationKey, ROLES, SERVICES } from '@hotline/shared';
import type { OperationRule, Role, ServiceName } from '@hotline/shared';
import type { DataSource } from 'typeorm';
import { http, login } from '../harness';
import type { Platform } from '../harness';

/**
 * Shared helpers of the security proofs (authorisation matrix, property-based bad input): every
 * operation comes from the services' own OpenAPI documents (/docs-json), so an endpoint added
 * later is covered without a new test, and must be declared in OPERATION_ACCESS
 * (libs/shared/src/security/operation-access.ts).
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- OpenAPI documents are walked as data
export type Json = any;

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: Json;
}

export interface Operation {
  service: ServiceName;
  method: string;
  /** As in the OpenAPI document: `/api/v1/tickets/{ticketNo}`. */
  path: string;
  key: string;
  operationId: string;
  parameters: Parameter[];
  /** The request body's JSON schema, $refs resolved one level at a time by {@link deref}. */
  body: Json | null;
  doc: Json;
  rule: OperationRule | undefined;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

export async function loadDocuments(urls: Platform['urls']): Promise<Record<ServiceName, Json>> {
  const docs = {} as Record<ServiceName, Json>;
  for (const service of SERVICES) {
    const res = await http('GET', `${urls[service]}/docs-json`);
    if (res.status !== 200) throw new Error(`${service} /docs-json: ${res.status}`);
    docs[service] = res.body;
  }
  return docs;
}

export function operationsOf(docs: Record<ServiceName, Json>): Operation[] {
  const ops: Operation[] = [];
  for (const service of SERVICES) {
    const doc = docs[service];
    for (const [path, item] of Object.entries<Json>(doc.paths ?? {}))
      for (const method of METHODS) {
        const op = item[method];
        if (!op) continue;
        const key = operationKey(service, method, path);
        const body = op.requestBody?.content?.['application/json']?.schema ?? null;
        ops.push({
          service,
          method: method.toUpperCase(),
          path,
          key,
          operationId: op.operationId ?? key,
          parameters: (op.parameters ?? []).map((p: Json) => ({
            name: p.name,
            in: p.in,
            required: p.required === true,
            schema: p.schema ?? { type: 'string' },
          })),
          body,
          doc,
          rule: OPERATION_ACCESS[key],
        });
      }
  }
  return ops;
}

export function deref(doc: Json, schema: Json): Json {
  let s = schema;
  for (let i = 0; s?.$ref && i < 10; i++) {
    const name = String(s.$ref).replace('#/components/schemas/', '');
    s = doc.components?.schemas?.[name];
  }
  if (s?.allOf?.length === 1) return deref(doc, s.allOf[0]);
  return s ?? {};
}

/** A valid value for a schema, from its examples, enums and types (a request body that passes). */
export function validValue(doc: Json, schema: Json, depth = 0): Json {
  const s = deref(doc, schema);
  if (s.example !== undefined) return s.example;
  if (s.default !== undefined) return s.default;
  if (Array.isArray(s.enum)) return s.enum.find((v: unknown) => v !== null) ?? null;
  switch (s.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const name of s.required ?? []) out[name] = validValue(doc, s.properties?.[name] ?? {}, depth + 1);
      return out;
    }
    case 'array':
      return depth > 3 ? [] : [validValue(doc, s.items ?? {}, depth + 1)];
    case 'integer':
    case 'number':
      return s.minimum ?? 1;
    case 'boolean':
      return true;
    case 'string':
      return 'x';
    default:
      if (s.properties) return validValue(doc, { ...s, type: 'object' }, depth);
      return {};
  }
}

/** The fields of an object body schema: name, schema, required. */
export function fieldsOf(doc: Json, schema: Json): { name: string; schema: Json; required: boolean }[] {
  const s = deref(doc, schema);
  return Object.entries<Json>(s.properties ?? {}).map(([name, sub]) => ({
    name,
    schema: sub,
    required: (s.required ?? []).includes(name),
  }));
}

/**
 * Values for the path parameters of the seeded demo city; the ticket is the test's own. A new path
 * parameter gets its value here (the specs fail with "no value for path parameter" until it has).
 */
export function pathValues(ticketNo: string): Record<string, string> {
  return {
    ticketNo,
    code: 'SQ',
    id: 'cn-mainland',
    day: '2026-12-01',
    username: TARGET_USER,
    evaluatorId: '00000000-0000-4000-8000-000000000000',
    messageId: '00000000-0000-4000-8000-000000000000',
    taskId: '00000000-0000-4000-8000-000000000000',
    accountId: 'security-probe-account',
    orderId: '00000000-0000-4000-8000-000000000000',
    instructionId: '00000000-0000-4000-8000-000000000000',
    unitId: 'transport',
    kind: 'weekly',
    period: '2026-Q3',
    indicatorId: '00000000-0000-4000-8000-000000000000',
    applicationId: '00000000-0000-4000-8000-000000000000',
    versionId: '00000000-0000-4000-8000-000000000000',
    entryId: '00000000-0000-4000-8000-000000000000',
    attachmentId: '00000000-0000-4000-8000-000000000000',
    year: '2001',
  };
}

/**
 * The user the administration of users acts on in these tests (deactivate, activate, revoke,
 * unlock): one of their own, so that no other test's demo user is touched.
 */
/**
 * The credentials an operation takes besides the caller's token: the SMS provider's webhook checks
 * a token of its own before anything else, so a test judging the JWT roles or the body sends it.
 */
export function ownCredentials(op: Operation): Record<string, string> {
  if (!op.key.endsWith('/sms/inbound')) return {};
  process.env.SMS_WEBHOOK_TOKEN ??= 'security-tests-webhook-token-0123456789';
  return { 'x-sms-webhook-token': process.env.SMS_WEBHOOK_TOKEN };
}

export const TARGET_USER = 'security.target';

export async function ensureTargetUser(p: Platform): Promise<void> {
  await p.db.query(
    `INSERT INTO identity.users (id, username, display_name, password_hash, role, unit_id)
     VALUES ($1, $1, $1, $2, 'operator', NULL) ON CONFLICT DO NOTHING`,
    [TARGET_USER, await hashPassword('security-target-password')],
  );
}

/** Percent-encodes any string, lone surrogates included (as their WTF-8 bytes: a bad URL). */
function encodeAny(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c >= 0xd800 && c <= 0xdfff)
      out += `%${(0xe0 | (c >> 12)).toString(16)}%${(0x80 | ((c >> 6) & 0x3f)).toString(16)}%${(0x80 | (c & 0x3f)).toString(16)}`;
    else out += encodeURIComponent(ch);
  }
  return out;
}

/**
 * Path parameters naming records these tests do not create (a callback task, an SMS, an evaluator):
 * the value given names none, so an allowed caller gets 404 for the record, past the guard.
 */
export const UNSEEDED_PATH_PARAMS = [
  'taskId',
  'messageId',
  'evaluatorId',
  'accountId',
  'orderId',
  'instructionId',
  'indicatorId',
  'applicationId',
  'versionId',
  'entryId',
  'attachmentId',
  'year',
  'period',
];

export function pathOf(op: Operation, values: Record<string, string>): string {
  return op.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = values[name];
    if (v === undefined) throw new Error(`${op.key}: no value for path parameter ${name}`);
    return encodeAny(v);
  });
}

/** The seeded demo user of each role (password hotline12345): the role's own name, but clerks. */
export const USER_FOR_ROLE: Partial<Record<Role, string>> = { unit_clerk: 'clerk.transport' };
export const userFor = (role: Role) => USER_FOR_ROLE[role] ?? role;

export type Caller = Role | 'anonymous' | 'forged' | 'expired';
export const CALLERS: Caller[] = [...ROLES, 'anonymous', 'forged', 'expired'];

/** Signs in as every role, and makes a forged token (another secret) and an expired one. */
export async function signIn(p: Platform): Promise<Record<Caller, string | undefined>> {
  const tokens = {} as Record<Caller, string | undefined>;
  for (const role of ROLES) tokens[role] = await login(p.urls.intake, userFor(role));
  tokens.anonymous = undefined;
  const claims = { sub: 'x', username: 'admin', role: 'admin', unitId: null };
  tokens.forged = new JwtService({ secret: 'not-the-platform-secret-0123456789' }).sign(claims);
  tokens.expired = new JwtService({ secret: p.config.jwtSecret }).sign({
    ...claims,
    exp: Math.floor(Date.now() / 1000) - 60,
  });
  return tokens;
}

/** Row counts of the tables a refused request must never write. */
export const WRITE_TABLES = [
  'ticket.tickets',
  'ticket.ticket_events',
  // Supervision's consumers raise orders by themselves (actor: system) from events that may still be
  // arriving from earlier suites; those rows are not the request's.
  `platform.outbox WHERE NOT (topic LIKE '%supervision-events.v1' AND payload->'actor'->>'kind' = 'system')`,
  'dispatch.assignments',
  'supervision.escalations',
  'supervision.instructions',
  'supervision.key_tasks',
  'supervision.task_reports',
  'supervision.bonuses',
  'supervision.assessment_inputs',
  'supervision.attitude_complaints',
  'supervision.test_calls',
] as const;

export async function rowCounts(db: DataSource): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of WRITE_TABLES) {
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM ${t}`);
    out[t] = n;
  }
  return out;
}

export { createTicket } from '../harness';

/**
 * Where a value departs from its documented schema: a required field missing, a field the schema
 * does not list (unless it allows any), a wrong type or format, a value outside its enum.
 */
export function schemaMismatches(doc: Json, schema: Json, value: unknown, at = '$'): string[] {
  const s = deref(doc, schema);
  // A nullable reference says so beside it (`nullable` with `allOf: [$ref]`), not in the referenced schema.
  if (value === null) return s.nullable || schema?.nullable ? [] : [`${at}: null, not nullable`];
  if (s.enum && !s.enum.includes(value)) return [`${at}: ${JSON.stringify(value)} is not in its enum`];
  const type = s.type ?? (s.properties ? 'object' : undefined);
  const wrong = (what: string) => [`${at}: ${JSON.stringify(value)?.slice(0, 60)} is not ${what}`];
  switch (type) {
    case 'string':
      if (typeof value !== 'string') return wrong('a string');
      return s.format === 'date-time' && Number.isNaN(Date.parse(value)) ? wrong('a date-time') : [];
    case 'integer':
      return Number.isInteger(value) ? [] : wrong('an integer');
    case 'number':
      return typeof value === 'number' ? [] : wrong('a number');
    case 'boolean':
      return typeof value === 'boolean' ? [] : wrong('a boolean');
    case 'array':
      if (!Array.isArray(value)) return wrong('an array');
      return value.flatMap((v, i) => schemaMismatches(doc, s.items ?? {}, v, `${at}[${i}]`));
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) return wrong('an object');
      const v = value as Record<string, unknown>;
      const props: Record<string, Json> = s.properties ?? {};
      const out = (s.required ?? [])
        .filter((k: string) => !(k in v))
        .map((k: string) => `${at}.${k}: required, missing`);
      for (const [k, x] of Object.entries(v)) {
        if (k in props) out.push(...schemaMismatches(doc, props[k], x, `${at}.${k}`));
        else if (s.properties && s.additionalProperties !== true) out.push(`${at}.${k}: not documented`);
      }
      return out;
    }
    default:
      return [];
  }
}
