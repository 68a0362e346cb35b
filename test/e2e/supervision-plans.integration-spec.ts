import { randomInt } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { executeTicketUpdate } from '@hotline/platform';
import { planDueAt } from '@hotline/shared';
import {
  approvedByCentre,
  driveTicket,
  eventually,
  GOOD_REPLY,
  http,
  login,
  replyApproved,
  satisfiedBySms,
  startPlatform,
} from '../harness';
import type { Platform } from '../harness';

/**
 * Tracked plans on the real stack (RULES §3: a long-cycle matter closes on an accepted plan and
 * the centre keeps tracking it to the end; §6: a plan not done in the promised time is supervised):
 * a ticket closed on a reply with a plan is tracked; its unit alone sees it and reports it done,
 * once; a plan whose day has ended lapses and raises an order on the unit.
 */
describe('tracked plans (e2e)', () => {
  let p: Platform;
  let operator: string;
  let reviewer: string;
  let supervisor: string;
  let clerk: string;
  let otherClerk: string;
  const phone = () => `136${String(randomInt(10_000_000, 99_999_999))}`;
  const chinaDay = (offsetDays: number) =>
    new Date(Date.now() + 8 * 3_600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);

  beforeAll(async () => {
    p = await startPlatform();
    [operator, reviewer, supervisor, clerk, otherClerk] = await Promise.all(
      ['operator', 'reviewer', 'supervisor', 'clerk.transport', 'clerk.housing'].map((u) =>
        login(p.urls.intake, u),
      ),
    );
  });
  afterAll(async () => {
    await p?.stop();
  });

  const sup = (method: string, path: string, token: string, body?: unknown) =>
    http(method, `${p.urls.supervision}/api/v1${path}`, { token, body });

  /** A road ticket (the transport bureau's) closed on `reply`: signed, replied, approved, SMS satisfied. */
  async function closedOn(reply: Record<string, unknown>, pastDay = false): Promise<string> {
    const crew = { operator, reviewer, clerk };
    const no = await driveTicket(p, crew, { approve: false, extra: { complainantPhone: phone() } });
    if (pastDay) {
      const connection = await Connection.connect({ address: p.config.temporalAddress });
      try {
        const client = new Client({ connection, namespace: p.config.temporalNamespace });
        const actor = {
          kind: 'user' as const,
          role: 'unit_clerk' as const,
          userId: 'clerk.transport',
          unitId: 'transport',
        };
        const r = reply as { content: string; responsibleDepartment: string; plannedCompletionDate: string };
        await executeTicketUpdate(
          client,
          no,
          'reply',
          { unitId: 'transport', ...r, isPlan: true, attachments: [], actor },
          null,
        );
      } finally {
        await connection.close();
      }
      await approvedByCentre(p, reviewer, no);
    } else await replyApproved(p, crew, no, reply);
    await satisfiedBySms(p, operator, no);
    await eventually(
      'closed in supervision',
      async () => (await sup('GET', `/tickets/${no}/facts`, supervisor)).body.status === 'closed',
    );
    return no;
  }
  const planReply = (day: string) => ({
    content:
      '经核实，该路段地下排水管线老化导致路面反复破损，需整体翻修，已列入市政维修计划，由市政工程处负责施工，' +
      `计划于${day}前完成，施工期间已设置警示标志和临时通道。`,
    isPlan: true,
    plannedCompletionDate: day,
    responsibleDepartment: '市政工程处',
  });

  it('tracks the plan of a closed ticket; its unit alone sees it and reports it done, once', async () => {
    const day = chinaDay(120);
    const no = await closedOn(planReply(day));
    const plan = await eventually('the plan tracked', async () => {
      const r = await sup('GET', `/plans/${no}`, supervisor);
      return r.status === 200 ? r.body : null;
    });
    expect(plan).toMatchObject({
      ticketNo: no,
      unitId: 'transport',
      plannedCompletionDate: day,
      status: 'tracking',
      completedAt: null,
    });
    expect(Date.parse(plan.dueAt)).toBe(Date.parse(planDueAt(day)));

    // Its unit sees it; another unit's clerk does not, not even by number, and cannot report it.
    expect((await sup('GET', `/plans/${no}`, clerk)).status).toBe(200);
    expect((await sup('GET', `/plans/${no}`, otherClerk)).status).toBe(404);
    const foreign = await sup('POST', `/plans/${no}/completion`, otherClerk, { note: '已全部完工并验收。' });
    expect([foreign.status, foreign.body.code]).toEqual([404, 'not_found']);
    const mine = (await sup('GET', `/plans?status=tracking&limit=100`, clerk)).body.items.map(
      (x: { ticketNo: string }) => x.ticketNo,
    );
    expect(mine).toContain(no);
    const theirs = await sup('GET', `/plans?unitId=transport&limit=100`, otherClerk);
    expect(theirs.body.items.every((x: { unitId: string }) => x.unitId === 'housing')).toBe(true);

    // A report without substance is refused; the report is taken once.
    expect((await sup('POST', `/plans/${no}/completion`, clerk, { note: '好' })).status).toBe(400);
    const done = await sup('POST', `/plans/${no}/completion`, clerk, {
      note: '排水管线已更换，路面翻修完成，经现场复核通行正常。',
    });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'done', alreadyApplied: false });
    expect(done.body.completionNote).toContain('路面翻修完成');
    const again = await sup('POST', `/plans/${no}/completion`, clerk, { note: '再次报告：已完工。' });
    expect(again.body).toMatchObject({
      status: 'done',
      alreadyApplied: true,
      completedAt: done.body.completedAt,
      completionNote: done.body.completionNote,
    });
    const doneList = (await sup('GET', `/plans?status=done&limit=100`, supervisor)).body.items;
    expect(doneList.map((x: { ticketNo: string }) => x.ticketNo)).toContain(no);
  });

  it('refuses a plan whose day is already past: no plan at all', async () => {
    const no = await driveTicket(p, { operator, reviewer, clerk }, { approve: false });
    const r = await http('POST', `${p.urls.dispatch}/api/v1/tickets/${no}/reply`, {
      token: clerk,
      body: planReply(chinaDay(-1)),
    });
    expect([r.status, r.body.code, r.body.field]).toEqual([
      400,
      'validation_failed',
      'plannedCompletionDate',
    ]);
    expect(r.body.detail).toContain(chinaDay(0)); // today as the date is written, YYYY-MM-DD
    // Today itself is a plan to come (compared with 20261207 rather than 2026-12-07, every day of
    // the year was refused).
    const today = await http('POST', `${p.urls.dispatch}/api/v1/tickets/${no}/reply`, {
      token: clerk,
      body: planReply(chinaDay(0)),
    });
    expect(today.status).toBe(200);
  });

  it('a plan whose day has ended lapses at once and raises an order on its unit; done later, the order stays', async () => {
    // A plan accepted whose day then ends: here its day is already past when the workflow takes it
    // (the API refuses a past day, so the reply goes to the workflow as the dispatch service sends it).
    const day = chinaDay(-1);
    const no = await closedOn(planReply(day), true);
    const lapsed = await eventually('the plan lapsed', async () => {
      const r = await sup('GET', `/plans/${no}`, supervisor);
      return r.body.status === 'lapsed' ? r.body : null;
    });
    expect(lapsed.lapsedAt).not.toBeNull();
    const order = await eventually('the order on the lapsed plan', async () =>
      ((await sup('GET', `/orders?ticketNo=${no}`, supervisor)).body.items ?? []).find(
        (o: { trigger: string }) => o.trigger === 'not_done_in_promised_time',
      ),
    );
    expect(order).toMatchObject({
      kind: 'order',
      stage: 'post_closure',
      unitId: 'transport',
      status: 'open',
    });
    expect(order.instruction).toContain(day);
    const [announced] = await p.db.query(
      `SELECT data FROM supervision.events WHERE type = 'supervision.plan_due' AND subject_id = $1`,
      [no],
    );
    expect(announced.data).toMatchObject({ ticketNo: no, unitId: 'transport', plannedCompletionDate: day });

    const done = await sup('POST', `/plans/${no}/completion`, clerk, {
      note: '已完工，逾期原因为雨季停工。',
    });
    expect(done.body).toMatchObject({ status: 'done', alreadyApplied: false });
    expect((await sup('GET', `/orders/${order.id}`, supervisor)).body.status).toBe('open');
    // One order, however the event is delivered.
    const orders = (await sup('GET', `/orders?ticketNo=${no}`, supervisor)).body.items;
    expect(orders.filter((o: { trigger: string }) => o.trigger === 'not_done_in_promised_time')).toHaveLength(
      1,
    );
  });

  it('a ticket closed on a reply without a plan is not tracked', async () => {
    const no = await closedOn({ content: GOOD_REPLY });
    const r = await sup('GET', `/plans/${no}`, supervisor);
    expect([r.status, r.body.code]).toEqual([404, 'not_found']);
  });

  it('refuses a list filter it does not know', async () => {
    expect((await sup('GET', `/plans?status=forgotten`, supervisor)).status).toBe(400);
    expect((await sup('GET', `/plans?limit=0`, supervisor)).status).toBe(400);
  });
});
