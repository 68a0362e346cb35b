import { eventually, expertCase, expertHolder, http, login, startPlatform } from '../harness';
import type { Platform } from '../harness';

/**
 * Expert evaluation end to end on the real stack (RULES §4, PA §3): a ticket still unsatisfied
 * after rectification closes and becomes an expert case; the case goes to one evaluator (SMS at
 * once), who alone sees it; a return as unsuited sends it to the next evaluator; the verdict is
 * final; a unit's objection is recorded by the centre and the verdict stands. Every step is an
 * evaluation event in evaluation.events and the outbox. (The 24 h reminder and the 2-working-day
 * withdrawal are tested under time skipping: workflows/test/expert-evaluation.integration-spec.ts.)
 */
describe('expert evaluation (e2e)', () => {
  let p: Platform;
  let operator: string;
  let reviewer: string;
  let admin: string;
  let clerk: string;

  beforeAll(async () => {
    // The evaluation service looks over its cases every second (a deactivated evaluator's are handed on).
    p = await startPlatform({ expertSweepMs: 1_000 });
    [operator, reviewer, admin, clerk] = await Promise.all(
      ['operator', 'reviewer', 'admin', 'clerk.transport'].map((u) => login(p.urls.intake, u)),
    );
  });
  afterAll(async () => {
    await p?.stop();
  });

  const unsatisfiedTicket = () => expertCase(p, { operator, reviewer, clerk });
  const holderOf = (no: string, attempt: number) => expertHolder(p, no, attempt);

  it('assigns the case to one evaluator, who alone sees and decides it; a return goes to the next; the verdict is final', async () => {
    const no = await unsatisfiedTicket();
    const first = await holderOf(no, 1);
    // Never an evaluator tied to the unit (evaluator04 is the transport bureau's own expert).
    expect(first.userId).not.toBe('evaluator04');
    const sms = await eventually('the notice SMS', async () => {
      const r = await p.db.query(
        `SELECT template, body, status FROM evaluation.sms_messages WHERE send_key = $1`,
        [`expert:${no}:1:assigned`],
      );
      // Written 'pending' before the gateway is called, marked 'sent' after it.
      return r[0]?.status === 'pending' ? undefined : r[0];
    });
    expect(sms).toMatchObject({ template: 'evaluator_assigned', status: 'sent' });
    expect(sms.body).toContain(no);

    const holder = await login(p.urls.intake, first.userId);
    const otherUser = ['evaluator', 'evaluator02', 'evaluator05'].find((u) => u !== first.userId)!;
    const other = await login(p.urls.intake, otherUser);

    // The holder sees the case: the ticket, the unit's replies, the callbacks; no personal data.
    const mine = await http('GET', `${p.urls.evaluation}/api/v1/expert-cases/${no}`, { token: holder });
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({ ticketNo: no, status: 'assigned', ticket: { title: '路面破损' } });
    // Each reply with the centre's review of it (both approved here: the first round and the rectification).
    expect(mine.body.replies.map((r: { approved: boolean | null }) => r.approved)).toEqual([true, true]);
    expect(JSON.stringify(mine.body)).not.toMatch(/张先生|13800138000|complainant/);
    const list = await http('GET', `${p.urls.evaluation}/api/v1/expert-cases?limit=200`, { token: holder });
    expect(list.body.items.map((i: { ticketNo: string }) => i.ticketNo)).toContain(no);

    // Another evaluator neither sees nor decides it; units never reach expert evaluation.
    expect(
      (await http('GET', `${p.urls.evaluation}/api/v1/expert-cases/${no}`, { token: other })).status,
    ).toBe(404);
    const theirs = await http('GET', `${p.urls.evaluation}/api/v1/expert-cases?limit=200`, { token: other });
    expect(theirs.body.items.map((i: { ticketNo: string }) => i.ticketNo)).not.toContain(no);
    const foreign = await http('POST', `${p.urls.evaluation}/api/v1/expert-cases/${no}/verdict`, {
      token: other,
      body: { verdict: 'satisfied', reason: '我觉得可以' },
    });
    expect(foreign.status).toBe(404);
    expect(foreign.body.code).toBe('expert_case_not_found');
    expect((await http('GET', `${p.urls.evaluation}/api/v1/expert-cases`, { token: clerk })).status).toBe(
      403,
    );

    // The centre sees the case; who evaluates it, only the administrator.
    const centre = await http('GET', `${p.urls.evaluation}/api/v1/expert-cases/${no}`, { token: reviewer });
    expect(centre.body.assignments[0].evaluatorId).toBeUndefined();
    const byAdmin = await http('GET', `${p.urls.evaluation}/api/v1/expert-cases/${no}`, { token: admin });
    expect(byAdmin.body.assignments[0].evaluatorId).toBe(first.evaluatorId);

    // Unsuited: returned at once, and the next evaluator has it.
    const back = await http('POST', `${p.urls.evaluation}/api/v1/expert-cases/${no}/return`, {
      token: holder,
      body: { reason: '与本人专业领域不符' },
    });
    expect(back.status).toBe(200);
    const second = await holderOf(no, 2);
    expect(second.evaluatorId).not.toBe(first.evaluatorId);
    // The evaluator who returned it keeps its own assignment on record, not the next one's.
    const kept = await http('GET', `${p.urls.evaluation}/api/v1/expert-cases/${no}`, { token: holder });
    expect(kept.status).toBe(200);
    expect(kept.body.assignments).toHaveLength(1);
    const next = await login(p.urls.intake, second.userId);
    const lateFirst = await http('POST', `${p.urls.evaluation}/api/v1/expert-cases/${no}/verdict`, {
      token: holder,
      body: { verdict: 'satisfied', reason: '已整改' },
    });
    expect(lateFirst.status).toBe(404);

    const verdict = await http('POST', `${p.urls.evaluation}/api/v1/expert-cases/${no}/verdict`, {
      token: next,
      headers: { 'idempotency-key': `verdict-${no}` },
      body: { verdict: 'basically_satisfied', reason: '单位已二次整改，答复基本回应诉求。' },
    });
    expect(verdict.status).toBe(200);
    expect(verdict.body).toEqual({ ticketNo: no, status: 'decided' });
    const again = await http('POST', `${p.urls.evaluation}/api/v1/expert-cases/${no}/verdict`, {
      token: next,
      body: { verdict: 'unsatisfied', reason: '改主意了' },
    });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('expert_case_closed');
    // A retry of the verdict with its Idempotency-Key (its answer lost) gets that first answer;
    // another key is another verdict, refused.
    const retry = await http('POST', `${p.urls.evaluation}/api/v1/expert-cases/${no}/verdict`, {
      token: next,
      headers: { 'idempotency-key': `verdict-${no}` },
      body: { verdict: 'basically_satisfied', reason: '单位已二次整改，答复基本回应诉求。' },
    });
    expect([retry.status, retry.body]).toEqual([200, { ticketNo: no, status: 'decided' }]);
    const otherKey = await http('POST', `${p.urls.evaluation}/api/v1/expert-cases/${no}/verdict`, {
      token: next,
      headers: { 'idempotency-key': `verdict-${no}-2` },
      body: { verdict: 'unsatisfied', reason: '改主意了' },
    });
    expect([otherKey.status, otherKey.body.code]).toEqual([409, 'expert_case_closed']);
    // An evaluator who never held it learns nothing of it, decided or not: 404 on either action.
    const strangerUser = ['evaluator10', 'evaluator11', 'evaluator12'].find(
      (u) => u !== first.userId && u !== second.userId,
    )!;
    const stranger = await login(p.urls.intake, strangerUser);
    for (const [action, body] of [
      ['verdict', { verdict: 'satisfied', reason: '我觉得可以' }],
      ['return', { reason: '与本人专业领域不符' }],
    ] as const) {
      const r = await http('POST', `${p.urls.evaluation}/api/v1/expert-cases/${no}/${action}`, {
        token: stranger,
        body,
      });
      expect([action, r.status, r.body.code]).toEqual([action, 404, 'expert_case_not_found']);
    }

    // A unit objects through the centre; the verdict stands.
    const object = () =>
      http('POST', `${p.urls.evaluation}/api/v1/expert-cases/${no}/objections`, {
        token: reviewer,
        headers: { 'idempotency-key': `objection-${no}` },
        body: { objection: '我局已按规定整改，评价结论有误。', answer: '专业评价结论为最终结论，予以维持。' },
      });
    const objection = await object();
    expect(objection.status).toBe(201);
    expect(objection.body).toMatchObject({
      verdict: 'basically_satisfied',
      verdictStands: true,
      created: true,
    });
    // Sent again with its key (a retry): the same objection, recorded once.
    const objectedAgain = await object();
    expect(objectedAgain.body).toMatchObject({ id: objection.body.id, created: false });
    const decided = await http('GET', `${p.urls.evaluation}/api/v1/expert-cases/${no}`, { token: reviewer });
    expect(decided.body).toMatchObject({ status: 'decided', verdict: 'basically_satisfied' });
    expect(decided.body.objections).toHaveLength(1);
    // The verdict and the objection are on the ticket's record: its answer on intake, and the
    // archive's record of it (the evaluator never named in either).
    const onRecord = await eventually('the verdict on the ticket’s record', async () => {
      const t = await http('GET', `${p.urls.intake}/api/v1/tickets/${no}`, { token: reviewer });
      return t.body.evaluation?.length === 2 ? t.body.evaluation : null;
    });
    expect(onRecord.map((e: { type: string }) => e.type)).toEqual([
      'evaluation.expert_verdict_recorded',
      'evaluation.objection_recorded',
    ]);
    expect(onRecord[0]).toMatchObject({
      actor: { kind: 'user', role: 'evaluator' },
      data: { verdict: 'basically_satisfied', reason: '单位已二次整改，答复基本回应诉求。' },
    });
    expect(JSON.stringify(onRecord)).not.toContain(first.evaluatorId);
    // The unit sees the same about it on its desk (to object through the centre); another unit, nothing.
    const desk = await eventually('the verdict on the unit’s desk', async () => {
      const t = await http('GET', `${p.urls.dispatch}/api/v1/tickets/${no}`, { token: clerk });
      return t.body.evaluation?.length === 2 ? t.body.evaluation : null;
    });
    expect(desk.map((e: { eventId: string }) => e.eventId)).toEqual(
      onRecord.map((e: { eventId: string }) => e.eventId),
    );
    const [{ record }] = await p.db.query(`SELECT records.record_v1($1)::jsonb AS record`, [no]);
    expect(
      (record.evaluation as { type: string; data: { verdict?: string } }[]).map((e) => [
        e.type,
        e.data.verdict,
      ]),
    ).toEqual([
      ['evaluation.expert_verdict_recorded', 'basically_satisfied'],
      ['evaluation.objection_recorded', undefined],
    ]);
    // The closed tickets' register no longer shows it awaiting the experts.
    const register = await http('GET', `${p.urls.evaluation}/api/v1/closed-tickets?limit=100`, {
      token: reviewer,
    });
    expect(register.body.items.find((t: { ticketNo: string }) => t.ticketNo === no)).toMatchObject({
      outcome: 'unsatisfied',
      evaluationStatus: 'done',
    });

    const events: { type: string; data: Record<string, unknown> }[] = await p.db.query(
      `SELECT type, data FROM evaluation.events WHERE ticket_no = $1 AND type <> 'evaluation.satisfaction_recorded'
       ORDER BY occurred_at, recorded_at`,
      [no],
    );
    expect(events.map((e) => e.type)).toEqual([
      'evaluation.expert_assigned',
      'evaluation.expert_withdrawn',
      'evaluation.expert_assigned',
      'evaluation.expert_verdict_recorded',
      'evaluation.objection_recorded',
    ]);
    expect(events[1].data).toMatchObject({ reason: 'returned_unsuited', evaluatorId: first.evaluatorId });
    // Every one of them (and the satisfaction it changed) went out through the outbox.
    const [{ outbox, logged }] = await p.db.query(
      `SELECT (SELECT count(*)::int FROM platform.outbox o JOIN evaluation.events e USING (event_id)
               WHERE e.ticket_no = $1) AS outbox,
              (SELECT count(*)::int FROM evaluation.events WHERE ticket_no = $1) AS logged`,
      [no],
    );
    expect(outbox).toBe(logged);
    expect(logged).toBeGreaterThanOrEqual(5);
  });

  it('an evaluator tied to the unit after the case came to them gives it back, and may not decide it', async () => {
    const no = await unsatisfiedTicket();
    const first = await holderOf(no, 1);
    const pool = (
      await http('GET', `${p.urls.evaluation}/api/v1/expert-evaluators?limit=200`, { token: admin })
    ).body.items as { id: string; tiedUnitIds: string[] }[];
    const ties = pool.find((e) => e.id === first.evaluatorId)!.tiedUnitIds;
    const tie = (tiedUnitIds: string[]) =>
      http('PATCH', `${p.urls.evaluation}/api/v1/expert-evaluators/${first.evaluatorId}`, {
        token: admin,
        body: { tiedUnitIds },
      });
    try {
      expect((await tie([...ties, 'transport'])).status).toBe(200);
      const second = await holderOf(no, 2);
      expect(second.userId).not.toBe(first.userId);
      const [gaveBack] = await p.db.query(
        `SELECT outcome FROM evaluation.expert_assignments WHERE ticket_no = $1 AND attempt = 1`,
        [no],
      );
      expect(gaveBack.outcome).not.toBe('open');
      const late = await http('POST', `${p.urls.evaluation}/api/v1/expert-cases/${no}/verdict`, {
        token: await login(p.urls.intake, first.userId),
        body: { verdict: 'satisfied', reason: '本单位工作到位' },
      });
      expect([409, 404]).toContain(late.status);
      const [stillOpen] = await p.db.query(
        `SELECT status FROM evaluation.expert_cases WHERE ticket_no = $1`,
        [no],
      );
      expect(stillOpen.status).toBe('assigned');
    } finally {
      await tie(ties);
    }
  });

  it('masks, for the evaluator, the numbers and the name in the text that name the person; the centre reads them', async () => {
    const content =
      '路面破损严重。来电人李建国，身份证号320102199001017777，联系电话13912347771，座机025-84561234。' +
      '另留 139 1234 5678，本人 138-0013-8000。';
    const no = await expertCase(p, { operator, reviewer, clerk }, { content, complainantName: '李建国' });
    const holder = await login(p.urls.intake, (await holderOf(no, 1)).userId);
    const seen = await http('GET', `${p.urls.evaluation}/api/v1/expert-cases/${no}`, { token: holder });
    expect(seen.body.ticket.content).toBe(
      '路面破损严重。来电人***，身份证号320102********7777，联系电话139****7771，座机025-****1234。' +
        '另留 139 **** 5678，本人 ***-****-****。',
    );
    expect(JSON.stringify(seen.body)).not.toMatch(/199001017777|13912347771|84561234|李建国|1234 5678|0013/);
    const centre = await http('GET', `${p.urls.evaluation}/api/v1/expert-cases/${no}`, { token: reviewer });
    expect(centre.body.ticket.content).toBe(content);
  });

  it('refuses bad verdicts and objections to a case without a verdict', async () => {
    const no = await unsatisfiedTicket();
    const first = await holderOf(no, 1);
    const holder = await login(p.urls.intake, first.userId);
    for (const body of [
      { verdict: 'great', reason: '很好' },
      { verdict: 'satisfied' },
      { verdict: 'satisfied', reason: 'x' },
      { verdict: 'satisfied', reason: '好'.repeat(2001) },
    ]) {
      const r = await http('POST', `${p.urls.evaluation}/api/v1/expert-cases/${no}/verdict`, {
        token: holder,
        body,
      });
      expect([r.status, r.body.code]).toEqual([400, 'validation_failed']);
    }
    const early = await http('POST', `${p.urls.evaluation}/api/v1/expert-cases/${no}/objections`, {
      token: reviewer,
      body: { objection: '我局不认可', answer: '尚无评价结论' },
    });
    expect(early.status).toBe(409);
    const none = await http('GET', `${p.urls.evaluation}/api/v1/expert-cases/20990101999999`, {
      token: reviewer,
    });
    expect([none.status, none.body.code]).toEqual([404, 'expert_case_not_found']);
  });

  it('lets an evaluator mark themself unavailable, and the administrator keep the pool', async () => {
    const ev = await login(p.urls.intake, 'evaluator11');
    const off = await http('PUT', `${p.urls.evaluation}/api/v1/expert-evaluators/me/availability`, {
      token: ev,
      body: { available: false },
    });
    expect(off.status).toBe(200);
    const pool = await http('GET', `${p.urls.evaluation}/api/v1/expert-evaluators`, { token: admin });
    const me = pool.body.items.find((e: { userId: string }) => e.userId === 'evaluator11');
    expect(me).toMatchObject({ available: false, inTerm: true, source: 'expert', termEnd: '2028-01-01' });
    expect(me.name).toBe('徐磊');
    await http('PUT', `${p.urls.evaluation}/api/v1/expert-evaluators/me/availability`, {
      token: ev,
      body: { available: true },
    });
    expect(
      (await http('GET', `${p.urls.evaluation}/api/v1/expert-evaluators`, { token: reviewer })).status,
    ).toBe(403);
    const bad = await http('POST', `${p.urls.evaluation}/api/v1/expert-evaluators`, {
      token: admin,
      body: { name: '某', phone: '1', nominatedBy: 'x', source: 'friend', termStart: '2026-13-01' },
    });
    expect(bad.status).toBe(400);
    const notEvaluator = await http('POST', `${p.urls.evaluation}/api/v1/expert-evaluators`, {
      token: admin,
      body: {
        username: 'operator',
        name: '某',
        phone: '13900000099',
        nominatedBy: '市政协',
        source: 'expert',
        termStart: '2026-01-01',
      },
    });
    expect([notEvaluator.status, notEvaluator.body.code]).toEqual([400, 'validation_failed']);
    const unknown = await http('PATCH', `${p.urls.evaluation}/api/v1/expert-evaluators/not-an-id`, {
      token: admin,
      body: { available: true },
    });
    expect(unknown.status).toBe(404);
    // A tie to a unit that does not exist would guard against nothing: refused, on appointment and change.
    const evaluators = (
      await http('GET', `${p.urls.evaluation}/api/v1/expert-evaluators?limit=200`, { token: admin })
    ).body.items as { id: string; tiedUnitIds: string[] }[];
    const tied = await http('PATCH', `${p.urls.evaluation}/api/v1/expert-evaluators/${evaluators[0]!.id}`, {
      token: admin,
      body: { tiedUnitIds: ['transport', 'no-such-unit'] },
    });
    expect([tied.status, tied.body.code, tied.body.field]).toEqual([400, 'unknown_unit', 'tiedUnitIds']);
    const appointed = await http('POST', `${p.urls.evaluation}/api/v1/expert-evaluators`, {
      token: admin,
      body: {
        name: '某',
        phone: '13900000098',
        nominatedBy: '市政协',
        source: 'expert',
        termStart: '2026-01-01',
        tiedUnitIds: ['no-such-unit'],
      },
    });
    expect([appointed.status, appointed.body.code]).toEqual([400, 'unknown_unit']);
    // A term from a real day whose end (two years on) is not one: refused, never a 500.
    const farOff = { name: '某', phone: '13900000097', nominatedBy: '市政协', source: 'expert' };
    for (const termStart of ['9999-12-31', '9998-01-01', '1900-01-01']) {
      const appoint = await http('POST', `${p.urls.evaluation}/api/v1/expert-evaluators`, {
        token: admin,
        body: { ...farOff, termStart },
      });
      expect([appoint.status, appoint.body.code]).toEqual([400, 'validation_failed']);
      const renew = await http(
        'PATCH',
        `${p.urls.evaluation}/api/v1/expert-evaluators/${evaluators[0]!.id}`,
        {
          token: admin,
          body: { termStart },
        },
      );
      expect([renew.status, renew.body.code]).toEqual([400, 'validation_failed']);
    }
    // Stored encrypted: the name and phone are not in the row in the clear.
    const raw = await p.db.query(
      `SELECT name, phone FROM evaluation.evaluators WHERE user_id = 'evaluator11'`,
    );
    expect(JSON.stringify(raw)).not.toMatch(/徐磊|13900000011/);
  });

  /** A new evaluator account appointed to the pool: its login and pool id. */
  async function appointedEvaluator(tag: string, phone: string): Promise<{ username: string; id: string }> {
    const username = `evaluator.${tag}.${Date.now().toString(36)}`;
    const made = await http('POST', `${p.urls.intake}/api/v1/admin/users`, {
      token: admin,
      body: { username, displayName: '临时评价员', role: 'evaluator', password: 'evaluator-tmp-7' },
    });
    expect(made.status).toBe(201);
    const appointed = await http('POST', `${p.urls.evaluation}/api/v1/expert-evaluators`, {
      token: admin,
      body: {
        username,
        name: '临时评价员',
        phone,
        nominatedBy: '市政协',
        source: 'expert',
        termStart: '2026-01-01',
      },
    });
    expect(appointed.status).toBe(201);
    return { username, id: appointed.body.id };
  }

  const deactivate = async (username: string) =>
    expect(
      (await http('POST', `${p.urls.intake}/api/v1/admin/users/${username}/deactivate`, { token: admin }))
        .status,
    ).toBe(200);

  /** Runs `body` with `only` the one evaluator available; the pool's availability restored after. */
  async function withOnlyAvailable(only: string, body: () => Promise<void>): Promise<void> {
    const available: { id: string }[] = await p.db.query(
      `SELECT id FROM evaluation.evaluators WHERE available AND id <> $1`,
      [only],
    );
    await p.db.query(`UPDATE evaluation.evaluators SET available = false WHERE id = ANY($1)`, [
      available.map((e) => e.id),
    ]);
    try {
      await body();
    } finally {
      await p.db.query(`UPDATE evaluation.evaluators SET available = true WHERE id = ANY($1)`, [
        available.map((e) => e.id),
      ]);
      await p.db.query(`UPDATE evaluation.evaluators SET available = false WHERE id = $1`, [only]);
      // Wakes the waiting cases (a change to the pool does).
      await http('PATCH', `${p.urls.evaluation}/api/v1/expert-evaluators/${available[0]!.id}`, {
        token: admin,
        body: { available: true },
      });
    }
  }

  it('never gives a case to an evaluator whose account is deactivated', async () => {
    const appointed = await appointedEvaluator('off', '13900000096');
    await deactivate(appointed.username);
    // It alone is available: the case waits rather than go to an account nobody can log in to.
    await withOnlyAvailable(appointed.id, async () => {
      const no = await unsatisfiedTicket();
      await eventually('the case waiting for an evaluator', async () => {
        const [c] = await p.db.query(`SELECT status FROM evaluation.expert_cases WHERE ticket_no = $1`, [no]);
        return c?.status === 'waiting_for_evaluator';
      });
      const [{ n }] = await p.db.query(
        `SELECT count(*)::int AS n FROM evaluation.expert_assignments WHERE evaluator_id = $1`,
        [appointed.id],
      );
      expect(n).toBe(0);
    });
  });

  it('hands on at once the cases of an evaluator whose account is deactivated: nobody could log in to decide them', async () => {
    const appointed = await appointedEvaluator('leaving', '13900000097');
    let no = '';
    await withOnlyAvailable(appointed.id, async () => {
      no = await unsatisfiedTicket();
      expect((await holderOf(no, 1)).evaluatorId).toBe(appointed.id);
    });
    await deactivate(appointed.username);
    // The next sweep gives it back in their name; the workflow assigns the next evaluator.
    const next = await holderOf(no, 2);
    expect(next.evaluatorId).not.toBe(appointed.id);
    const [first] = await p.db.query(
      `SELECT outcome, note FROM evaluation.expert_assignments WHERE ticket_no = $1 AND attempt = 1`,
      [no],
    );
    expect(first).toMatchObject({
      outcome: 'returned_unsuited',
      note: '评价员账号已停用，案件转交其他评价员',
    });
    const holder = await login(p.urls.intake, next.userId);
    const decided = await http('POST', `${p.urls.evaluation}/api/v1/expert-cases/${no}/verdict`, {
      token: holder,
      body: { verdict: 'unsatisfied', reason: '整改措施未落实' },
    });
    expect(decided.status).toBe(200);
  });
});
