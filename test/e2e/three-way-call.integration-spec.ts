import { eventually, http, login, satisfiedBySms, startPlatform, TICKET_BODY } from '../harness';
import type { Platform } from '../harness';

/**
 * Classified handling at intake (分类处置, RULES §1, SQ art. 10.2): an appeal answered on a
 * three-way call (三方通话) with the unit responsible is registered with the unit and who spoke for
 * it, goes straight to the citizen's callback like a direct answer, never reaches a unit's desk,
 * and the citizen's look-up says which unit answered and what.
 */
describe('a three-way call at intake (e2e)', () => {
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
});
