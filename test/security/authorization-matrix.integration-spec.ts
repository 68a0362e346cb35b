import { OPERATION_ACCESS, roleAllowed } from '@hotline/shared';
import type { OperationRule, Role } from '@hotline/shared';
import { eventually, http, startPlatform, WITHDRAWN_UNIT_NEVER_SEES } from '../harness';
import type { HttpResult, Platform } from '../harness';
import {
  CALLERS,
  createTicket,
  loadDocuments,
  operationsOf,
  pathOf,
  pathValues,
  signIn,
  validValue,
  ensureTargetUser,
  UNSEEDED_PATH_PARAMS,
  ownCredentials,
} from './openapi';
import type { Caller, Operation } from './openapi';

/**
 * The authorisation matrix (OWASP API1 object level, API3 property level, API5 function level):
 * every operation of every service's OpenAPI document × every role (and anonymous, a forged and
 * an expired token) × for ticket-scoped operations the unit's own ticket, another unit's ticket
 * and one it was withdrawn from, against the answer the declared table (OPERATION_ACCESS,
 * libs/shared/src/security/operation-access.ts) expects, not the controllers' own metadata.
 *
 * "Allowed" is any answer but 401, 403, a 404 for the ticket and a 5xx (a body may be refused
 * with 400/409/422: the probe bodies of the centre's operations are invalid on purpose, so that
 * an allowed role proves it got past the guard without changing anything). "Refused" is 401
 * (anonymous, forged, expired), 403 (a role not in the table) or 404 (a ticket not the unit's:
 * its existence is not revealed).
 */
type TicketCase = 'own' | 'other_unit' | 'withdrawn';
type Expected = 'allowed' | 401 | 403 | 404 | 'allowed_or_404';

function expectedAnswer(rule: OperationRule, caller: Caller, ticket: TicketCase | null): Expected {
  if (rule.roles === 'public') return 'allowed';
  if (caller === 'anonymous' || caller === 'forged' || caller === 'expired') return 401;
  if (!roleAllowed(rule, caller as Role)) return 403;
  // The test tickets have no expert case, vote window, reconsideration or tracked plan (none is
  // closed): 404 for the allowed.
  if (rule.ticket === 'evaluation_record' || rule.ticket === 'tracked_plan') return 'allowed_or_404';
  if (rule.ticket === 'unit_read' || rule.ticket === 'unit_act') {
    if (ticket === 'other_unit') return 404;
    if (ticket === 'withdrawn' && rule.ticket === 'unit_act') return 404;
  }
  return 'allowed';
}

function answerOf(res: HttpResult): Expected | 'server_error' | number {
  if (res.status >= 500) return 'server_error';
  if (res.status === 401 || res.status === 403) return res.status;
  if (res.status === 404) return 404;
  return 'allowed';
}

describe('authorisation matrix: every operation × every role × ticket scope', () => {
  let p: Platform;
  let ops: Operation[];
  let tokens: Record<Caller, string | undefined>;
  const tickets = {} as Record<TicketCase, string>;

  beforeAll(async () => {
    p = await startPlatform();
    ops = operationsOf(await loadDocuments(p.urls));
    await ensureTargetUser(p);
    tokens = await signIn(p);
    const operator = tokens.operator!;
    const clerk = tokens.unit_clerk!; // clerk.transport: road tickets are its own
    const desk = (no: string, token = clerk) =>
      http('GET', `${p.urls.dispatch}/api/v1/tickets/${no}`, { token });

    tickets.own = await createTicket(p, operator);
    tickets.other_unit = await createTicket(p, operator, { category: 'property', title: '物业纠纷' });
    tickets.withdrawn = await createTicket(p, operator);
    await eventually('the own ticket on the desk', async () => (await desk(tickets.own)).status === 200);
    await eventually('the ticket to withdraw on the desk', async () => {
      return (await desk(tickets.withdrawn)).status === 200;
    });
    const returned = await http('POST', `${p.urls.dispatch}/api/v1/tickets/${tickets.withdrawn}/return`, {
      token: clerk,
      body: { reason: '不属于本单位职责', suggestedUnitId: 'housing' },
    });
    expect(returned.status).toBe(200);
    const decided = await http(
      'POST',
      `${p.urls.intake}/api/v1/tickets/${tickets.withdrawn}/return-decision`,
      { token: tokens.reviewer, body: { approve: true, redispatchToUnitId: 'housing' } },
    );
    expect(decided.status).toBe(200);
    await eventually('transport withdrawn', async () => {
      return (await desk(tickets.withdrawn)).body.assignmentStatus === 'withdrawn';
    });
    // Supervision's facts come through Kafka: wait until every ticket has them.
    for (const no of Object.values(tickets))
      await eventually(`supervision facts of ${no}`, async () => {
        const r = await http('GET', `${p.urls.supervision}/api/v1/tickets/${no}/facts`, {
          token: tokens.supervisor,
        });
        return r.status === 200;
      });
  });

  afterAll(async () => {
    await p?.stop();
  });

  it('declares every operation of the OpenAPI documents, and every declared operation exists', () => {
    const served = ops.map((o) => o.key).sort();
    const declared = Object.keys(OPERATION_ACCESS).sort();
    expect({ undeclared: served.filter((k) => !declared.includes(k)) }).toEqual({ undeclared: [] });
    expect({ gone: declared.filter((k) => !served.includes(k)) }).toEqual({ gone: [] });
  });

  it('documents each header of an operation once, and Idempotency-Key as optional', () => {
    const twice = ops.flatMap((o) => {
      const names = o.parameters.filter((x) => x.in === 'header').map((x) => x.name.toLowerCase());
      return names.filter((n, i) => names.indexOf(n) !== i).map((n) => `${o.key} ${n}`);
    });
    expect({ twice }).toEqual({ twice: [] });
    const keyed = ops.filter((o) =>
      o.parameters.some((x) => x.in === 'header' && x.name.toLowerCase() === 'idempotency-key'),
    );
    // Every unit action and centre decision takes it: at least the four of dispatch.
    expect(keyed.filter((o) => o.service === 'dispatch').length).toBeGreaterThanOrEqual(4);
    const required = keyed.filter((o) =>
      o.parameters.some((x) => x.name.toLowerCase() === 'idempotency-key' && x.required),
    );
    expect({ required: required.map((o) => o.key) }).toEqual({ required: [] });
  });

  it("documents every operation's refusals as problem+json with a stable code", () => {
    const bare = ops.filter((o) => {
      const op = o.doc.paths[o.path][o.method.toLowerCase()];
      return (
        op.responses?.default?.content?.['application/problem+json']?.schema?.$ref !==
        '#/components/schemas/Problem'
      );
    });
    expect({ bare: bare.map((o) => o.key) }).toEqual({ bare: [] });
    for (const o of ops)
      expect(o.doc.components.schemas.Problem.properties.code.enum).toContain('ticket_not_signable');
  });

  const send = (op: Operation, caller: Caller, ticket: TicketCase | null) => {
    const scopedToUnit = op.rule?.ticket === 'unit_read' || op.rule?.ticket === 'unit_act';
    let body: unknown = undefined;
    if (op.body) {
      const valid = validValue(op.doc, op.body);
      // A unit's actions get a valid body (the ticket scope is checked after validation); every
      // other operation an invalid one, so that an allowed caller changes nothing.
      body = scopedToUnit ? valid : { ...valid, __probe__: true };
    }
    // And their required query parameters (an upload's file name), for the same reason.
    const query = scopedToUnit
      ? op.parameters
          .filter((q) => q.in === 'query' && q.required)
          .map((q) => `${q.name}=${encodeURIComponent(String(validValue(op.doc, q.schema)))}`)
          .join('&')
      : '';
    const url = `${p.urls[op.service]}${pathOf(op, pathValues(ticket ? tickets[ticket] : ''))}${query ? `?${query}` : ''}`;
    return http(op.method, url, { token: tokens[caller], body, headers: ownCredentials(op) });
  };

  describe.each(Object.keys(OPERATION_ACCESS).map((k) => [k]))('%s', (key) => {
    it('answers every caller (and ticket) as the table says', async () => {
      const op = ops.find((o) => o.key === key);
      expect({ key, served: op !== undefined }).toEqual({ key, served: true });
      const rule = OPERATION_ACCESS[key];
      const ticketCases: (TicketCase | null)[] = rule.ticket ? ['other_unit', 'withdrawn', 'own'] : [null];
      const wrong: string[] = [];
      for (const ticket of ticketCases)
        for (const caller of CALLERS) {
          let want = expectedAnswer(rule, caller, ticket);
          if (want === 'allowed' && UNSEEDED_PATH_PARAMS.some((n) => op!.path.includes(`{${n}}`)))
            want = 'allowed_or_404';
          const res = await send(op!, caller, ticket);
          const got = answerOf(res);
          if (got !== want && !(want === 'allowed_or_404' && (got === 'allowed' || got === 404)))
            wrong.push(
              `${caller}${ticket ? ` on ${ticket} ticket` : ''}: want ${want}, got ${res.status} ${JSON.stringify(res.body).slice(0, 160)}`,
            );
          else if (res.status >= 400)
            expect([caller, res.headers.get('content-type')]).toEqual([
              caller,
              expect.stringMatching(/^application\/problem\+json/),
            ]);
          if (key === 'dispatch GET /api/v1/tickets/{ticketNo}' && caller === 'unit_clerk' && ticket) {
            // API3: what is allowed is also only what the rule lets the unit see.
            if (ticket === 'withdrawn') {
              expect(res.body).toMatchObject({ access: 'own_actions', assignmentStatus: 'withdrawn' });
              for (const f of WITHDRAWN_UNIT_NEVER_SEES) expect(res.body).not.toHaveProperty(f);
            }
            if (ticket === 'own') expect(res.body).toMatchObject({ access: 'full', title: '路面破损' });
          }
        }
      expect(wrong).toEqual([]);
    });
  });

  it('lists a withdrawn ticket only on request, and then only as the unit’s own record', async () => {
    const list = await http('GET', `${p.urls.dispatch}/api/v1/tickets?limit=200`, {
      token: tokens.unit_clerk,
    });
    const nos = list.body.items.map((t: { ticketNo: string }) => t.ticketNo);
    expect(nos).toContain(tickets.own);
    expect(nos).not.toContain(tickets.withdrawn);
    expect(nos).not.toContain(tickets.other_unit);
    const withdrawn = await http('GET', `${p.urls.dispatch}/api/v1/tickets?status=withdrawn&limit=200`, {
      token: tokens.unit_clerk,
    });
    // (other specs of the run, sharing the database, may have withdrawn this unit from tickets too)
    const items = withdrawn.body.items as { ticketNo: string; access: string }[];
    expect(items).toContainEqual(
      expect.objectContaining({ ticketNo: tickets.withdrawn, access: 'own_actions' }),
    );
    expect(items.every((t) => t.access === 'own_actions')).toBe(true);
    expect(items.map((t) => t.ticketNo)).not.toContain(tickets.own);
    expect(items.map((t) => t.ticketNo)).not.toContain(tickets.other_unit);
    expect(JSON.stringify(withdrawn.body)).not.toMatch(/中山路|张先生|"complainant|"title"|"content"/);
  });
});
