import { randomInt, randomUUID } from 'node:crypto';
import { createKafka } from '@hotline/platform';
import { SUPERVISION_EVENTS_TOPIC, topicName } from '@hotline/shared';
import { createTicket, eventually, GOOD_REPLY, http, login, replyApproved, startPlatform } from '../harness';
import type { Platform } from '../harness';

/**
 * Reminders and supervision orders on the real stack (RULES §6): raised automatically from the
 * ticket's events (a refused return, unsatisfied with time left, a complaint repeated 3 times) and
 * by hand; the unit's clerk sees and answers only its own; the supervisor reviews (send-back opens
 * a new round), withdraws; every change is a supervision event through the outbox.
 */
describe('supervision orders (e2e)', () => {
  let p: Platform;
  let operator: string;
  let reviewer: string;
  let supervisor: string;
  let clerk: string;
  let otherClerk: string;
  const phone = () => `137${String(randomInt(10_000_000, 99_999_999))}`;

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

  const sup = (
    method: string,
    path: string,
    token: string,
    body?: unknown,
    headers?: Record<string, string>,
  ) => http(method, `${p.urls.supervision}/api/v1${path}`, { token, body, headers });
  const ordersOf = async (no: string) =>
    (await sup('GET', `/orders?ticketNo=${no}`, supervisor)).body.items ?? [];
  const orderOf = (no: string, trigger: string) =>
    eventually(`a ${trigger} order on ${no}`, async () =>
      (await ordersOf(no)).find((o: { trigger: string }) => o.trigger === trigger),
    );
  const signed = (no: string) =>
    eventually(
      'signed',
      async () =>
        (await http('POST', `${p.urls.dispatch}/api/v1/tickets/${no}/sign`, { token: clerk })).status === 200,
    );
  /** The unit returns the ticket naming housing, and the centre decides: both accepted. */
  const returnedAndDecided = async (no: string, decision: Record<string, unknown>) => {
    const returned = await http('POST', `${p.urls.dispatch}/api/v1/tickets/${no}/return`, {
      token: clerk,
      body: { reason: '不属于本单位职责', suggestedUnitId: 'housing' },
    });
    expect(returned.status).toBe(200);
    const decided = await http('POST', `${p.urls.intake}/api/v1/tickets/${no}/return-decision`, {
      token: reviewer,
      body: decision,
    });
    expect(decided.status).toBe(200);
  };
  const REFUSED = { approve: false, note: '属于本单位职责' };

  /** Supervision's record of a ticket's coordinations, in order. */
  const coordinationRows = (no: string) =>
    p.db.query(
      `SELECT from_unit_id AS "from", unit_id AS "to", level FROM supervision.coordinations
       WHERE ticket_no = $1 ORDER BY coordinated_at, event_id`,
      [no],
    );
  /**
   * The units overview counts every unit's coordinations as supervision recorded them: designated
   * to it (a confirmation too), and taken from it (not a confirmation). Other tests' tickets may
   * still be coming in: asked again until both agree.
   */
  const overviewAgrees = () =>
    eventually('the overview to agree with the coordinations recorded', async () => {
      const items = (await sup('GET', '/units/overview?limit=200', supervisor)).body.items as {
        unitId: string;
        coordinatedTo: number;
        coordinatedFrom: number;
      }[];
      const rows: { unitId: string; to: number; from: number }[] = await p.db.query(
        `SELECT u AS "unitId", sum(t)::int AS "to", sum(f)::int AS "from" FROM (
           SELECT unit_id AS u, 1 AS t, 0 AS f FROM supervision.coordinations
           UNION ALL SELECT from_unit_id, 0, 1 FROM supervision.coordinations WHERE from_unit_id <> unit_id
         ) x GROUP BY u`,
      );
      return (
        rows.length > 0 &&
        rows.every((r) => {
          const u = items.find((i) => i.unitId === r.unitId);
          return u?.coordinatedTo === r.to && u?.coordinatedFrom === r.from;
        })
      );
    });
  const events = (orderId: string) =>
    p.db.query(`SELECT type, data FROM supervision.events WHERE subject_id = $1 ORDER BY occurred_at, type`, [
      orderId,
    ]);

  it('a refused return raises an order the unit alone sees and answers; sent back, answered again, accepted', async () => {
    const no = await createTicket(p, operator, { complainantPhone: phone() });
    await signed(no);
    await returnedAndDecided(no, REFUSED);

    const order = await orderOf(no, 'refusal');
    expect(order).toMatchObject({
      kind: 'order',
      stage: 'pre_closure',
      unitId: 'transport',
      status: 'open',
      round: 1,
    });
    // Signed before it returned it: told to get on with it, not to sign.
    expect(order.instruction).toBe('该工单属本单位职责，退回申请未获批准，请抓紧办理按时办结，不得推诿。');
    // The respondBy is the end of the third working day after it was raised.
    expect(Date.parse(order.respondBy)).toBeGreaterThan(Date.parse(order.raisedAt) + 24 * 3_600_000);

    // The desk shows it on the ticket (its copy of supervision's events).
    const onDesk = await eventually('the order on the desk', async () => {
      const d = await http('GET', `${p.urls.dispatch}/api/v1/tickets/${no}`, { token: clerk });
      return d.body.supervisionOrders?.find((o: { orderId: string }) => o.orderId === order.id);
    });
    expect(onDesk).toMatchObject({ kind: 'order', trigger: 'refusal', status: 'open' });
    // And the centre's ledger shows it with the ticket.
    await eventually('the order in the ledger', async () => {
      const l = await http('GET', `${p.urls.intake}/api/v1/tickets/${no}`, { token: operator });
      return l.body.supervisionOrders?.some(
        (o: { orderId: string; unitId: string }) => o.orderId === order.id && o.unitId === 'transport',
      );
    });

    // The unit's clerk sees it on its desk; another unit's clerk does not, not even by its id.
    // (Filtered to the ticket: other suites share the database, and their open orders come first.)
    const desk = await sup('GET', `/orders?ticketNo=${no}`, clerk);
    expect(desk.body.items.map((o: { id: string }) => o.id)).toContain(order.id);
    expect(
      (await sup('GET', `/orders?ticketNo=${no}`, otherClerk)).body.items.map((o: { id: string }) => o.id),
    ).not.toContain(order.id);
    expect((await sup('GET', `/orders/${order.id}`, otherClerk)).status).toBe(404);
    expect(
      (await sup('POST', `/orders/${order.id}/answer`, otherClerk, { response: '已安排专人处理此事。' })).body
        .code,
    ).toBe('order_not_found');

    // Review before the answer: refused with its code.
    expect((await sup('POST', `/orders/${order.id}/review`, supervisor, { accepted: true })).body.code).toBe(
      'order_not_answered',
    );
    const key = { 'idempotency-key': `answer-${order.id}` };
    const a1 = await sup(
      'POST',
      `/orders/${order.id}/answer`,
      clerk,
      { response: '已签收，正在安排现场核查。' },
      key,
    );
    expect(a1.status).toBe(200);
    expect(a1.body).toMatchObject({ status: 'answered', late: false });
    // The same key again is the same call; a second answer without it is refused.
    expect(
      (
        await sup(
          'POST',
          `/orders/${order.id}/answer`,
          clerk,
          { response: '已签收，正在安排现场核查。' },
          key,
        )
      ).status,
    ).toBe(200);
    expect(
      (await sup('POST', `/orders/${order.id}/answer`, clerk, { response: '再次答复的内容。' })).body.code,
    ).toBe('order_not_open');
    // A send-back needs a comment.
    expect((await sup('POST', `/orders/${order.id}/review`, supervisor, { accepted: false })).body.code).toBe(
      'validation_failed',
    );
    const back = await sup('POST', `/orders/${order.id}/review`, supervisor, {
      accepted: false,
      comment: '请说明办结时限。',
    });
    expect(back.body).toMatchObject({
      status: 'open',
      round: 2,
      sentBack: 1,
      reviewComment: '请说明办结时限。',
    });
    await sup('POST', `/orders/${order.id}/answer`, clerk, { response: '已于今日完成整改，详见答复。' });
    const done = await sup('POST', `/orders/${order.id}/review`, supervisor, { accepted: true });
    expect(done.body).toMatchObject({ status: 'closed', outcome: 'accepted', round: 2 });
    // The acceptance again (a retry without a key) is the order as it stands; a send-back, refused.
    const again = await sup('POST', `/orders/${order.id}/review`, supervisor, { accepted: true });
    expect([again.status, again.body.status, again.body.reviewedAt]).toEqual([
      200,
      'closed',
      done.body.reviewedAt,
    ]);
    const late = await sup('POST', `/orders/${order.id}/review`, supervisor, {
      accepted: false,
      comment: '请补充',
    });
    expect([late.status, late.body.code]).toEqual([409, 'order_closed']);
    await eventually('the closed order in the ledger', async () => {
      const l = await http('GET', `${p.urls.intake}/api/v1/tickets/${no}`, { token: operator });
      return l.body.supervisionOrders?.find(
        (o: { orderId: string; status: string; round: number }) =>
          o.orderId === order.id && o.status === 'closed' && o.round === 2,
      );
    });
    await eventually('the closed order on the desk', async () => {
      const d = await http('GET', `${p.urls.dispatch}/api/v1/tickets/${no}`, { token: clerk });
      return d.body.supervisionOrders?.find(
        (o: { orderId: string; status: string; round: number }) =>
          o.orderId === order.id && o.status === 'closed' && o.round === 2,
      );
    });
    expect(
      (await sup('POST', `/orders/${order.id}/answer`, clerk, { response: '再次答复的内容。' })).body.code,
    ).toBe('order_closed');

    const types = (await events(order.id)).map((e: { type: string }) => e.type);
    expect(types.filter((t: string) => t === 'supervision.order_answered')).toHaveLength(2);
    expect(types).toEqual(
      expect.arrayContaining([
        'supervision.order_raised',
        'supervision.order_reviewed',
        'supervision.order_closed',
      ]),
    );
    const outbox = await p.db.query(
      `SELECT count(*)::int AS n FROM platform.outbox WHERE topic LIKE '%supervision-events.v1' AND message_key = $1`,
      [order.id],
    );
    expect(outbox[0].n).toBe(types.length);

    // An answer re-sent under another id after the close (older than the copy's last change)
    // reopens nothing on the desk or in the ledger.
    const [{ payload }] = await p.db.query(
      `SELECT payload FROM platform.outbox WHERE message_key = $1 AND payload->>'type' = 'supervision.order_answered'
       ORDER BY id LIMIT 1`,
      [order.id],
    );
    const copy = { ...payload, id: randomUUID() };
    const producer = createKafka(p.config, 'stale-order-copy').producer();
    await producer.connect();
    await producer.send({
      topic: topicName(p.config, SUPERVISION_EVENTS_TOPIC),
      messages: [{ key: order.id, value: JSON.stringify(copy) }],
    });
    await producer.disconnect();
    for (const consumer of ['dispatch.unit-orders', 'intake.ticket-orders'])
      await eventually(`${consumer} to take the copy in`, async () => {
        const rows = await p.db.query(`SELECT 1 FROM platform.inbox WHERE consumer = $1 AND event_id = $2`, [
          consumer,
          copy.id,
        ]);
        return rows.length > 0;
      });
    const deskAfter = await http('GET', `${p.urls.dispatch}/api/v1/tickets/${no}`, { token: clerk });
    const ledgerAfter = await http('GET', `${p.urls.intake}/api/v1/tickets/${no}`, { token: operator });
    for (const orders of [deskAfter.body.supervisionOrders, ledgerAfter.body.supervisionOrders])
      expect(orders.find((o: { orderId: string }) => o.orderId === order.id)).toMatchObject({
        status: 'closed',
      });
  });

  it('an order to a unit the ticket is taken from (the centre’s coordination) is withdrawn, saying why', async () => {
    const no = await createTicket(p, operator, { complainantPhone: phone() });
    await signed(no);
    await returnedAndDecided(no, REFUSED);
    const order = await orderOf(no, 'refusal');
    expect(order).toMatchObject({ unitId: 'transport', status: 'open' });
    const coordinated = await http('POST', `${p.urls.intake}/api/v1/tickets/${no}/coordination`, {
      token: reviewer,
      body: { unitId: 'housing', reason: '经协调，由住建局牵头办理。' },
    });
    expect(coordinated.status).toBe(200);
    const withdrawn = await eventually('the order withdrawn', async () => {
      const r = await sup('GET', `/orders/${order.id}`, supervisor);
      return r.body.status === 'closed' ? r.body : null;
    });
    expect(withdrawn).toMatchObject({ outcome: 'withdrawn' });
    expect(JSON.stringify(withdrawn)).toContain('改由其他单位办理');
    // The unit it now lies with has nothing to answer on the former lead's order.
    expect(
      (await sup('POST', `/orders/${order.id}/answer`, clerk, { response: '已安排专人处理此事。' })).body
        .code,
    ).toBe('order_closed');
  });

  it('coordination (协调): the centre twice, then the leadership group; each lead held to act, each counted', async () => {
    const no = await createTicket(p, operator, { complainantPhone: phone() });
    const coordinate = (token: string, body: Record<string, unknown>) =>
      http('POST', `${p.urls.intake}/api/v1/tickets/${no}/coordination`, { token, body });
    await eventually('dispatched', async () => {
      const r = await http('GET', `${p.urls.intake}/api/v1/tickets/${no}`, { token: operator });
      return r.body.status === 'dispatched';
    });
    const first = await coordinate(reviewer, { unitId: 'housing', reason: '职责交叉，由住建局牵头办理。' });
    expect(first.status).toBe(200);
    // The designated lead may not return it: its desk shows no return window.
    const housingDesk = await http('GET', `${p.urls.dispatch}/api/v1/tickets/${no}`, { token: otherClerk });
    expect(housingDesk.body).toMatchObject({ role: 'lead', returnWindowEndsAt: null });
    const reminder = await orderOf(no, 'coordination');
    expect(reminder).toMatchObject({ kind: 'reminder', unitId: 'housing', status: 'open' });
    expect(reminder.instruction).toMatch(/^经热线中心协调/);
    expect(
      (
        await coordinate(reviewer, {
          unitId: 'market',
          assistingUnitIds: ['housing'],
          reason: '仍有争议，改由市场监管局牵头。',
        })
      ).status,
    ).toBe(200);
    // The third of the centre's is refused: the leadership group designates now. A reviewer does
    // not record the group's decision; a supervisor does.
    const third = await coordinate(reviewer, { unitId: 'transport', reason: '再次协调' });
    expect([third.status, third.body.code]).toEqual([409, 'coordination_escalation_required']);
    const byReviewer = await coordinate(reviewer, {
      unitId: 'transport',
      reason: '经领导小组会议研究，由交通运输局牵头。',
      level: 'leadership_group',
    });
    expect([byReviewer.status, byReviewer.body.code]).toEqual([403, 'forbidden']);
    const bad = await coordinate(supervisor, { unitId: 'transport', reason: 'x', level: 'mayor' });
    expect([bad.status, bad.body.code]).toEqual([400, 'validation_failed']);
    const byGroup = await coordinate(supervisor, {
      unitId: 'transport',
      reason: '经领导小组会议研究，由交通运输局牵头。',
      level: 'leadership_group',
    });
    expect(byGroup.status).toBe(200);
    // After the group's, the centre's is refused; the group's own again is already applied.
    const centreAgain = await coordinate(supervisor, { unitId: 'housing', reason: '中心再协调' });
    expect([centreAgain.status, centreAgain.body.code]).toEqual([409, 'coordination_escalation_required']);
    const repeat = await coordinate(supervisor, {
      unitId: 'transport',
      reason: '经领导小组会议研究，由交通运输局牵头。',
      level: 'leadership_group',
    });
    expect([repeat.status, repeat.body.alreadyApplied]).toEqual([200, true]);

    // The group's designation is an order (督办) on the lead, for its principal; the leads the
    // ticket was taken from have theirs withdrawn.
    const order = await eventually('the group’s order', async () =>
      (await ordersOf(no)).find(
        (o: { trigger: string; kind: string }) => o.trigger === 'coordination' && o.kind === 'order',
      ),
    );
    expect(order).toMatchObject({ unitId: 'transport', status: 'open' });
    expect(order.instruction).toMatch(/^经领导小组协调.*主要负责人.*会同协办单位/);
    const orders = await eventually('the former leads’ withdrawn', async () => {
      const all = (await ordersOf(no)).filter((o: { trigger: string }) => o.trigger === 'coordination');
      return all.length === 3 && all.filter((o: { status: string }) => o.status === 'closed').length === 2
        ? all
        : null;
    });
    const byUnit = Object.fromEntries(
      orders.map((o: { unitId: string; status: string; outcome: string | null }) => [
        o.unitId,
        [o.status, o.outcome],
      ]),
    );
    expect(byUnit).toEqual({
      housing: ['closed', 'withdrawn'],
      market: ['closed', 'withdrawn'],
      transport: ['open', null],
    });
    // housing, taken from as lead but named to assist market, is told why its lead's reminder went.
    const housing = orders.find((o: { unitId: string }) => o.unitId === 'housing');
    expect(JSON.stringify((await sup('GET', `/orders/${housing.id}`, supervisor)).body)).toContain(
      '本单位转为协办单位',
    );

    // Counted: the ticket's coordinations, and per unit, designated to it and taken from it.
    const facts = await eventually('the facts to count 3', async () => {
      const r = await sup('GET', `/tickets/${no}/facts`, supervisor);
      return r.body.coordinationCount === 3 ? r.body : null;
    });
    expect(facts.unitId).toBe('transport');
    expect(await coordinationRows(no)).toEqual([
      { from: 'transport', to: 'housing', level: 'centre' },
      { from: 'housing', to: 'market', level: 'centre' },
      { from: 'market', to: 'transport', level: 'leadership_group' },
    ]);
    await overviewAgrees();
    // The ledger's history says who designated each lead.
    const ledger = await http('GET', `${p.urls.intake}/api/v1/tickets/${no}`, { token: supervisor });
    expect(
      (ledger.body.history as { type: string; data: { level?: string } }[])
        .filter((e) => e.type === 'ticket.coordinated')
        .map((e) => e.data.level),
    ).toEqual(['centre', 'centre', 'leadership_group']);
  });

  it('an order on a ticket to a unit whose return the centre approved is withdrawn; one to the new unit stays', async () => {
    const no = await createTicket(p, operator, { complainantPhone: phone() });
    await signed(no);
    // Supervision raises an order on a ticket once its facts have the ticket on a unit's desk.
    const onTicket = await eventually('an order on the ticket', async () => {
      const r = await sup('POST', '/orders', supervisor, {
        ticketNo: no,
        kind: 'order',
        instruction: '请说明该工单的办理进展并限期答复。',
      });
      return r.status === 201 ? r : null;
    });
    expect(onTicket.body.unitId).toBe('transport');
    await returnedAndDecided(no, {
      approve: true,
      redispatchToUnitId: 'housing',
      note: '同意退回，改派住建局。',
    });
    const withdrawn = await eventually('the former unit’s order withdrawn', async () => {
      const r = await sup('GET', `/orders/${onTicket.body.id}`, supervisor);
      return r.body.status === 'closed' ? r.body : null;
    });
    expect(withdrawn).toMatchObject({ outcome: 'withdrawn' });
    expect(JSON.stringify(withdrawn)).toContain('改由其他单位办理');
    // An order raised on the ticket now goes to the unit it lies with, and stays open.
    await eventually('supervision to have it with housing', async () => {
      const r = await sup('GET', `/tickets/${no}/facts`, supervisor);
      return r.body.unitId === 'housing';
    });
    const next = await sup('POST', '/orders', supervisor, {
      ticketNo: no,
      kind: 'reminder',
      instruction: '请尽快签收办理。',
    });
    expect([next.status, next.body.unitId, next.body.status]).toEqual([201, 'housing', 'open']);
  });

  it('tickets the centre gave a unit that the leadership group then decided are failed coordinations (SQ art. 21)', async () => {
    // The water company: no other test coordinates tickets to it, so the count moves by this test's only.
    const grounds = async () => (await sup('GET', '/units/water/escalation-grounds', supervisor)).body;
    const before = (await grounds()).escalatedCoordinations as number;
    for (const i of [1, 2]) {
      const no = await createTicket(p, operator, { complainantPhone: phone() });
      await eventually('dispatched', async () => {
        const r = await http('GET', `${p.urls.intake}/api/v1/tickets/${no}`, { token: operator });
        return r.body.status === 'dispatched';
      });
      const coordinate = (token: string, body: Record<string, unknown>) =>
        http('POST', `${p.urls.intake}/api/v1/tickets/${no}/coordination`, { token, body });
      expect(
        (await coordinate(reviewer, { unitId: 'water', reason: `管线占道，由供水公司牵头（${i}）。` }))
          .status,
      ).toBe(200);
      expect(
        (
          await coordinate(supervisor, {
            unitId: 'transport',
            reason: `供水公司协调未果，经领导小组研究由交通运输局牵头（${i}）。`,
            level: 'leadership_group',
          })
        ).status,
      ).toBe(200);
      await eventually('supervision to record the group’s decision', async () =>
        (await coordinationRows(no)).some((r: { level: string }) => r.level === 'leadership_group'),
      );
    }
    // Not the unit's failure: the centre took the ticket from it again, the group gave it back and
    // then took it (the group's own designation reversed).
    const no = await createTicket(p, operator, { complainantPhone: phone() });
    await eventually('dispatched', async () => {
      const r = await http('GET', `${p.urls.intake}/api/v1/tickets/${no}`, { token: operator });
      return r.body.status === 'dispatched';
    });
    for (const [token, unitId, level] of [
      [reviewer, 'water', 'centre'],
      [reviewer, 'market', 'centre'],
      [supervisor, 'water', 'leadership_group'],
      [supervisor, 'transport', 'leadership_group'],
    ] as const)
      expect(
        (
          await http('POST', `${p.urls.intake}/api/v1/tickets/${no}/coordination`, {
            token,
            body: { unitId, level, reason: `协调由${unitId}牵头。` },
          })
        ).status,
      ).toBe(200);
    await eventually('supervision to record all four', async () => (await coordinationRows(no)).length === 4);
    const after = await grounds();
    expect(after.escalatedCoordinations - before).toBe(2);
    expect(after.grounds.map((g: { code: string }) => g.code)).toContain('coordination_failed');
  });

  it('coordination may confirm the unit that leads: it keeps the ticket, no longer returns it, is held to act', async () => {
    const no = await createTicket(p, operator, { complainantPhone: phone() });
    await signed(no);
    const before = await http('GET', `${p.urls.dispatch}/api/v1/tickets/${no}`, { token: clerk });
    expect(before.body.returnWindowEndsAt).toEqual(expect.any(String));
    const confirmed = await http('POST', `${p.urls.intake}/api/v1/tickets/${no}/coordination`, {
      token: reviewer,
      body: { unitId: 'transport', reason: '经核实属交通运输局职责，由其牵头办理，不得退回。' },
    });
    expect([confirmed.status, confirmed.body.status, confirmed.body.alreadyApplied]).toEqual([
      200,
      'signed',
      false,
    ]);
    const reminder = await orderOf(no, 'coordination');
    expect(reminder).toMatchObject({ kind: 'reminder', unitId: 'transport', status: 'open' });
    // Signed already: told it may not return it, and to get on with it (not to sign).
    expect(reminder.instruction).toBe(
      '经热线中心协调，确认该工单由你单位牵头办理，不得退回，请抓紧办理按时办结，不得推诿。',
    );
    const back = await http('POST', `${p.urls.dispatch}/api/v1/tickets/${no}/return`, {
      token: clerk,
      body: { reason: '不属于本单位职责', suggestedUnitId: 'housing' },
    });
    expect([back.status, back.body.code]).toEqual([409, 'action_rejected']);
    const desk = await http('GET', `${p.urls.dispatch}/api/v1/tickets/${no}`, { token: clerk });
    expect(desk.body).toMatchObject({ role: 'lead', assignmentStatus: 'signed', returnWindowEndsAt: null });
    expect(desk.body.coordination).toMatchObject({ unitId: 'transport', fromUnitId: 'transport' });
    // Designated, not taken from: counted once, to it.
    await eventually('supervision to count the confirmation', async () => {
      const r = await sup('GET', `/tickets/${no}/facts`, supervisor);
      return r.body.coordinationCount === 1;
    });
    expect(await coordinationRows(no)).toEqual([{ from: 'transport', to: 'transport', level: 'centre' }]);
    await overviewAgrees();
  });

  it('unsatisfied at the callback with time left raises a pre-closure order', async () => {
    const no = await createTicket(p, operator, { complainantPhone: phone() });
    await signed(no);
    await replyApproved(p, { operator, reviewer, clerk }, no);
    for (const mode of ['sms', 'manual'])
      expect(
        (
          await http('POST', `${p.urls.evaluation}/api/v1/callbacks/${no}/${mode}`, {
            token: operator,
            body: { verdict: 'unsatisfied' },
          })
        ).status,
      ).toBe(200);
    expect(await orderOf(no, 'unsatisfied_with_time_left')).toMatchObject({
      stage: 'pre_closure',
      unitId: 'transport',
    });
  });

  it('the second report of the same problem by the same complainant raises a reminder for the principal, the third an order', async () => {
    const number = phone();
    const first = await createTicket(p, operator, { complainantPhone: number });
    await signed(first);
    await replyApproved(p, { operator, reviewer, clerk }, first);
    const second = await createTicket(p, operator, { complainantPhone: number });
    const reminder = await orderOf(second, 'repeated_complaint');
    expect(reminder).toMatchObject({ kind: 'reminder', stage: 'pre_closure', unitId: 'transport' });
    expect(reminder.instruction).toContain('重复投诉');
    expect(reminder.instruction).toContain('主要负责人');
    // The unit's clerk reads it on the unit's own list.
    expect(
      (await sup('GET', `/orders?ticketNo=${second}`, clerk)).body.items.map((o: { id: string }) => o.id),
    ).toContain(reminder.id);
    await signed(second);
    await replyApproved(p, { operator, reviewer, clerk }, second);
    const third = await createTicket(p, operator, { complainantPhone: number });
    const order = await orderOf(third, 'repeated_complaint');
    expect(order.kind).toBe('order');
    expect(order.instruction).toContain('重复反映3次');
    // One per ticket: the second's reminder stays the only one on it.
    expect(
      (await ordersOf(second)).filter((o: { trigger: string }) => o.trigger === 'repeated_complaint'),
    ).toHaveLength(1);
    expect((await ordersOf(first)).length).toBe(0);
    // Another complainant's first report of the same kind raises nothing.
    const other = await createTicket(p, operator, { complainantPhone: phone() });
    await signed(other);
    expect((await ordersOf(other)).length).toBe(0);
  });

  it('an integrity report (confidential, about officials) is not a report before an ordinary complaint to another unit', async () => {
    const number = phone();
    // The complainant reports a road bureau official to the discipline body, then complains about
    // a road to the road bureau: the bureau is not told it was "reported before" (that would tell it
    // of the report about its own staff), nor is a complaint about officials the same matter.
    const report = await createTicket(p, operator, {
      complainantPhone: number,
      kind: 'report',
      complaintNature: 'integrity',
      respondent: '某路政执法人员',
    });
    // The discipline body signs it and replies: a report replied within the month is what makes
    // a later one a repeat.
    const discipline = await login(p.urls.intake, 'clerk.discipline');
    const act = (action: string, body?: unknown) =>
      http('POST', `${p.urls.dispatch}/api/v1/tickets/${report}/${action}`, { token: discipline, body });
    await eventually(
      'the report signed by the discipline body',
      async () => (await act('sign')).status === 200,
    );
    expect((await act('reply', { content: GOOD_REPLY })).status).toBe(200);
    const complaint = await createTicket(p, operator, { complainantPhone: number });
    await signed(complaint);
    // Its first ordinary report to the bureau raises no repeated-complaint order (supervision has
    // taken in the dispatch, and the sign after it); a second does.
    await eventually('supervision to see it signed', async () => {
      const r = await sup('GET', `/tickets/${complaint}/facts`, supervisor);
      return r.body.status === 'signed';
    });
    expect(await ordersOf(complaint)).toEqual([]);
    await replyApproved(p, { operator, reviewer, clerk }, complaint);
    const again = await createTicket(p, operator, { complainantPhone: number });
    expect(await orderOf(again, 'repeated_complaint')).toMatchObject({
      kind: 'reminder',
      unitId: 'transport',
    });
    expect((await orderOf(again, 'repeated_complaint')).instruction).toContain('第2次');
  });

  it('counts a report still open as one of the times; an answer given at intake is a reply', async () => {
    const number = phone();
    // The first report answered on a three-way call with the unit, at intake.
    const first = await createTicket(p, operator, {
      complainantPhone: number,
      disposition: {
        type: 'three_way_call',
        unitId: 'transport',
        participant: '王工',
        summary: '已当场答复处理方案。',
      },
    });
    await eventually(
      'the first answered at intake',
      async () =>
        (
          await p.db.query(
            `SELECT 1 FROM ticket.ticket_events WHERE ticket_no = $1 AND type = 'ticket.three_way_call_held'`,
            [first],
          )
        ).length > 0,
    );
    const second = await createTicket(p, operator, { complainantPhone: number });
    expect(await orderOf(second, 'repeated_complaint')).toMatchObject({ kind: 'reminder' });
    // The third comes while the second is still open: it is the third time, an order.
    const third = await createTicket(p, operator, { complainantPhone: number });
    const order = await orderOf(third, 'repeated_complaint');
    expect(order).toMatchObject({ kind: 'order' });
    expect(order.instruction).toContain('重复反映3次');
  });

  it('a supervisor raises one by hand, on a unit or a ticket; bad input is refused, nothing is written', async () => {
    // Orders raised by hand (automatic ones from earlier tests may still land meanwhile).
    const byHand = async () =>
      (await p.db.query(`SELECT count(*)::int AS n FROM supervision.orders WHERE trigger = 'manual'`))[0].n;
    const before = await byHand();
    const bad = [
      [{ kind: 'order', instruction: '请限期答复。' }, 'validation_failed'],
      [{ unitId: 'no-such-unit', kind: 'order', instruction: '请限期答复。' }, 'unknown_unit'],
      [{ unitId: 'transport', kind: 'urgent', instruction: '请限期答复。' }, 'validation_failed'],
      [{ unitId: 'transport', kind: 'order', instruction: '短' }, 'validation_failed'],
      [
        {
          unitId: 'transport',
          kind: 'order',
          instruction: '请限期答复。',
          respondWithin: { amount: 30, unit: 'minutes' },
        },
        'validation_failed',
      ],
      // 23 working days are fewer than 30 by count, but end more than 30 days from now.
      [
        {
          unitId: 'transport',
          kind: 'order',
          instruction: '请限期答复。',
          respondWithin: { amount: 23, unit: 'working_days' },
        },
        'validation_failed',
      ],
      [{ ticketNo: '20990101000001', kind: 'order', instruction: '请限期答复。' }, 'ticket_not_found'],
    ] as const;
    for (const [body, code] of bad) {
      const r = await sup('POST', '/orders', supervisor, body);
      expect({ body, code: r.body.code }).toEqual({ body, code });
      // A time to answer refused names its field, whichever check refused it.
      if ('respondWithin' in body) expect(r.body.field).toBe('respondWithin');
      expect(r.status).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
    }
    expect(await byHand()).toBe(before);
    expect(
      (
        await sup('POST', '/orders', clerk, {
          unitId: 'transport',
          kind: 'order',
          instruction: '请限期答复。',
        })
      ).status,
    ).toBe(403);

    const r = await sup('POST', '/orders', supervisor, {
      unitId: 'transport',
      kind: 'reminder',
      instruction: '请尽快反馈近期积压工单的办理情况。',
      respondWithin: { amount: 4, unit: 'hours' },
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      kind: 'reminder',
      trigger: 'manual',
      ticketNo: null,
      status: 'open',
      raisedBy: expect.any(String),
    });
    expect(Date.parse(r.body.respondBy) - Date.parse(r.body.raisedAt)).toBe(4 * 3_600_000);
    const w = await sup('POST', `/orders/${r.body.id}/withdraw`, supervisor, { reason: '已电话督促。' });
    expect(w.body).toMatchObject({ status: 'closed', outcome: 'withdrawn' });
    expect(
      (await sup('POST', `/orders/${r.body.id}/withdraw`, supervisor, { reason: '已电话督促。' })).body.code,
    ).toBe('order_closed');
    expect(
      (await sup('POST', `/orders/${r.body.id}/answer`, clerk, { response: '已安排专人处理此事。' })).body
        .code,
    ).toBe('order_closed');
    expect((await sup('GET', '/orders/not-a-uuid', supervisor)).status).toBe(404);
  });

  it('pages the orders by cursor: an order closed between pages skips no open one behind it', async () => {
    const raised: string[] = [];
    for (const hours of [1, 2, 3, 4, 5]) {
      const r = await sup('POST', '/orders', supervisor, {
        unitId: 'market',
        kind: 'reminder',
        instruction: `请反馈第${hours}批积压工单的办理情况。`,
        respondWithin: { amount: hours, unit: 'hours' },
      });
      expect(r.status).toBe(201);
      raised.push(r.body.id as string);
    }
    const seen: string[] = [];
    let page = await sup('GET', '/orders?unitId=market&limit=2', supervisor);
    let closedOne = false;
    for (;;) {
      expect(page.status).toBe(200);
      const items = page.body.items as { id: string; status: string }[];
      seen.push(...items.filter((o) => o.status !== 'closed').map((o) => o.id));
      // The first of ours on this page closes before the next page is read.
      const mine = items.find((o) => raised.includes(o.id));
      if (!closedOne && mine) {
        await sup('POST', `/orders/${mine.id}/withdraw`, supervisor, { reason: '已电话督促。' });
        closedOne = true;
      }
      if (!page.body.nextCursor) break;
      page = await sup('GET', `/orders?unitId=market&limit=2&after=${page.body.nextCursor}`, supervisor);
    }
    for (const id of raised) expect(seen.filter((x) => x === id)).toHaveLength(1);
    const bad = await sup('GET', '/orders?after=bm90LWEtY3Vyc29y', supervisor);
    expect([bad.status, bad.body.code]).toEqual([400, 'validation_failed']);
    const both = await sup(
      'GET',
      `/orders?limit=2&offset=2&after=${(await sup('GET', '/orders?limit=1', supervisor)).body.nextCursor}`,
      supervisor,
    );
    expect([both.status, both.body.code]).toEqual([400, 'validation_failed']);
  });

  it("shows the month's quota: orders against 20 % of last month's intake", async () => {
    const q = await sup('GET', '/orders/quota', supervisor);
    expect(q.status).toBe(200);
    expect(q.body).toMatchObject({
      month: expect.stringMatching(/^\d{4}-\d{2}$/),
      target: expect.any(Number),
      raised: expect.any(Number),
    });
    expect(q.body.raised).toBeGreaterThanOrEqual(1);
    // A withdrawn order is none: raising one by hand and withdrawing it leaves the count as it was.
    const raised = await sup('POST', '/orders', supervisor, {
      unitId: 'transport',
      kind: 'order',
      instruction: '请说明近期超期工单的原因。',
    });
    expect(raised.status).toBe(201);
    const counted = (await sup('GET', '/orders/quota', supervisor)).body.raised as number;
    await sup('POST', `/orders/${raised.body.id}/withdraw`, supervisor, { reason: '误发，撤回。' });
    expect((await sup('GET', '/orders/quota', supervisor)).body.raised).toBe(counted - 1);
    expect((await sup('GET', '/orders/quota?month=2026-13', supervisor)).status).toBe(400);
    // The first month kept has no month before it: the caller's error, not a 500.
    const first = await sup('GET', '/orders/quota?month=2000-01', supervisor);
    expect([first.status, first.body.code]).toEqual([400, 'validation_failed']);
    const last = await sup('GET', '/orders/quota?month=2026-01', supervisor);
    expect(last.body).toMatchObject({ month: '2026-01', label: '2026年1月' });
  });
});
