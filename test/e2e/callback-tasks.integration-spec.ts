import { driveTicket, eventually, http, login, startPlatform } from '../harness';
import type { Platform } from '../harness';

/**
 * The manual-callback queue on the real stack (RULES §4): a task is on the queue the moment the
 * workflow asks for a phone call (the ledger writes it with the event), shows the SMS answer and
 * the time left, is held by one operator at a time, and is gone once answered; the citizen counts
 * as unreachable only by the written rule (3 failed calls at least an hour apart, or a dead number).
 */
describe('manual-callback queue (e2e)', () => {
  let p: Platform;
  let operator: string;
  let admin: string;
  let reviewer: string;
  let clerk: string;

  beforeAll(async () => {
    p = await startPlatform();
    [operator, admin, reviewer, clerk] = await Promise.all(
      ['operator', 'admin', 'reviewer', 'clerk.transport'].map((u) => login(p.urls.intake, u)),
    );
  });
  afterAll(async () => {
    await p?.stop();
  });

  /** A ticket whose citizen answered the SMS unsatisfied: the workflow asks for a phone call. */
  async function manualAsked(): Promise<string> {
    return driveTicket(p, { operator, reviewer, clerk }, { answers: [['sms', 'unsatisfied']] });
  }

  const queue = async (token = operator, query = 'limit=200') =>
    (await http('GET', `${p.urls.evaluation}/api/v1/callback-tasks?${query}`, { token })).body.items as {
      id: string;
      ticketNo: string;
      [k: string]: unknown;
    }[];
  const taskOf = async (no: string) => (await queue()).find((t) => t.ticketNo === no);
  const post = (path: string, token: string, body?: unknown) =>
    http('POST', `${p.urls.evaluation}/api/v1/callback-tasks/${path}`, { token, body });
  const ledger = (no: string) => http('GET', `${p.urls.intake}/api/v1/tickets/${no}`, { token: operator });

  it('is on the queue the moment the workflow asks, with the SMS answer and the time left; one holder at a time; gone when answered', async () => {
    const no = await manualAsked();
    // No waiting: the task was written with the event the answer above recorded.
    const task = await taskOf(no);
    expect(task).toMatchObject({
      ticketNo: no,
      round: 1,
      title: '路面破损',
      unitName: '市交通运输局',
      smsAnswered: true,
      smsVerdict: 'unsatisfied',
      status: 'open',
      attempts: 0,
      claim: 'free',
    });
    expect(task!.secondsLeft).toBeGreaterThan(23 * 3600);

    expect((await post(`${task!.id}/verdict`, operator, { verdict: 'satisfied' })).body.code).toBe(
      'task_not_claimed',
    );
    const claimed = await post(`${task!.id}/claim`, operator);
    expect(claimed.body).toMatchObject({ claim: 'mine', claimedBy: 'operator' });
    expect((await post(`${task!.id}/claim`, operator)).status).toBe(200); // again: still mine
    const taken = await post(`${task!.id}/claim`, admin);
    expect([taken.status, taken.body.code]).toEqual([409, 'task_claimed']);
    expect((await post(`${task!.id}/attempts`, admin, { outcome: 'busy' })).body.code).toBe('task_claimed');
    const mine = await queue(operator, 'mine=true&limit=200');
    expect(mine.map((t) => t.ticketNo)).toContain(no);

    expect((await post(`${task!.id}/release`, operator)).body).toMatchObject({ claim: 'free' });
    expect((await post(`${task!.id}/claim`, admin)).body).toMatchObject({
      claim: 'mine',
      claimedBy: 'admin',
    });
    const keyedCall = () =>
      http('POST', `${p.urls.evaluation}/api/v1/callback-tasks/${task!.id}/attempts`, {
        token: admin,
        headers: { 'idempotency-key': `call-${no}-1` },
        body: { outcome: 'no_answer', note: '上午无人接听' },
      });
    const call = await keyedCall();
    expect(call.status).toBe(201);
    expect(call.body).toMatchObject({ attempts: 1, lastAttempt: 'no_answer', unreachable: { ok: false } });
    // The same call sent again with its key (a retry) is not a second call.
    expect((await keyedCall()).body).toMatchObject({ attempts: 1 });

    // Sent six times at once under one Idempotency-Key (a retrying client): one verdict, one answer.
    const verdict = { verdict: 'satisfied', note: '市民表示已修复' };
    const keyed = () =>
      http('POST', `${p.urls.evaluation}/api/v1/callback-tasks/${task!.id}/verdict`, {
        token: admin,
        body: verdict,
        headers: { 'idempotency-key': `verdict-${no}` },
      });
    const six = await Promise.all(Array.from({ length: 6 }, keyed));
    const done = six[0]!;
    expect(done.body).toMatchObject({ ticketNo: no, status: 'closed' });
    for (const r of six) expect([r.status, r.body]).toEqual([200, done.body]);
    // And again once the task is done: the first answer still, not task_done.
    expect(await keyed()).toMatchObject({ status: 200, body: done.body });
    expect(await taskOf(no)).toBeUndefined();
    const closed = await http('GET', `${p.urls.evaluation}/api/v1/callback-tasks/${task!.id}`, {
      token: operator,
    });
    expect(closed.body).toMatchObject({ status: 'done', closedAs: 'answered' });
    expect((await post(`${task!.id}/claim`, operator)).body.code).toBe('task_done');
  });

  it('pages the queue by cursor: no task still open is skipped when operators take others off it between pages', async () => {
    // An operator of its own, so that the tasks it holds (`mine=true`) are these four alone.
    const username = `operator.pager.${Date.now().toString(36)}`;
    expect(
      (
        await http('POST', `${p.urls.intake}/api/v1/admin/users`, {
          token: admin,
          body: { username, displayName: '回访坐席', role: 'operator', password: 'operator-pager-7' },
        })
      ).status,
    ).toBe(201);
    const pager = await login(p.urls.intake, username, 'operator-pager-7');
    const mine: string[] = [];
    for (let i = 0; i < 4; i++) {
      const no = await manualAsked();
      expect((await post(`${(await taskOf(no))!.id}/claim`, pager)).status).toBe(200);
      mine.push(no);
    }
    type Page = { items: { id: string; ticketNo: string }[]; nextCursor: string | null };
    const page = async (query: string): Promise<Page> =>
      (
        await http('GET', `${p.urls.evaluation}/api/v1/callback-tasks?mine=true&limit=2${query}`, {
          token: pager,
        })
      ).body as Page;
    const first = await page('');
    expect(first.items.map((t) => t.ticketNo)).toEqual(mine.slice(0, 2));
    // The first page's tasks are answered before the next page is read: they leave the queue.
    for (const t of first.items)
      expect((await post(`${t.id}/verdict`, pager, { verdict: 'satisfied' })).status).toBe(200);
    const second = await page(`&after=${first.nextCursor}`);
    expect(second.items.map((t) => t.ticketNo)).toEqual(mine.slice(2));
    expect(second.nextCursor).toBeNull();
    // With an offset, the same second page passes over them.
    expect((await page('&offset=2')).items).toEqual([]);
    // Not a cursor, or one of another status, or with an offset: refused.
    for (const query of [
      '&after=garbage',
      `&status=done&after=${first.nextCursor}`,
      `&offset=1&after=${first.nextCursor}`,
    ]) {
      const bad = await http('GET', `${p.urls.evaluation}/api/v1/callback-tasks?mine=true${query}`, {
        token: pager,
      });
      expect([query, bad.status, bad.body.code]).toEqual([query, 400, 'validation_failed']);
    }
  });

  it('takes one of two different verdicts sent at once and refuses the other; the ticket route respects the claim', async () => {
    const no = await manualAsked();
    const task = (await taskOf(no))!;
    await post(`${task.id}/claim`, operator);
    // Another operator recording by the ticket's number while the task is held: refused, not recorded.
    const aside = await http('POST', `${p.urls.evaluation}/api/v1/callbacks/${no}/manual`, {
      token: admin,
      body: { verdict: 'satisfied', note: '' },
    });
    expect([aside.status, aside.body.code]).toEqual([409, 'task_claimed']);
    // The holder's two different verdicts at once (no Idempotency-Key): one wins, the other is told so.
    const [a, b] = await Promise.all([
      post(`${task.id}/verdict`, operator, { verdict: 'satisfied', note: '满意' }),
      post(`${task.id}/verdict`, operator, { verdict: 'unsatisfied', note: '仍未解决' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const won = a.status === 200 ? 'satisfied' : 'unsatisfied';
    const answered = (await ledger(no)).body.history.filter(
      (e: { type: string; data: { mode: string } }) =>
        e.type === 'ticket.callback_answered' && e.data.mode === 'manual',
    );
    expect(answered.map((e: { data: { verdict: string } }) => e.data.verdict)).toEqual([won]);
  });

  it('records the citizen as unreachable only by the rule; the ticket then closes without a verdict', async () => {
    const no = await manualAsked();
    const task = (await taskOf(no))!;
    await post(`${task.id}/claim`, operator);
    for (const outcome of ['no_answer', 'busy', 'powered_off'])
      expect((await post(`${task.id}/attempts`, operator, { outcome })).status).toBe(201);
    // Three redials in a minute are one attempt, not three.
    const early = await post(`${task.id}/unreachable`, operator, {});
    expect([early.status, early.body.code]).toEqual([409, 'conflict']);
    expect(early.body.detail).toMatch(/目前有效拨打1次/);
    // Calls at three moments of the day (recorded as the operators made them).
    await p.db.query(
      `UPDATE evaluation.callback_attempts SET called_at = now() - make_interval(hours => x.h)
       FROM (SELECT id, 4 - 2 * (row_number() OVER (ORDER BY called_at, id))::int AS h
             FROM evaluation.callback_attempts WHERE task_id = $1) x
       WHERE evaluation.callback_attempts.id = x.id`,
      [task.id],
    );
    const r = await post(`${task.id}/unreachable`, operator, { note: '三个时段致电均未接通' });
    expect(r.body).toMatchObject({ ticketNo: no, status: 'closed' });
    const t = await ledger(no);
    const closedEvent = t.body.history.find((e: { type: string }) => e.type === 'ticket.closed');
    expect(closedEvent.data).toMatchObject({ outcome: 'unreachable' });
    expect(t.body.history.map((e: { type: string }) => e.type)).not.toContain('ticket.evaluation_requested');
    const after = await http('GET', `${p.urls.evaluation}/api/v1/callback-tasks/${task.id}`, {
      token: operator,
    });
    expect(after.body).toMatchObject({ status: 'done', closedAs: 'unreachable' });
    // Outside the satisfaction rate: the SMS answer the call was to confirm does not count.
    const facts = await eventually('the close in the satisfaction facts', async () => {
      const rows = await p.db.query(
        `SELECT outcome, counted_verdict AS counted FROM evaluation.ticket_satisfaction WHERE ticket_no = $1`,
        [no],
      );
      return rows[0]?.outcome === 'unreachable' ? rows[0] : undefined;
    });
    expect(facts.counted).toBeNull();
    const counted = await p.db.query(
      `SELECT count(*)::int AS n FROM evaluation.events WHERE ticket_no = $1 AND type = 'evaluation.satisfaction_recorded'`,
      [no],
    );
    expect(counted[0].n).toBe(0);
  });

  it('a dead number is unreachable at once; bad input and units are refused', async () => {
    const no = await manualAsked();
    const task = (await taskOf(no))!;
    await post(`${task.id}/claim`, operator);
    for (const body of [{ outcome: 'aliens' }, {}, { outcome: 'busy', note: 'x'.repeat(2001) }])
      expect((await post(`${task.id}/attempts`, operator, body)).status).toBe(400);
    expect((await post(`${task.id}/verdict`, operator, { verdict: 'meh' })).status).toBe(400);
    await post(`${task.id}/attempts`, operator, { outcome: 'wrong_number' });
    const unreachable = () =>
      http('POST', `${p.urls.evaluation}/api/v1/callback-tasks/${task.id}/unreachable`, {
        token: operator,
        body: {},
        headers: { 'idempotency-key': `unreachable-${no}` },
      });
    const first = await unreachable();
    expect(first.body).toMatchObject({ status: 'closed' });
    expect(await unreachable()).toMatchObject({ status: first.status, body: first.body }); // a retry: the same
    expect((await post(`${task.id}/unreachable`, operator, {})).body.code).toBe('task_done'); // without a key
    expect((await http('GET', `${p.urls.evaluation}/api/v1/callback-tasks`, { token: clerk })).status).toBe(
      403,
    );
    expect(
      (await http('GET', `${p.urls.evaluation}/api/v1/callback-tasks/nope`, { token: operator })).status,
    ).toBe(404);
    expect(
      (await http('GET', `${p.urls.evaluation}/api/v1/callback-tasks?status=maybe`, { token: operator }))
        .status,
    ).toBe(400);
  });
});
