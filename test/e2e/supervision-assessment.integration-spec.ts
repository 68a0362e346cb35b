import { randomInt, randomUUID } from 'node:crypto';
import { BONUS_POINTS, monthKeyOf, parseAssessmentPeriod } from '@hotline/shared';
import {
  callbackAnswer,
  createTicket,
  eventually,
  http,
  login,
  replyApproved,
  startPlatform,
} from '../harness';
import type { Platform } from '../harness';

/**
 * The unit assessment, leader instructions and the escalation chain on the real stack (RULES §6–7).
 * The market regulator's tickets are this suite's own (no other suite routes to it), and its figures
 * are recomputed from the raw ticket events (ticket.ticket_events) and compared with the API's.
 */
describe('supervision: assessment, instructions, escalation (e2e)', () => {
  let p: Platform;
  let operator: string;
  let reviewer: string;
  let supervisor: string;
  let clerk: string;
  let otherClerk: string;
  const UNIT = 'market';
  const period = monthKeyOf(Date.now());
  const phone = () => `136${String(randomInt(10_000_000, 99_999_999))}`;
  const sup = (method: string, path: string, token: string, body?: unknown, key?: string) =>
    http(method, `${p.urls.supervision}/api/v1${path}`, {
      token,
      body,
      ...(key ? { headers: { 'idempotency-key': key } } : {}),
    });
  let satisfiedNo: string;
  let refusedNo: string;

  beforeAll(async () => {
    p = await startPlatform();
    [operator, reviewer, supervisor, clerk, otherClerk] = await Promise.all(
      ['operator', 'reviewer', 'supervisor', 'clerk.market', 'clerk.transport'].map((u) =>
        login(p.urls.intake, u),
      ),
    );
    const crew = { operator, reviewer, clerk };
    satisfiedNo = await signedTicket();
    await replyApproved(p, crew, satisfiedNo);
    await callbackAnswer(p, operator, satisfiedNo, 'sms', 'satisfied');
    refusedNo = await signedTicket();
    expect(
      (
        await http('POST', `${p.urls.dispatch}/api/v1/tickets/${refusedNo}/return`, {
          token: clerk,
          body: { reason: '不属于本单位职责', suggestedUnitId: 'housing' },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await http('POST', `${p.urls.intake}/api/v1/tickets/${refusedNo}/return-decision`, {
          token: reviewer,
          body: { approve: false, note: '属于本单位职责' },
        })
      ).status,
    ).toBe(200);
  });
  afterAll(async () => {
    await p?.stop();
  });

  /**
   * Sends the same creation three times at once under one Idempotency-Key: all answer the one
   * record, written once and announced once. Answers the first answer.
   */
  async function thriceUnderOneKey(
    path: string,
    body: unknown,
    key: string,
    record: { table: string; event: string; idField: string },
  ) {
    const sent = await Promise.all([1, 2, 3].map(() => sup('POST', path, supervisor, body, key)));
    expect(sent.map((r) => r.status)).toEqual([201, 201, 201]);
    expect(new Set(sent.map((r) => r.body.id)).size).toBe(1);
    const [written] = await p.db.query(
      `SELECT (SELECT count(*)::int FROM ${record.table} WHERE id::text = $1) AS rows,
              (SELECT count(*)::int FROM supervision.events WHERE type = $2 AND data->>'${record.idField}' = $1) AS events`,
      [sent[0].body.id, record.event],
    );
    expect(written).toEqual({ rows: 1, events: 1 });
    return sent[0];
  }

  /** A market regulator's ticket, signed by its clerk. */
  async function signedTicket(): Promise<string> {
    const no = await createTicket(p, operator, {
      category: 'consumer',
      title: '商家拒不退款',
      complainantPhone: phone(),
    });
    await eventually(
      'signed',
      async () =>
        (await http('POST', `${p.urls.dispatch}/api/v1/tickets/${no}/sign`, { token: clerk })).status === 200,
    );
    // Supervision knows whose it is (its copy of the ticket trails the workflow a little).
    await eventually(
      'the ticket in supervision',
      async () => (await sup('GET', `/tickets/${no}/facts`, supervisor)).body.unitId === UNIT,
    );
    return no;
  }

  /** The unit's figures for the period, recomputed from the raw ticket events by a fold of their own. */
  async function recompute(unitId: string, key: string) {
    const { from, to } = parseAssessmentPeriod(key)!;
    const rows: { ticketNo: string; type: string; data: Record<string, unknown>; at: string }[] =
      await p.db.query(
        `SELECT ticket_no AS "ticketNo", type, data, occurred_at AS at FROM ticket.ticket_events ORDER BY ticket_no, seq`,
      );
    const tickets = new Map<
      string,
      {
        unit?: string;
        due?: number;
        replied?: number;
        overdue?: number;
        refusals: number[];
        closed?: { at: number; outcome: string };
      }
    >();
    const inP = (ms: number | undefined) => ms !== undefined && ms >= Date.parse(from) && ms < Date.parse(to);
    const lateSigns: string[] = [];
    const missed = new Set<string>();
    for (const r of rows) {
      const t = tickets.get(r.ticketNo) ?? { refusals: [] };
      tickets.set(r.ticketNo, t);
      const at = Date.parse(r.at);
      if (r.type === 'ticket.dispatched') t.unit = r.data.unitId as string;
      if (
        [
          'ticket.dispatched',
          'ticket.extension_decided',
          'ticket.reply_reviewed',
          'ticket.rectification_ordered',
        ].includes(r.type) &&
        r.data.completeDueAt != null
      )
        t.due = Date.parse(r.data.completeDueAt as string);
      if (r.type === 'ticket.replied') t.replied = at;
      // A reply sent back, or followed by a rectification round, no longer answers the ticket.
      if (
        (r.type === 'ticket.reply_reviewed' && r.data.approved === false) ||
        r.type === 'ticket.rectification_ordered'
      )
        t.replied = undefined;
      // A sign deadline missed counts against the unit when it passes; a late signature counts
      // against the unit that signed (lead, assisting or sub-unit) unless its deadline was counted.
      if (r.type === 'ticket.overdue' && r.data.deadline === 'sign' && r.data.unitId === unitId) {
        missed.add(r.ticketNo);
        if (inP(at)) lateSigns.push(r.ticketNo);
      }
      const signer = r.type === 'ticket.sub_signed' ? r.data.subUnitId : r.data.unitId;
      if (
        ['ticket.signed', 'ticket.assistance_signed', 'ticket.sub_signed'].includes(r.type) &&
        r.data.late === true &&
        signer === unitId &&
        !missed.has(r.ticketNo) &&
        inP(at)
      )
        lateSigns.push(r.ticketNo);
      if (r.type === 'ticket.overdue' && r.data.deadline === 'complete') t.overdue ??= at;
      if (r.type === 'ticket.return_decided' && r.data.approved === false) t.refusals.push(at);
      if (r.type === 'ticket.closed') t.closed = { at, outcome: r.data.outcome as string };
    }
    const mine = [...tickets].filter(([, t]) => t.unit === unitId);
    const list = (pick: (t: (typeof mine)[number][1]) => boolean) =>
      mine
        .filter(([, t]) => pick(t))
        .map(([no]) => no)
        .sort();
    const verdicts = ['satisfied', 'basically_satisfied', 'unsatisfied'];
    const evaluated = mine.filter(
      ([, t]) => t.closed && inP(t.closed.at) && verdicts.includes(t.closed.outcome),
    );
    // Due: the deadline is in the period and has passed, or the unit replied; not while it runs.
    const now = Date.now();
    const isDue = (t: (typeof mine)[number][1]) => inP(t.due) && (t.due! <= now || t.replied !== undefined);
    const onTime = (t: (typeof mine)[number][1]) => t.replied !== undefined && t.replied <= t.due!;
    return {
      lateSigns: lateSigns.sort(),
      overdueReplies: list((t) => inP(t.overdue)),
      refusals: mine.flatMap(([no, t]) => t.refusals.filter(inP).map(() => no)).sort(),
      due: mine.filter(([, t]) => isDue(t)).length,
      completed: mine.filter(([, t]) => isDue(t) && onTime(t)).length,
      notCompleted: list((t) => isDue(t) && !onTime(t)),
      evaluated: evaluated.length,
      satisfied: evaluated.filter(([, t]) => t.closed!.outcome !== 'unsatisfied').length,
      unsatisfied: evaluated
        .filter(([, t]) => t.closed!.outcome === 'unsatisfied')
        .map(([no]) => no)
        .sort(),
    };
  }

  it('agrees with the raw ticket records: late signs, overdue replies, refusals, due and completed, satisfaction', async () => {
    const first = await recompute(UNIT, period);
    expect(first.refusals).toContain(refusedNo);
    expect(first.evaluated).toBeGreaterThanOrEqual(1);
    // A ticket dispatched now, its reply deadline hours away: not due yet, not a shortfall.
    const running = await createTicket(p, operator, {
      category: 'consumer',
      title: '商家拒不退款',
      complainantPhone: phone(),
    });
    await eventually('dispatched to the unit', async () => {
      const [row] = await p.db.query(
        `SELECT 1 FROM supervision.ticket_facts WHERE ticket_no = $1 AND complete_due_at IS NOT NULL`,
        [running],
      );
      return row !== undefined;
    });
    // A ticket replied to and sent back by the centre: the unit has not completed it.
    const sentBack = await signedTicket();
    expect(
      (
        await http('POST', `${p.urls.dispatch}/api/v1/tickets/${sentBack}/reply`, {
          token: clerk,
          body: { content: '经核实，已督促商家于今日办理退款，消费者已收到退款，纠纷已化解。' },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await http('POST', `${p.urls.intake}/api/v1/tickets/${sentBack}/review`, {
          token: reviewer,
          body: { approve: false, note: '请附退款凭证' },
        })
      ).status,
    ).toBe(200);
    // Back with the unit after its reply: 'signed' alone is also how the facts stood before the
    // reply reached them (a slow supervision passed this wait with the reply still to come).
    await eventually('supervision sees it back with the unit', async () => {
      const [row] = await p.db.query(
        `SELECT status, replied_at FROM supervision.ticket_facts WHERE ticket_no = $1`,
        [sentBack],
      );
      return row?.status === 'signed' && row.replied_at !== null;
    });
    await eventually('the assessment to agree with the ticket records', async () => {
      const want = await recompute(UNIT, period);
      const r = await sup('GET', `/assessments/units/${UNIT}?period=${period}`, supervisor);
      const f = r.body.facts;
      const got = {
        lateSigns: [...f.lateSigns].sort(),
        overdueReplies: [...f.overdueReplies].sort(),
        refusals: [...f.refusals].sort(),
        due: f.due,
        completed: f.completed,
        notCompleted: [...f.notCompleted].sort(),
        evaluated: f.evaluated,
        satisfied: f.satisfied,
        unsatisfied: [...f.unsatisfied].sort(),
      };
      return JSON.stringify(got) === JSON.stringify(want) ? got : null;
    });
    const f = (await sup('GET', `/assessments/units/${UNIT}?period=${period}`, supervisor)).body.facts;
    expect(f.notCompleted).not.toContain(running);
    // Not completed, and not due while its new reply time runs.
    expect(f.notCompleted).not.toContain(sentBack);
    const completedNos: string[] = (
      await p.db.query(
        `SELECT ticket_no FROM supervision.ticket_facts WHERE ticket_no = $1 AND replied_at IS NOT NULL`,
        [sentBack],
      )
    ).map((r: { ticket_no: string }) => r.ticket_no);
    expect(completedNos).toEqual([sentBack]);
  });

  it('scores the unit out of 100 with its manual items and bonuses, names the tickets of each deduction, and keeps a small sample unranked', async () => {
    const ref = `市领导批示-${randomUUID().slice(0, 8)}`;
    expect(
      (
        await sup('PUT', '/assessments/manual-scores', supervisor, {
          period,
          unitId: UNIT,
          leadership: 14,
          rules: 13.5,
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await sup('PUT', '/assessments/manual-scores', supervisor, {
          period,
          unitId: UNIT,
          leadership: 16,
          rules: 1,
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await sup('PUT', '/assessments/manual-scores', supervisor, {
          period: '2026-13',
          unitId: UNIT,
          leadership: 1,
          rules: 1,
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await sup('PUT', '/assessments/manual-scores', supervisor, {
          period,
          unitId: 'nope',
          leadership: 1,
          rules: 1,
        })
      ).body.code,
    ).toBe('unknown_unit');
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const bonus = (kind: string) =>
      sup('POST', '/assessments/bonuses', supervisor, {
        unitId: UNIT,
        kind,
        ref,
        occurredOn: today,
        note: '市领导对消费维权工作作出肯定性批示。',
      });
    const endorsed = await bonus('city_leader_endorsement');
    expect(endorsed.status).toBe(201);
    // Answered with the bonus recorded; the unit's list has it, newest first, a page at a time.
    expect(endorsed.body).toMatchObject({
      unitId: UNIT,
      kind: 'city_leader_endorsement',
      ref,
      occurredOn: today,
    });
    const listed = await sup('GET', `/assessments/bonuses?unitId=${UNIT}&limit=200`, supervisor);
    expect(listed.body).toMatchObject({ limit: 200, offset: 0, total: listed.body.items.length });
    expect(listed.body.items.map((b: { id: string }) => b.id)).toContain(endorsed.body.id);
    expect((await bonus('city_leader_endorsement')).body.code).toBe('conflict');
    const praised = await bonus('bulletin_praise');
    expect(praised.status).toBe(201);
    // Two on the same day: the one recorded later comes first.
    const both = (
      await sup('GET', `/assessments/bonuses?unitId=${UNIT}&limit=200`, supervisor)
    ).body.items.map((b: { id: string }) => b.id);
    expect(both.indexOf(praised.body.id)).toBeLessThan(both.indexOf(endorsed.body.id));
    expect((await bonus('nonsense')).status).toBe(400);
    // The same event named with spaces around it is the same event.
    const spaced = await sup('POST', '/assessments/bonuses', supervisor, {
      unitId: UNIT,
      kind: 'citizen_praise',
      ref: ` ${ref}  `,
      occurredOn: today,
      note: '市民来电表扬。',
    });
    expect([spaced.status, spaced.body.ref]).toEqual([201, ref]);
    // An event first awarded last month counts there, whatever is added to it this month.
    const lastMonth = new Date(Date.parse(`${today.slice(0, 8)}01T00:00:00Z`) - 86_400_000)
      .toISOString()
      .slice(0, 10);
    const earlier = `${ref}-上月`;
    for (const [kind, occurredOn] of [
      ['citizen_praise', lastMonth],
      ['city_media', today],
    ])
      expect(
        (
          await sup('POST', '/assessments/bonuses', supervisor, {
            unitId: UNIT,
            kind,
            ref: earlier,
            occurredOn,
            note: '同一事件的再次嘉奖。',
          })
        ).status,
      ).toBe(201);
    // An event that has not happened yet is no bonus.
    const ahead = await sup('POST', '/assessments/bonuses', supervisor, {
      unitId: UNIT,
      kind: 'citizen_praise',
      ref: `${ref}-ahead`,
      occurredOn: '2099-01-01',
      note: '预先登记的表扬。',
    });
    expect([ahead.status, ahead.body.code]).toEqual([400, 'validation_failed']);
    expect(
      (
        await sup('POST', '/assessments/attitude-complaints', supervisor, {
          ticketNo: satisfiedNo,
          note: '市民反映接听电话态度生硬。',
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await sup('POST', '/assessments/attitude-complaints', supervisor, {
          ticketNo: satisfiedNo,
          note: '再次反映。',
        })
      ).body.code,
    ).toBe('conflict');

    const r = await eventually('the refusal order', async () => {
      const a = await sup('GET', `/assessments/units/${UNIT}?period=${period}`, supervisor);
      return a.body.facts?.refusals.includes(refusedNo) ? a : null;
    });
    const items = Object.fromEntries(r.body.assessment.items.map((i: { key: string }) => [i.key, i]));
    expect(items.leadership.score).toBe(14);
    expect(items.rules.score).toBe(13.5);
    // The quarter without scores of its own takes the mean of its months that have them.
    const quarter = `${period.slice(0, 4)}-Q${Math.floor((Number(period.slice(5, 7)) - 1) / 3) + 1}`;
    const q = await sup('GET', `/assessments/units/${UNIT}?period=${quarter}`, supervisor);
    expect(q.body.facts.manual).toEqual({ leadership: 14, rules: 13.5 });
    const attitude = items.attitude.deductions;
    expect(attitude.find((d: { reason: string }) => d.reason === '拒签或签而不办').tickets).toContain(
      refusedNo,
    );
    expect(attitude.find((d: { reason: string }) => d.reason === '服务态度投诉').tickets).toEqual([
      satisfiedNo,
    ]);
    // One award per event: the endorsement (2), the bulletin praise (2) and the citizen praise
    // (0.5) of the same event count once, at its highest; last month's event not at all.
    expect(r.body.facts.bonuses.filter((b: { ref: string }) => b.ref === ref)).toHaveLength(3);
    expect(r.body.facts.bonuses.map((b: { ref: string }) => b.ref)).not.toContain(earlier);
    const best = new Map<string, number>();
    for (const b of r.body.facts.bonuses as { ref: string; kind: keyof typeof BONUS_POINTS }[])
      best.set(b.ref, Math.max(best.get(b.ref) ?? 0, BONUS_POINTS[b.kind]));
    expect(r.body.assessment.bonus).toBe([...best.values()].reduce((a, b) => a + b, 0));

    const ranking = await sup('GET', `/assessments?period=${period}`, supervisor);
    expect(ranking.status).toBe(200);
    const market = ranking.body.items.find((i: { unitId: string }) => i.unitId === UNIT);
    expect(market).toMatchObject({ rank: null, manualEntered: true, unitName: expect.any(String) });
    expect(market.unrankedReason).toMatch(/样本不足/);
    expect(ranking.body.minSample).toBe(30);
    expect((await sup('GET', '/assessments?period=2026-Q4', supervisor)).body.period).toMatchObject({
      kind: 'quarter',
      label: '2026年第四季度',
    });
    for (const bad of ['2026-Q5', '26', 'now'])
      expect((await sup('GET', `/assessments?period=${bad}`, supervisor)).status).toBe(400);
    expect((await sup('GET', `/assessments`, clerk)).status).toBe(403);
    // A unit's clerk reads its own unit's assessment, every deduction with its tickets; no other's.
    const own = await sup('GET', `/assessments/units/${UNIT}?period=${period}`, clerk);
    expect([own.status, own.body.facts.unitId]).toEqual([200, UNIT]);
    expect((await sup('GET', `/assessments/units/transport?period=${period}`, clerk)).status).toBe(404);

    // Publication: only an ended period, once; the units read it.
    expect((await sup('POST', '/assessments/publications', supervisor, { period })).body.code).toBe(
      'action_rejected',
    );
    const published = await sup('POST', '/assessments/publications', supervisor, { period: '2025-Q4' });
    expect([201, 409]).toContain(published.status); // a rerun on a kept database finds it published
    expect(
      (await sup('POST', '/assessments/publications', supervisor, { period: '2025-Q4' })).body.code,
    ).toBe('conflict');
    const read = await sup('GET', '/assessments/publications/2025-Q4', clerk);
    expect(read.body).toMatchObject({ period: '2025-Q4', ranking: { period: { label: '2025年第四季度' } } });
    expect((await sup('GET', '/assessments/publications/2024-Q1', clerk)).status).toBe(404);
    expect((await sup('GET', '/assessments/publications/2024-Q9', clerk)).status).toBe(400);
  });

  it('a leader instruction goes with its ticket to a new lead: an order on it, the former unit no longer reads it', async () => {
    const no = await signedTicket();
    const r = await sup('POST', '/instructions', supervisor, {
      ticketNo: no,
      leaderName: '李市长',
      leaderLevel: 'city',
      content: '请相关部门务必三日内解决',
    });
    expect(r.body).toMatchObject({ unitId: UNIT });
    const first = r.body.raisedOrderId as string;
    // The centre finds it the transport bureau's (coordination): the instruction goes there.
    const coordinated = await http('POST', `${p.urls.intake}/api/v1/tickets/${no}/coordination`, {
      token: reviewer,
      body: { unitId: 'transport', reason: '经协调，由交通运输局牵头办理。' },
    });
    expect(coordinated.status).toBe(200);
    const moved = await eventually('the instruction with the new lead', async () => {
      const i = await sup('GET', `/instructions/${r.body.id}`, supervisor);
      return i.body.unitId === 'transport' ? i.body : null;
    });
    expect(moved.raisedOrderId).not.toBe(first);
    const order = await sup('GET', `/orders/${moved.raisedOrderId}`, otherClerk);
    expect(order.body).toMatchObject({ trigger: 'leader_instruction', unitId: 'transport', status: 'open' });
    expect(order.body.instruction).toContain('李市长');
    // The former lead's order is withdrawn; it reads the instruction no more, the new lead does.
    const withdrawn = await eventually('the former lead’s order withdrawn', async () => {
      const o = await sup('GET', `/orders/${first}`, supervisor);
      return o.body.status === 'closed' ? o.body : null;
    });
    expect(withdrawn.unitId).toBe(UNIT);
    expect((await sup('GET', `/instructions/${r.body.id}`, clerk)).status).toBe(404);
    expect((await sup('GET', `/instructions?ticketNo=${no}`, clerk)).body.items).toEqual([]);
    expect((await sup('GET', `/instructions/${r.body.id}`, otherClerk)).status).toBe(200);
  });

  it('a repeat under one Idempotency-Key is the first order or instruction; an instruction on a closed ticket raises a post-closure order', async () => {
    const orderKey = randomUUID();
    const order = { ticketNo: refusedNo, kind: 'reminder', instruction: '请尽快核实办理并反馈。' };
    const orders = await Promise.all(
      [1, 2, 3].map(() => sup('POST', '/orders', supervisor, order, orderKey)),
    );
    expect(orders.map((r) => r.status)).toEqual([201, 201, 201]);
    expect(new Set(orders.map((r) => r.body.id)).size).toBe(1);
    const again = await sup('POST', '/orders', supervisor, order, orderKey);
    expect([again.status, again.body.id]).toEqual([201, orders[0].body.id]);
    expect((await sup('POST', '/orders', supervisor, { ...order, kind: 'order' }, orderKey)).status).toBe(
      422,
    );
    const manual = await p.db.query(
      `SELECT count(*)::int AS n FROM supervision.orders WHERE ticket_no = $1 AND trigger = 'manual'
         AND instruction = $2`,
      [refusedNo, order.instruction],
    );
    expect(manual[0].n).toBe(1);

    const key = randomUUID();
    const instruction = {
      ticketNo: satisfiedNo,
      leaderName: '李副市长',
      leaderLevel: 'city',
      content: '请回访核实整改落实情况。',
    };
    const recorded = await thriceUnderOneKey('/instructions', instruction, key, {
      table: 'supervision.instructions',
      event: 'supervision.instruction_recorded',
      idField: 'instructionId',
    });
    // The ticket is closed: the order the instruction raised is a post-closure one, and the
    // instruction is completed when that order is, not at once because the ticket was closed.
    const raised = await sup('GET', `/orders/${recorded.body.raisedOrderId}`, supervisor);
    expect([raised.status, raised.body.stage, raised.body.trigger]).toEqual([
      200,
      'post_closure',
      'leader_instruction',
    ]);
    expect(recorded.body.completed).toBe(false);
  });

  it('a leader instruction on a ticket raises an order and traces every reading; the unit reads only its own', async () => {
    const r = await sup('POST', '/instructions', supervisor, {
      ticketNo: refusedNo,
      leaderName: '王副市长',
      leaderLevel: 'city',
      content: '请市场监管局务必于本周内督促商家退款',
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ unitId: UNIT, completed: false, raisedOrderId: expect.any(String) });
    const order = await sup('GET', `/orders/${r.body.raisedOrderId}`, clerk);
    expect(order.body).toMatchObject({ trigger: 'leader_instruction', unitId: UNIT });
    expect(order.body.instruction).toContain('王副市长');
    // The order names the instruction, not its words: reading those is traced (自动留痕).
    expect(order.body.instruction).not.toContain('督促商家退款');

    expect((await sup('GET', `/instructions/${r.body.id}`, otherClerk)).status).toBe(404);
    const read = await sup('GET', `/instructions/${r.body.id}`, clerk);
    expect(read.status).toBe(200);
    const again = await sup('GET', `/instructions/${r.body.id}`, supervisor);
    const readers = again.body.views.map((v: { userId: string; role: string }) => v.role);
    expect(readers).toEqual(['supervisor', 'unit_clerk', 'supervisor']);
    expect(
      (await sup('GET', '/instructions', clerk)).body.items.every(
        (i: { unitId: string }) => i.unitId === UNIT,
      ),
    ).toBe(true);
    expect(
      (await sup('GET', '/instructions', otherClerk)).body.items.map((i: { id: string }) => i.id),
    ).not.toContain(r.body.id);
    // The unit's list shows its words too: that reading is traced as well.
    const listed = await sup('GET', `/instructions?ticketNo=${refusedNo}`, clerk);
    expect(listed.body.items.map((i: { id: string }) => i.id)).toContain(r.body.id);
    const traced = await sup('GET', `/instructions/${r.body.id}`, supervisor);
    // Created (its answer read it), opened by the clerk, by the supervisor, the clerk's two lists, now.
    expect(traced.body.views.map((v: { role: string }) => v.role)).toEqual([
      'supervisor',
      'unit_clerk',
      'supervisor',
      'unit_clerk',
      'unit_clerk',
      'supervisor',
    ]);

    // Bad input: both or neither subject, a future date, an unknown ticket.
    for (const body of [
      { leaderName: '王副市长', leaderLevel: 'city', content: '请办理' },
      {
        ticketNo: refusedNo,
        orderId: r.body.raisedOrderId,
        leaderName: '王副市长',
        leaderLevel: 'city',
        content: '请办理',
      },
      {
        ticketNo: refusedNo,
        leaderName: '王副市长',
        leaderLevel: 'city',
        content: '请办理',
        issuedAt: '2099-01-01T00:00:00Z',
      },
      {
        ticketNo: refusedNo,
        leaderName: '王副市长',
        leaderLevel: 'city',
        content: '请办理',
        issuedAt: '1970-01-01T00:00:00Z',
      },
      { ticketNo: refusedNo, leaderName: '王副市长', leaderLevel: 'county', content: '请办理' },
    ])
      expect((await sup('POST', '/instructions', supervisor, body)).status).toBe(400);
    expect(
      (
        await sup('POST', '/instructions', supervisor, {
          ticketNo: '20990101000009',
          leaderName: '王副市长',
          leaderLevel: 'city',
          content: '请办理',
        })
      ).status,
    ).toBe(404);

    // Its ticket is still within its reply time: the instruction is not due, so not marked down.
    const a = await sup('GET', `/assessments/units/${UNIT}?period=${period}`, supervisor);
    expect(a.body.facts.instructedOpen).not.toContain(refusedNo);
    expect(a.body.facts.instructed).toBe(a.body.facts.instructedCompleted);
  });

  it('escalation: open on grounds found in the orders, refused without them; a referral follows an interview or circular', async () => {
    // Grounds: the refused return raised a refusal order against the unit.
    const g = await eventually('the grounds', async () => {
      const r = await sup('GET', `/units/${UNIT}/escalation-grounds`, supervisor);
      return r.body.grounds?.some((x: { code: string }) => x.code === 'refusal') ? r.body : null;
    });
    expect(g.open).toEqual(expect.arrayContaining(['interview', 'circular', 'special_report']));
    const doc = [{ title: '约谈通知书', content: '定于下周一约谈分管负责人。' }];
    // The power company has no orders: nothing is open against it.
    const none = await sup('POST', '/escalations', supervisor, {
      unitId: 'power',
      measure: 'interview',
      reason: '协调未果',
      documents: doc,
    });
    expect(none.body.code).toBe('escalation_not_open');
    const interview = await sup('POST', '/escalations', supervisor, {
      unitId: UNIT,
      measure: 'interview',
      reason: '职责明确却无故拒收。',
      documents: doc,
    });
    expect(interview.status).toBe(201);
    // The same decision sent again under one key, three at once: the first, recorded once.
    const key = randomUUID();
    const keyed = {
      unitId: UNIT,
      measure: 'circular',
      reason: '职责明确却无故拒收，予以通报。',
      documents: [{ title: '通报', content: '予以通报批评。' }],
    };
    await thriceUnderOneKey('/escalations', keyed, key, {
      table: 'supervision.escalations',
      event: 'supervision.escalation_decided',
      idField: 'escalationId',
    });
    expect(
      (await sup('POST', '/escalations', supervisor, { ...keyed, reason: '另一理由。' }, key)).status,
    ).toBe(422);
    expect(interview.body).toMatchObject({
      measure: 'interview',
      measureLabel: '约谈',
      grounds: expect.arrayContaining(['refusal']),
    });
    expect(
      (
        await sup('POST', '/escalations', supervisor, {
          unitId: UNIT,
          measure: 'discipline_referral',
          reason: '屡次拒收。',
          documents: doc,
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await sup('POST', '/escalations', supervisor, {
          unitId: UNIT,
          measure: 'fine',
          reason: '屡次拒收。',
          documents: doc,
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await sup('POST', '/escalations', supervisor, {
          unitId: UNIT,
          measure: 'interview',
          reason: '屡次拒收。',
          documents: 'x',
        })
      ).status,
    ).toBe(400);
    const events = await p.db.query(
      `SELECT count(*)::int AS n FROM supervision.events WHERE type = 'supervision.escalation_decided' AND data->>'escalationId' = $1`,
      [interview.body.id],
    );
    expect(events[0].n).toBe(1);
    expect(
      (await sup('GET', `/escalations?unitId=${UNIT}`, supervisor)).body.items.length,
    ).toBeGreaterThanOrEqual(2);
  });
});
