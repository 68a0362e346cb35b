import { eventually, http, login, satisfiedBySms, startPlatform, TICKET_BODY } from '../harness';
import type { Platform } from '../harness';

/**
 * Classified handling at intake (分类处置, RULES §1, SQ art. 10.2): an appeal answered on a
 * three-way call (三方通话) with the unit responsible is registered with the unit and who spoke for
 * it, goes straight to the citizen's callback like a direct answer, never reaches a unit's desk,
 * and the citizen's look-up says which unit answered and what. So are an appeal transferred to
 * the unit's dedicated line (专线) and one linked with its dedicated window (专窗联动).
 */
describe('a three-way call, a special line, a special window at intake (e2e)', () => {
  let p: Platform;
  let operator: string;
  let transport: string;

  beforeAll(async () => {
    p = await startPlatform();
    [operator, transport] = await Promise.all(
      ['operator', 'clerk.transport'].map((u) => login(p.urls.intake, u)),
    );
  });
  afterAll(async () => {
    await p?.stop();
  });

  const CALL = {
    type: 'three_way_call',
    unitId: 'transport',
    participant: '养护科王工',
    summary: '养护科王工在通话中答复：已安排今日下午更换中山路128号破损地砖，市民表示认可。',
  };
  const create = (disposition: unknown) =>
    http('POST', `${p.urls.intake}/api/v1/tickets`, {
      token: operator,
      body: { ...TICKET_BODY, disposition },
    });

  it('is recorded with the unit and who spoke, asks the citizen, and closes on the answer', async () => {
    const made = await create(CALL);
    expect(made.status).toBe(201);
    const no = made.body.ticketNo as string;
    const ticket = await eventually('the call on the record, the citizen asked', async () => {
      const r = await http('GET', `${p.urls.intake}/api/v1/tickets/${no}`, { token: operator });
      return r.body.status === 'callback' ? r.body : null;
    });
    const held = (ticket.history as { type: string; data: unknown }[]).find(
      (e) => e.type === 'ticket.three_way_call_held',
    );
    expect(held?.data).toEqual({
      unitId: 'transport',
      unitName: '市交通运输局',
      participant: '养护科王工',
      summary: CALL.summary,
    });
    expect(ticket.history.some((e: { type: string }) => e.type === 'ticket.dispatched')).toBe(false);
    expect(ticket.disposition).toMatchObject({ type: 'three_way_call', unit: { unitId: 'transport' } });
    // Answered on the call: nothing is left on the unit's desk.
    expect((await http('GET', `${p.urls.dispatch}/api/v1/tickets/${no}`, { token: transport })).status).toBe(
      404,
    );

    const lookup = await http('POST', `${p.urls.intake}/api/v1/public/ticket-lookup`, {
      body: { ticketNo: no, queryCode: made.body.queryCode },
    });
    expect(lookup.body.result).toMatchObject({ text: CALL.summary });

    await satisfiedBySms(p, operator, no);
    await eventually('closed', async () => {
      const r = await http('GET', `${p.urls.intake}/api/v1/tickets/${no}`, { token: operator });
      return r.body.status === 'closed';
    });
  });

  it('names a real unit, who answered and what: anything less is refused, and nothing registered', async () => {
    const [{ n: before }] = await p.db.query(`SELECT count(*)::int AS n FROM ticket.tickets`);
    const unknown = await create({ ...CALL, unitId: 'no-such-unit' });
    expect({ status: unknown.status, code: unknown.body.code }).toEqual({
      status: 400,
      code: 'unknown_unit',
    });
    for (const bad of [
      { ...CALL, summary: undefined },
      { ...CALL, participant: '' },
      { ...CALL, summary: '   ' },
      { ...CALL, unitId: 7 },
    ])
      expect((await create(bad)).status).toBe(400);
    const [{ n: after }] = await p.db.query(`SELECT count(*)::int AS n FROM ticket.tickets`);
    expect(after).toBe(before);
  });

  it.each([
    [
      'special_line',
      { line: '12315 市场监管专线' },
      'ticket.transferred_to_special_line',
      '已转接市市场监督管理局专线（12315 市场监管专线）答复',
    ],
    [
      'special_window',
      { window: '市民中心二楼市场监管专窗' },
      'ticket.special_window_linked',
      '已联动市市场监督管理局专窗（市民中心二楼市场监管专窗）办理',
    ],
  ])(
    '%s: recorded with the unit and where, asks the citizen, no unit’s desk',
    async (type, where, event, step) => {
      const summary = '已受理，告知市民携带购物凭证于周三上午到场办理退货，市民表示认可。';
      const made = await create({ type, unitId: 'market', ...where, summary });
      expect(made.status).toBe(201);
      const no = made.body.ticketNo as string;
      const ticket = await eventually('on the record, the citizen asked', async () => {
        const r = await http('GET', `${p.urls.intake}/api/v1/tickets/${no}`, { token: operator });
        return r.body.status === 'callback' ? r.body : null;
      });
      expect(
        (ticket.history as { type: string; data: unknown }[]).find((e) => e.type === event)?.data,
      ).toEqual({
        unitId: 'market',
        unitName: '市市场监督管理局',
        ...where,
        summary,
      });
      expect(ticket.history.some((e: { type: string }) => e.type === 'ticket.dispatched')).toBe(false);
      expect(ticket.disposition).toMatchObject({ type, unit: { unitId: 'market' } });
      const lookup = await http('POST', `${p.urls.intake}/api/v1/public/ticket-lookup`, {
        body: { ticketNo: no, queryCode: made.body.queryCode },
      });
      expect(lookup.body.result).toMatchObject({ text: summary });
      expect(lookup.body.steps.map((x: { text: string }) => x.text)).toContain(step);

      // Without where it went, what came of it, or a real unit: refused, nothing registered.
      const [{ n: before }] = await p.db.query(`SELECT count(*)::int AS n FROM ticket.tickets`);
      const whereField = Object.keys(where)[0]!;
      for (const [bad, code] of [
        [{ type, unitId: 'market', summary }, 'validation_failed'],
        [{ type, unitId: 'market', [whereField]: '  ', summary }, 'validation_failed'],
        [{ type, unitId: 'market', ...where, summary: '' }, 'validation_failed'],
        [{ type, unitId: 'market', ...where }, 'validation_failed'],
        [{ type, unitId: 'no-such-unit', ...where, summary }, 'unknown_unit'],
        [{ type, unitId: 'market', [whereField]: 'x'.repeat(101), summary }, 'validation_failed'],
      ] as const) {
        const r = await create(bad);
        expect({ status: r.status, code: r.body.code }).toEqual({ status: 400, code });
      }
      const [{ n: after }] = await p.db.query(`SELECT count(*)::int AS n FROM ticket.tickets`);
      expect(after).toBe(before);
    },
  );
});
