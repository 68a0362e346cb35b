import { randomInt } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { createTemporalClient } from '@hotline/platform';
import { snapshotOf, ticketWorkflowId } from '@hotline/shared';
import type { TicketState } from '@hotline/shared';
import { createTicket, eventually, http, login, startPlatform } from '../harness';
import type { HttpResult, Platform } from '../harness';

/**
 * Many tickets, each with actions that contradict one another sent at the same moment, as a busy
 * hotline (two clerks, two reviewers, a citizen answering twice) or an attacker would send them.
 * Whatever the platform accepts or refuses, it answers with a status of its own (never a 5xx),
 * every view ends up showing what the workflow holds, the ledger accounts for each event once,
 * and no unit sees a ticket that is not its own.
 */
describe('conflicting actions at once, on many tickets', () => {
  const TICKETS = 24;
  const CONCURRENCY = 8;
  /** A number of this run's own for each ticket: other suites share the database. */
  const phoneBase = `147${String(randomInt(1000, 9999))}`;
  let p: Platform;
  let temporal: Client;
  const t: Record<string, string> = {};
  const answers: { what: string; status: number; code?: string }[] = [];

  beforeAll(async () => {
    p = await startPlatform();
    temporal = await createTemporalClient(p.config);
    for (const u of ['operator', 'reviewer', 'supervisor', 'clerk.transport', 'clerk.housing'])
      t[u] = await login(p.urls.intake, u);
  });
  afterAll(async () => {
    await temporal?.connection.close();
    await p?.stop();
  });

  /** JSON with its keys sorted (jsonb keeps no key order). */
  const canonical = (v: unknown): string =>
    JSON.stringify(v, (_k, x: unknown) =>
      x && typeof x === 'object' && !Array.isArray(x)
        ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b)))
        : x,
    );
  const REPLY = { content: '经核实，已于今日安排养护科更换破损地砖12块，现已修复完毕，恢复通行。' };
  async function post(what: string, url: string, token: string, body?: unknown, key?: string) {
    const r: HttpResult = await http('POST', url, {
      token,
      body,
      headers: key ? { 'idempotency-key': key } : {},
    });
    answers.push({ what, status: r.status, code: (r.body as { code?: string } | null)?.code });
    return r;
  }
  const unit = (who: string, no: string, action: string, body?: unknown, key?: string) =>
    post(`${action} by ${who}`, `${p.urls.dispatch}/api/v1/tickets/${no}/${action}`, t[who], body, key);
  const centre = (no: string, action: string, body: unknown) =>
    post(action, `${p.urls.intake}/api/v1/tickets/${no}/${action}`, t.reviewer, body);
  const callback = (no: string, mode: string, verdict: string) =>
    post(`${mode} callback`, `${p.urls.evaluation}/api/v1/callbacks/${no}/${mode}`, t.operator, { verdict });

  /** One ticket's course, in rounds of contradicting actions; `mode` picks the variation. */
  async function course(no: string, mode: number): Promise<void> {
    const clerk = 'clerk.transport';
    await eventually(`${no} on the desk`, async () => {
      const r = await http('GET', `${p.urls.dispatch}/api/v1/tickets/${no}`, { token: t[clerk] });
      return r.status === 200;
    });
    await Promise.all([
      unit(clerk, no, 'sign', undefined, `sign-${no}`),
      unit(clerk, no, 'sign', undefined, `sign-${no}`),
      unit(clerk, no, 'sign'),
      unit('clerk.housing', no, 'sign'),
      mode === 0 || mode === 4
        ? unit(clerk, no, 'return', { reason: '不属于本单位职责范围，请改派。', suggestedUnitId: 'housing' })
        : null,
      mode === 1
        ? unit(clerk, no, 'extension', { requested: { amount: 2, unit: 'days' }, reason: '需协调管线迁改。' })
        : null,
    ]);
    if (mode === 0 || mode === 4)
      await Promise.all([
        centre(no, 'return-decision', { approve: mode === 4, redispatchToUnitId: 'housing' }),
        centre(no, 'return-decision', { approve: false, note: '属本单位职责。' }),
        unit(clerk, no, 'sign'),
        unit('clerk.housing', no, 'sign'),
      ]);
    if (mode === 1)
      await Promise.all([
        centre(no, 'extension-decision', { approve: true }),
        centre(no, 'extension-decision', { approve: false }),
      ]);
    // Whoever holds the ticket now signs (again) and replies, the other unit trying too.
    await Promise.all([unit(clerk, no, 'sign'), unit('clerk.housing', no, 'sign')]);
    await Promise.all([
      unit(clerk, no, 'reply', REPLY, `reply-${no}`),
      unit(clerk, no, 'reply', REPLY, `reply-${no}`),
      unit('clerk.housing', no, 'reply', REPLY),
      mode === 2
        ? unit(clerk, no, 'extension', { requested: { amount: 12, unit: 'hours' }, reason: '需协调。' })
        : null,
    ]);
    await Promise.all([
      centre(no, 'review', { approve: true }),
      mode === 3 ? centre(no, 'review', { approve: false, note: '请补充整改时间。' }) : null,
    ]);
    await Promise.all([
      callback(no, 'sms', 'satisfied'),
      callback(no, 'sms', mode % 2 ? 'unsatisfied' : 'satisfied'),
      callback(no, 'manual', 'satisfied'),
    ]);
  }

  it('answers every action, and every view agrees with the workflow afterwards', async () => {
    const nos: string[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < TICKETS) {
          const i = next++;
          const no = await createTicket(p, t.operator, {
            complainantPhone: `${phoneBase}${String(i).padStart(4, '0')}`,
          });
          nos.push(no);
          await course(no, i % 5);
        }
      }),
    );
    expect(answers.filter((a) => a.status >= 500 || a.status === 0)).toEqual([]);
    for (const a of answers.filter((x) => x.status >= 400)) expect(a.code).toEqual(expect.any(String));

    for (const no of nos) {
      let last = '';
      await eventually(
        `ticket ${no} to agree everywhere`,
        async () => {
          const wf = await temporal.workflow.getHandle(ticketWorkflowId(no)).query<TicketState>('state');
          const snap = snapshotOf(wf);
          const ledger = (await http('GET', `${p.urls.intake}/api/v1/tickets/${no}`, { token: t.supervisor }))
            .body;
          const facts = (
            await http('GET', `${p.urls.supervision}/api/v1/tickets/${no}/facts`, { token: t.supervisor })
          ).body;
          const desks: Record<string, HttpResult> = {};
          for (const u of ['transport', 'housing'])
            desks[u] = await http('GET', `${p.urls.dispatch}/api/v1/tickets/${no}`, {
              token: t[`clerk.${u}`],
            });
          const problems: string[] = [];
          if (ledger.status !== wf.status) problems.push(`ledger ${ledger.status}`);
          if (facts.status !== wf.status) problems.push(`facts ${facts.status}`);
          for (const u of ['transport', 'housing']) {
            const a = snap.assignments.find((x) => x.unitId === u);
            const d = desks[u];
            if (!a) {
              // Never dispatched to this unit: it does not learn the ticket exists.
              if (d.status !== 404) problems.push(`${u} sees it (${d.status})`);
            } else if (d.status !== 200 || d.body.assignmentStatus !== a.status) {
              problems.push(`${u} desk ${d.status} ${d.body?.assignmentStatus} (workflow ${a.status})`);
            } else if (a.status !== 'withdrawn' && d.body.status !== wf.status) {
              problems.push(`${u} desk status ${d.body.status}`);
            }
          }
          // The record: each seq once, the voided ones named by their correction; a sign per dispatch at most.
          const history = ledger.history as {
            seq: number;
            type: string;
            data: { voided?: { seq: number }[] };
          }[];
          const voided = history.flatMap((e) =>
            e.type === 'ticket.record_corrected' ? (e.data.voided ?? []) : [],
          );
          const seqs = [...history.map((e) => e.seq), ...voided.map((v) => v.seq)].sort((x, y) => x - y);
          if (!seqs.every((s, k) => s === k + 1)) problems.push(`seqs ${seqs.join(',')}`);
          const count = (type: string) => history.filter((e) => e.type === type).length;
          if (count('ticket.signed') > count('ticket.dispatched'))
            problems.push('signed more than dispatched');
          if (count('ticket.closed') > 1) problems.push('closed twice');
          if (canonical((history.at(-1) as { state?: unknown } | undefined)?.state) !== canonical(snap))
            problems.push('last event state differs');
          last = `${wf.status}: ${problems.join('; ')}`;
          return problems.length === 0;
        },
        30000,
      ).catch((err: Error) => {
        throw new Error(`${err.message}; last seen ${last}`);
      });
    }
  });

  it("answers the centre's decision sent again without a key as already applied, and another one as refused", async () => {
    const clerk = 'clerk.transport';
    const no = await createTicket(p, t.operator);
    await eventually('signed', async () => (await unit(clerk, no, 'sign')).status === 200);
    const twice = async (action: string, body: unknown, other: unknown) => {
      const first = await centre(no, action, body);
      expect([action, first.status, first.body.alreadyApplied]).toEqual([action, 200, false]);
      const again = await centre(no, action, body);
      expect([action, again.status, again.body.alreadyApplied]).toEqual([action, 200, true]);
      const contrary = await centre(no, action, other);
      expect([action, contrary.status, contrary.body.code]).toEqual([action, 409, 'action_rejected']);
    };
    expect(
      (
        await unit(clerk, no, 'extension', {
          requested: { amount: 1, unit: 'days' },
          reason: '需协调管线迁改。',
        })
      ).status,
    ).toBe(200);
    await twice('extension-decision', { approve: true, note: '同意' }, { approve: false, note: '不同意' });
    expect(
      (
        await unit(clerk, no, 'return', {
          reason: '不属于本单位职责范围，请改派。',
          suggestedUnitId: 'housing',
        })
      ).status,
    ).toBe(200);
    await twice(
      'return-decision',
      { approve: false, note: '属于本单位职责，请继续办理' },
      { approve: true, redispatchToUnitId: 'housing', note: '同意' },
    );
    expect((await unit(clerk, no, 'reply', REPLY)).status).toBe(200);
    await twice('review', { approve: true }, { approve: false, note: '请补充整改时间。' });
  });
});
