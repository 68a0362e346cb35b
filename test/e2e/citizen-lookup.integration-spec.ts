import { randomInt } from 'node:crypto';
import {
  eventually,
  GOOD_REPLY,
  http,
  login,
  replyApproved,
  satisfiedBySms,
  startPlatform,
  TICKET_BODY,
} from '../harness';
import type { Platform } from '../harness';

/**
 * A citizen looks their ticket up by its number and query code (RULES §1), with no account: where
 * it stands, its steps, and the result once the centre approved it; never the complainant's data
 * or a reply not approved. A wrong code and an unknown number answer alike; guesses on one ticket
 * are locked out after five.
 */
describe('citizen look-up by ticket number and query code (e2e)', () => {
  let p: Platform;
  let operator: string;
  let reviewer: string;
  let clerk: string;
  const phone = () => `135${String(randomInt(10_000_000, 99_999_999))}`;

  beforeAll(async () => {
    // Behind a proxy on this host, so a test can speak from other client addresses.
    p = await startPlatform({ trustProxy: '127.0.0.1' });
    [operator, reviewer, clerk] = await Promise.all(
      ['operator', 'reviewer', 'clerk.transport'].map((u) => login(p.urls.intake, u)),
    );
  });
  afterAll(async () => {
    await p?.stop();
  });

  const lookup = (ticketNo: string, queryCode: string, headers: Record<string, string> = {}) =>
    http('POST', `${p.urls.intake}/api/v1/public/ticket-lookup`, { body: { ticketNo, queryCode }, headers });
  const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

  async function register(
    landline = false,
  ): Promise<{ no: string; code: string; name: string; tel: string }> {
    const tel = landline ? `025-8${randomInt(1_000_000, 9_999_999)}` : phone();
    const name = `李${randomInt(100, 999)}`;
    const r = await http('POST', `${p.urls.intake}/api/v1/tickets`, {
      token: operator,
      body: { ...TICKET_BODY, complainantName: name, complainantPhone: tel },
    });
    expect(r.status).toBe(201);
    expect(r.body.queryCode).toMatch(/^\d{6}$/);
    return { no: r.body.ticketNo, code: r.body.queryCode, name, tel };
  }

  it('shows the citizen their ticket as it goes, the result once approved, and nothing of their own data', async () => {
    const { no, code, name, tel } = await register();
    // An operator reads the code again in the ledger (a caller who lost it); other roles do not.
    const ledger = (token: string) => http('GET', `${p.urls.intake}/api/v1/tickets/${no}`, { token });
    expect((await ledger(operator)).body.queryCode).toBe(code);
    expect((await ledger(reviewer)).body).not.toHaveProperty('queryCode');

    const first = await lookup(no, code);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      ticketNo: no,
      title: TICKET_BODY.title,
      kindLabel: '投诉',
      result: null,
    });
    expect(first.body.steps[0].text).toBe('诉求已登记受理');

    await eventually(
      'signed',
      async () =>
        (await http('POST', `${p.urls.dispatch}/api/v1/tickets/${no}/sign`, { token: clerk })).status === 200,
    );
    const desk = await http('GET', `${p.urls.dispatch}/api/v1/tickets/${no}`, { token: clerk });
    expect(desk.status).toBe(200);
    expect(desk.body).not.toHaveProperty('queryCode');
    const replied = await http('POST', `${p.urls.dispatch}/api/v1/tickets/${no}/reply`, {
      token: clerk,
      body: { content: GOOD_REPLY },
    });
    expect(replied.status).toBe(200);
    const awaiting = await eventually('the reply recorded', async () => {
      const r = await lookup(no, code);
      return r.body.stage === 'handling' &&
        r.body.steps.some((s: { text: string }) => s.text.endsWith('已签收'))
        ? r
        : null;
    });
    // Not approved yet: the citizen does not see it.
    expect(awaiting.body.result).toBeNull();
    expect(JSON.stringify(awaiting.body)).not.toContain(GOOD_REPLY);
    expect(awaiting.body.handlingUnit).toBeTruthy();

    const reviewed = await http('POST', `${p.urls.intake}/api/v1/tickets/${no}/review`, {
      token: reviewer,
      body: { approve: true },
    });
    expect(reviewed.status).toBe(200);
    await satisfiedBySms(p, operator, no);
    const closed = await eventually('closed, as the citizen sees it', async () => {
      const r = await lookup(no, code);
      return r.body.stage === 'closed' ? r : null;
    });
    expect(closed.body).toMatchObject({ stageLabel: '已办结', result: { text: GOOD_REPLY, guidance: null } });
    expect(closed.body.closedAt).not.toBeNull();
    expect(closed.body.steps.map((s: { text: string }) => s.text)).toEqual(
      expect.arrayContaining(['已发送满意度回访短信', '回访评价：满意', '工单已办结']),
    );
    const text = JSON.stringify(closed.body);
    expect(text).not.toContain(name);
    expect(text).not.toContain(tel);
    expect(text).not.toContain(tel.slice(-4) + '"');
  });

  /** The messages sent for a ticket at intake, once they are settled (sent or failed). */
  const intakeSms = (no: string, purpose: 'accepted' | 'not_accepted') =>
    eventually(`the ${purpose} SMS of ${no}`, async () => {
      const r = await http(
        'GET',
        `${p.urls.evaluation}/api/v1/sms/local/messages?ticketNo=${no}&purpose=${purpose}`,
        { token: operator },
      );
      const items = (r.body.items ?? []) as { id: string; status: string; body: string }[];
      return items.length > 0 && items.every((m) => m.status !== 'pending') ? items : null;
    });

  it('texts the complainant the number and the query code at intake, once; that code opens the look-up', async () => {
    const { no, code, tel } = await register();
    const [sms, ...more] = await intakeSms(no, 'accepted');
    expect(more).toEqual([]);
    expect(sms).toMatchObject({
      key: `intake:${no}`,
      purpose: 'accepted',
      template: 'accepted',
      status: 'sent',
      to: `${tel.slice(0, 3)}****${tel.slice(-4)}`,
      body: `【12345热线】您反映的诉求已受理，工单号${no}，查询码${code}。您可凭工单号和查询码查询办理进度、评价办理结果。`,
    });
    // The citizen types in what the SMS says.
    const [, typedNo, typedCode] = /工单号(\d{14})，查询码(\d{6})/.exec(sms!.body)!;
    const r = await lookup(typedNo!, typedCode!);
    expect([r.status, r.body.ticketNo]).toEqual([200, no]);
    // Listed without the purpose filter, the ticket's messages hold the one intake SMS.
    const all = await http('GET', `${p.urls.evaluation}/api/v1/sms/local/messages?ticketNo=${no}`, {
      token: operator,
    });
    expect(all.body.items.filter((m: { purpose: string }) => m.purpose === 'accepted')).toHaveLength(1);
    const unknown = await http('GET', `${p.urls.evaluation}/api/v1/sms/local/messages?purpose=greeting`, {
      token: operator,
    });
    expect([unknown.status, unknown.body.code]).toEqual([400, 'validation_failed']);
    // A reply to the intake SMS answers no callback.
    const answered = await http('POST', `${p.urls.evaluation}/api/v1/sms/local/messages/${sms!.id}/reply`, {
      token: operator,
      body: { text: '1' },
    });
    expect(answered.status).toBe(200);
    expect(answered.body.verdict).toBeNull();
    expect(answered.body.outcome).not.toBe('applied');
  });

  it('not accepted: the SMS gives the reason, the look-up the guidance; an anonymous caller gets no SMS', async () => {
    const tel = phone();
    const guidance = '请拨打110报警，或到就近派出所求助。';
    const r = await http('POST', `${p.urls.intake}/api/v1/tickets`, {
      token: operator,
      body: {
        ...TICKET_BODY,
        complainantPhone: tel,
        disposition: { type: 'not_accepted', reason: 'emergency_service', guidance },
      },
    });
    expect(r.status).toBe(201);
    const no = r.body.ticketNo as string;
    const [sms, ...more] = await intakeSms(no, 'not_accepted');
    expect(more).toEqual([]);
    expect(sms!.body).toBe(
      `【12345热线】您反映的诉求（工单号${no}）不予受理：属于110、119、120、水上搜救等紧急救助事项，情况紧急请立即拨打110、119、120。办理建议可凭工单号和查询码${r.body.queryCode}查询。`,
    );
    const seen = await lookup(no, r.body.queryCode);
    expect(seen.body.result).toMatchObject({ guidance });
    // The ledger reads it as not accepted, not as handled (已办结).
    const ledger = await eventually('closed on the ledger', async () => {
      const t = await http('GET', `${p.urls.intake}/api/v1/tickets/${no}`, { token: operator });
      return t.body.status === 'closed' ? t.body : null;
    });
    expect(ledger.statusLabel).toBe('不予受理');

    const anonymous = await http('POST', `${p.urls.intake}/api/v1/tickets`, {
      token: operator,
      body: { ...TICKET_BODY, complainantName: undefined, complainantPhone: undefined },
    });
    expect(anonymous.status).toBe(201);
    // Its ticket.created is consumed after the one of a ticket registered after it with a phone
    // (the same consumer, in order per ticket, batches in order): wait for that one, then look.
    const after = await register();
    await intakeSms(after.no, 'accepted');
    await new Promise((done) => setTimeout(done, 1000));
    const none = await p.db.query(
      `SELECT count(*)::int AS n FROM evaluation.sms_messages WHERE ticket_no = $1`,
      [anonymous.body.ticketNo],
    );
    expect(none[0].n).toBe(0);
  });

  const evaluate = (ticketNo: string, queryCode: string, verdict: string) =>
    http('POST', `${p.urls.intake}/api/v1/public/ticket-evaluation`, {
      body: { ticketNo, queryCode, verdict },
    });
  /** Signed, replied and approved: the ticket waits for the citizen's answer to the callback SMS. */
  async function awaitingEvaluation(landline = false): Promise<{ no: string; code: string }> {
    const t = await register(landline);
    await eventually(
      'signed',
      async () =>
        (await http('POST', `${p.urls.dispatch}/api/v1/tickets/${t.no}/sign`, { token: clerk })).status ===
        200,
    );
    await replyApproved(p, { operator, reviewer, clerk }, t.no);
    await eventually(
      'the SMS callback asked',
      async () => (await lookup(t.no, t.code)).body.stage === 'answered',
    );
    return t;
  }

  it('says the callback SMS was sent only to a number that takes one', async () => {
    const { no, code } = await awaitingEvaluation(true);
    const steps = (await lookup(no, code)).body.steps.map((s: { text: string }) => s.text);
    expect(steps).toContain('进入满意度回访');
    expect(steps).not.toContain('已发送满意度回访短信');
  });

  it('takes the citizen’s evaluation online while the callback SMS waits: satisfied closes it, once', async () => {
    const early = await register();
    const notYet = await evaluate(early.no, early.code, 'satisfied');
    expect([notYet.status, notYet.body.code]).toEqual([409, 'evaluation_not_open']);

    const { no, code } = await awaitingEvaluation();
    expect((await evaluate(no, wrong(code), 'satisfied')).status).toBe(401);
    const done = await evaluate(no, code, 'satisfied');
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ stage: 'closed', stageLabel: '已办结', result: { text: GOOD_REPLY } });
    expect(done.body.steps.map((s: { text: string }) => s.text)).toEqual(
      expect.arrayContaining(['回访评价：满意', '工单已办结']),
    );
    // The same again is the same answer; another verdict comes too late.
    const again = await evaluate(no, code, 'satisfied');
    expect([again.status, again.body.stage]).toEqual([200, 'closed']);
    const other = await evaluate(no, code, 'unsatisfied');
    expect([other.status, other.body.code]).toEqual([409, 'evaluation_not_open']);
    // The ledger records the one answer, as the SMS gateway's would be.
    const answers = await p.db.query(
      `SELECT data FROM ticket.ticket_events WHERE ticket_no = $1 AND type = 'ticket.callback_answered'`,
      [no],
    );
    expect(answers.map((a: { data: unknown }) => a.data)).toEqual([
      { mode: 'sms', verdict: 'satisfied', round: 1, note: '市民凭查询码网上评价' },
    ]);
  });

  // Within one intake the throttle gives a ticket's attempts one turn at a time, so the second is
  // refused before it reaches the workflow; across instances the workflow refuses it, and the
  // service answers that refusal with the same code.
  it('two different verdicts at the same moment: one is taken, the other told the evaluation is over', async () => {
    const { no, code } = await awaitingEvaluation();
    const answers = await Promise.all([
      evaluate(no, code, 'satisfied'),
      evaluate(no, code, 'basically_satisfied'),
    ]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(answers.find((r) => r.status === 409)!.body.code).toBe('evaluation_not_open');
    const recorded = await p.db.query(
      `SELECT count(*)::int AS n FROM ticket.ticket_events WHERE ticket_no = $1 AND type = 'ticket.callback_answered'`,
      [no],
    );
    expect(recorded[0].n).toBe(1);
  });

  it('unsatisfied online: the operators call the citizen, and the evaluation online is over', async () => {
    const { no, code } = await awaitingEvaluation();
    const r = await evaluate(no, code, 'unsatisfied');
    expect(r.status).toBe(200);
    expect(r.body.stage).toBe('answered');
    expect(r.body.steps.map((s: { text: string }) => s.text).slice(-2)).toEqual([
      '回访评价：不满意',
      '转人工电话回访',
    ]);
    const late = await evaluate(no, code, 'satisfied');
    expect([late.status, late.body.code]).toEqual([409, 'evaluation_not_open']);
    const bad = await evaluate(no, code, 'delighted');
    expect([bad.status, bad.body.code]).toEqual([400, 'validation_failed']);
  });

  it('answers a wrong code, an unknown number and another ticket’s code alike: 401, nothing more', async () => {
    const a = await register();
    const b = await register();
    const answers = [
      await lookup(a.no, wrong(a.code)),
      await lookup(`${a.no.slice(0, 8)}999999`, a.code),
      await lookup(a.no, b.code === a.code ? wrong(b.code) : b.code),
    ];
    for (const r of answers) {
      expect(r.status).toBe(401);
      expect(r.body).toMatchObject({
        code: 'invalid_credentials',
        detail: '工单编号或查询码不正确，请核对短信中的编号和查询码',
      });
    }
    // The right code still opens it (three failures are under the lock).
    expect((await lookup(a.no, a.code)).status).toBe(200);
  });

  it('locks a ticket’s look-up after five wrong codes, even for the right one, and says when to come back', async () => {
    const { no, code } = await register();
    for (let i = 0; i < 5; i++) expect((await lookup(no, wrong(code))).status).toBe(401);
    const locked = await lookup(no, code);
    expect(locked.status).toBe(429);
    expect(locked.body.code).toBe('rate_limited');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('locks the ticket for the address that guessed, not for the citizen elsewhere; many addresses together lock it', async () => {
    const { no, code } = await register();
    const from = (address: string, queryCode: string) =>
      http('POST', `${p.urls.intake}/api/v1/public/ticket-lookup`, {
        body: { ticketNo: no, queryCode },
        headers: { 'x-forwarded-for': address },
      });
    for (let i = 0; i < 5; i++) expect((await from('203.0.113.5', wrong(code))).status).toBe(401);
    expect((await from('203.0.113.5', code)).status).toBe(429);
    // The citizen, from their own address, still reads their ticket.
    expect((await from('198.51.100.7', code)).status).toBe(200);
    // Guesses spread over addresses count against the ticket too: 30 in all lock it for everyone.
    for (let a = 1; a <= 5; a++)
      for (let i = 0; i < 5; i++) expect((await from(`192.0.2.${a}`, wrong(code))).status).toBe(401);
    const everyone = await from('198.51.100.8', code);
    expect([everyone.status, everyone.body.code]).toEqual([429, 'rate_limited']);
  });

  it('refuses what is not a number and a code, without counting it as a guess', async () => {
    const { no, code } = await register();
    for (const body of [
      { ticketNo: no },
      { ticketNo: no, queryCode: '12345' },
      { ticketNo: `${no}0`, queryCode: code },
      { ticketNo: no, queryCode: Number(code) },
    ]) {
      const r = await http('POST', `${p.urls.intake}/api/v1/public/ticket-lookup`, { body });
      expect([r.status, r.body.code]).toEqual([400, 'validation_failed']);
    }
    expect((await lookup(no, code)).status).toBe(200);
    // The code as an input method types it: full-width digits, a space around it.
    const fullWidth = code.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
    expect((await lookup(no, ` ${fullWidth} `)).status).toBe(200);
  });
});
