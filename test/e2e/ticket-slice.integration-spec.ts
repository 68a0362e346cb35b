import { Client, Connection, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import { TICKET_WORKFLOW_TYPE, ticketWorkflowId } from '@hotline/shared';
import type { AnyTicketEvent } from '@hotline/shared';
import { eventually, http, login, observeTicketEvents, startPlatform } from '../harness';
import type { Platform } from '../harness';

/**
 * One ticket end to end over HTTP, on the real Postgres, Kafka and Temporal: an operator
 * registers it, the workflow dispatches it by the matter catalog, the unit signs and replies, the
 * workflow closes it, every event reaches Kafka and the other services' tables.
 */
describe('one ticket end to end', () => {
  let p: Platform;
  let temporal: Client;
  let seen: AnyTicketEvent[] = [];
  let stopObserver: (() => Promise<void>) | undefined;
  let operator: string;
  let transportClerk: string;
  let housingClerk: string;
  let supervisor: string;

  const ticket = {
    channel: 'phone',
    kind: 'complaint',
    category: 'road',
    regionCode: 'gulou',
    title: '中山路人行道破损',
    content: '中山路128号门前人行道地砖松动多块，老人路过易摔倒，请尽快维修。',
    address: '鼓楼区中山路128号',
    complainantName: '张先生',
    complainantPhone: '13800138000',
  };

  beforeAll(async () => {
    p = await startPlatform();
    temporal = new Client({
      connection: await Connection.connect({ address: p.config.temporalAddress }),
      namespace: p.config.temporalNamespace,
    });
    const observer = await observeTicketEvents(p.config, 'e2e-observer');
    seen = observer.seen;
    stopObserver = observer.stop;
    operator = await login(p.urls.intake, 'operator');
    transportClerk = await login(p.urls.intake, 'clerk.transport');
    housingClerk = await login(p.urls.intake, 'clerk.housing');
    supervisor = await login(p.urls.intake, 'supervisor');
  });

  afterAll(async () => {
    await stopObserver?.();
    await temporal?.connection.close();
    await p?.stop();
  });

  it('registers, dispatches, signs, replies and closes a ticket, with every step on record', async () => {
    // 1. The operator registers the appeal; a repeat with the same Idempotency-Key returns the same ticket.
    const created = await http('POST', `${p.urls.intake}/api/v1/tickets`, {
      token: operator,
      body: ticket,
      headers: { 'idempotency-key': 'e2e-call-0001' },
    });
    expect(created.status).toBe(201);
    // Committed and safe: the workflow starts right after, off the request's path.
    expect(created.body).toMatchObject({ status: 'created', created: true });
    const ticketNo: string = created.body.ticketNo;
    expect(ticketNo).toMatch(/^\d{14}$/);
    const again = await http('POST', `${p.urls.intake}/api/v1/tickets`, {
      token: operator,
      body: ticket,
      headers: { 'idempotency-key': 'e2e-call-0001' },
    });
    expect(again.body).toMatchObject({ ticketNo, created: false });

    // 2. The workflow routes it by the matter catalog (road → 市交通运输局); the unit sees it.
    const listed = await eventually('the ticket on the transport desk', async () => {
      const r = await http('GET', `${p.urls.dispatch}/api/v1/tickets`, { token: transportClerk });
      return r.body.items?.find((t: { ticketNo: string }) => t.ticketNo === ticketNo);
    });
    expect(listed).toMatchObject({
      unitId: 'transport',
      status: 'dispatched',
      complainantName: '张**',
      complainantPhone: '138****8000',
    });

    // The workflow id is the ticket number: a second start is rejected. (Asked only now: intake
    // starts the workflow after its commit, off the request's path, so right after the 201 there
    // may be none yet, and this start would be the first.)
    await expect(
      temporal.workflow.start(TICKET_WORKFLOW_TYPE, {
        workflowId: ticketWorkflowId(ticketNo),
        taskQueue: p.config.temporalTaskQueue,
        args: [{}],
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      }),
    ).rejects.toBeInstanceOf(WorkflowExecutionAlreadyStartedError);

    // Another unit cannot see it, nor act on it: 404, not 403.
    const foreign = await http('GET', `${p.urls.dispatch}/api/v1/tickets/${ticketNo}`, {
      token: housingClerk,
    });
    expect(foreign.status).toBe(404);
    expect(foreign.body.code).toBe('ticket_not_found');
    expect(foreign.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const foreignList = await http('GET', `${p.urls.dispatch}/api/v1/tickets`, { token: housingClerk });
    expect(foreignList.body.items.map((t: { ticketNo: string }) => t.ticketNo)).not.toContain(ticketNo);
    expect(
      (await http('POST', `${p.urls.dispatch}/api/v1/tickets/${ticketNo}/sign`, { token: housingClerk }))
        .status,
    ).toBe(404);

    // 3. Reply before signing is refused at once by the update's validator.
    const early = await http('POST', `${p.urls.dispatch}/api/v1/tickets/${ticketNo}/reply`, {
      token: transportClerk,
      body: { content: '已修复' },
    });
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('ticket_not_repliable');

    const signed = await http('POST', `${p.urls.dispatch}/api/v1/tickets/${ticketNo}/sign`, {
      token: transportClerk,
    });
    expect(signed.status).toBe(200);
    expect(signed.body).toMatchObject({ ticketNo, status: 'signed' });
    // A repeat is idempotent: without a key the ticket's state says it is already applied; with the
    // same Idempotency-Key the first request's very answer comes back.
    const signedAgain = await http('POST', `${p.urls.dispatch}/api/v1/tickets/${ticketNo}/sign`, {
      token: transportClerk,
    });
    expect(signedAgain.status).toBe(200);
    expect(signedAgain.body).toMatchObject({ status: 'signed', alreadyApplied: true });
    const keyed = () =>
      http('POST', `${p.urls.dispatch}/api/v1/tickets/${ticketNo}/sign`, {
        token: transportClerk,
        headers: { 'idempotency-key': 'sign-retry-1' },
      });
    expect((await keyed()).body).toEqual((await keyed()).body);

    const replied = await http('POST', `${p.urls.dispatch}/api/v1/tickets/${ticketNo}/reply`, {
      token: transportClerk,
      body: { content: '经核实，已于今日安排养护科更换破损地砖12块，现已修复完毕，恢复通行。' },
    });
    expect(replied.status).toBe(200);
    expect(replied.body).toMatchObject({ status: 'replied', alreadyApplied: false });
    // The same reply again is that reply; another one is not taken as if it had been.
    const replyAgain = (content: string) =>
      http('POST', `${p.urls.dispatch}/api/v1/tickets/${ticketNo}/reply`, {
        token: transportClerk,
        body: { content },
      });
    const REPLY = '经核实，已于今日安排养护科更换破损地砖12块，现已修复完毕，恢复通行。';
    expect((await replyAgain(REPLY)).body).toMatchObject({ status: 'replied', alreadyApplied: true });
    const other = await replyAgain(`${REPLY}另补充：已设置警示标志。`);
    expect([other.status, other.body.code]).toEqual([409, 'ticket_not_repliable']);

    // The centre approves the reply; the citizen answers the SMS callback: satisfied.
    const reviewer = await login(p.urls.intake, 'reviewer');
    const reviewed = await http('POST', `${p.urls.intake}/api/v1/tickets/${ticketNo}/review`, {
      token: reviewer,
      body: { approve: true },
    });
    expect(reviewed.status).toBe(200);
    expect(reviewed.body).toMatchObject({ status: 'callback' });
    const answered = await http('POST', `${p.urls.evaluation}/api/v1/callbacks/${ticketNo}/sms`, {
      token: operator,
      body: { verdict: 'satisfied' },
    });
    expect(answered.status).toBe(200);

    // 4–5. The workflow closes it; intake shows the whole history in order.
    const detail = await eventually('the ticket closed at intake', async () => {
      const r = await http('GET', `${p.urls.intake}/api/v1/tickets/${ticketNo}`, { token: supervisor });
      return r.body.status === 'closed' ? r.body : null;
    });
    const expected = [
      'ticket.created',
      'ticket.dispatched',
      'ticket.signed',
      'ticket.replied',
      'ticket.reply_reviewed',
      'ticket.callback_requested',
      'ticket.callback_answered',
      'ticket.closed',
    ];
    expect(detail.history.map((h: { type: string }) => h.type)).toEqual(expected);
    expect(detail.history.map((h: { seq: number }) => h.seq)).toEqual(expected.map((_, i) => i + 1));
    expect(detail.history[2].actor).toMatchObject({
      kind: 'user',
      userId: 'clerk.transport',
      unitId: 'transport',
    });
    // The centre sees the complainant masked too; the plain values only through a logged reveal.
    expect(detail).toMatchObject({ complainantName: '张**', complainantPhone: '138****8000' });

    // Every event reached Kafka, once per event id, in order.
    const events = await eventually('every event on Kafka', async () => {
      const mine = seen.filter((e) => e.ticketNo === ticketNo);
      return new Set(mine.map((e) => e.id)).size >= expected.length ? mine : null;
    });
    const unique = [...new Map(events.map((e) => [e.id, e])).values()];
    expect(unique.map((e) => e.type)).toEqual(detail.history.map((h: { type: string }) => h.type));

    // Supervision and evaluation consumed them into their own tables.
    const facts = await eventually('supervision facts closed', async () => {
      const r = await http('GET', `${p.urls.supervision}/api/v1/tickets/${ticketNo}/facts`, {
        token: supervisor,
      });
      return r.body.status === 'closed' ? r.body : null;
    });
    expect(facts).toMatchObject({
      unitId: 'transport',
      signedLate: false,
      lastSeq: expected.length,
      outcome: 'satisfied',
    });
    await eventually('the closed ticket at evaluation', async () => {
      const r = await http('GET', `${p.urls.evaluation}/api/v1/closed-tickets?limit=200`, {
        token: supervisor,
      });
      return r.body.items?.some((t: { ticketNo: string }) => t.ticketNo === ticketNo);
    });
    // The closed-tickets register is the centre's: an expert evaluator sees only their own cases.
    await eventually('the register refused to an evaluator', async () => {
      const evaluator = await login(p.urls.intake, 'evaluator');
      return (
        (await http('GET', `${p.urls.evaluation}/api/v1/closed-tickets`, { token: evaluator })).status === 403
      );
    });

    // An administrator finds it in Temporal by its search attributes.
    const found = await eventually('the workflow by search attributes', async () => {
      const ids: string[] = [];
      for await (const w of temporal.workflow.list({
        query: `TicketNo = '${ticketNo}' AND TicketStatus = 'closed' AND UnitId = 'transport' AND Category = 'road'`,
      }))
        ids.push(w.workflowId);
      return ids.length > 0 ? ids : null;
    });
    expect(found).toEqual([ticketWorkflowId(ticketNo)]);

    // Acting on a closed ticket changes nothing.
    const late = await http('POST', `${p.urls.dispatch}/api/v1/tickets/${ticketNo}/sign`, {
      token: transportClerk,
    });
    expect(late.body).toMatchObject({ status: 'closed', alreadyApplied: true });
    expect((await replyAgain(REPLY)).body).toMatchObject({ status: 'closed', alreadyApplied: true });
    const afterClose = await replyAgain('已处理');
    expect([afterClose.status, afterClose.body.code]).toEqual([409, 'ticket_closed']);
  });

  it('answers a surge at intake first, then dispatches every ticket of it (the starts wait, none is lost)', async () => {
    // 40 at once is far above the everyday rate: the workflow starts wait for the surge to pass.
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        http('POST', `${p.urls.intake}/api/v1/tickets`, {
          token: operator,
          body: { ...ticket, complainantPhone: `1390000${String(1000 + i)}` },
        }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 201));
    const nos = answers.map((a) => a.body.ticketNo as string);
    expect(new Set(nos).size).toBe(40);
    await eventually(
      'every ticket of the surge dispatched',
      async () => {
        const views = await Promise.all(
          nos.map((no) => http('GET', `${p.urls.intake}/api/v1/tickets/${no}`, { token: operator })),
        );
        return views.every((v) => v.status === 200 && v.body.status === 'dispatched');
      },
      60000,
    );
  });

  it('hides a confidential complainant from the unit', async () => {
    const created = await http('POST', `${p.urls.intake}/api/v1/tickets`, {
      token: operator,
      body: { ...ticket, category: 'noise', confidential: true },
    });
    expect(created.status).toBe(201);
    const seenByUnit = await eventually('the confidential ticket at environment', async () => {
      const clerk = await login(p.urls.intake, 'clerk.environment');
      const r = await http('GET', `${p.urls.dispatch}/api/v1/tickets/${created.body.ticketNo}`, {
        token: clerk,
      });
      return r.status === 200 ? r.body : null;
    });
    expect(seenByUnit).toMatchObject({ confidential: true, complainantName: null, complainantPhone: null });
  });

  it('sends a complaint about officials to the body for its nature; an integrity report is confidential', async () => {
    // A road bureau official taking a bribe: an integrity report (廉政举报) goes to the discipline
    // body, not to the road bureau the matter catalog names for roads.
    const report = await http('POST', `${p.urls.intake}/api/v1/tickets`, {
      token: operator,
      body: { ...ticket, kind: 'report', complaintNature: 'integrity', respondent: '某路政执法人员' },
    });
    expect(report.status).toBe(201);
    const no = report.body.ticketNo as string;
    const discipline = await login(p.urls.intake, 'clerk.discipline');
    const desk = await eventually('the report on the discipline body’s desk', async () => {
      const r = await http('GET', `${p.urls.dispatch}/api/v1/tickets/${no}`, { token: discipline });
      return r.status === 200 ? r.body : null;
    });
    expect(desk).toMatchObject({ confidential: true, complainantName: null, complainantPhone: null });
    expect(
      (await http('GET', `${p.urls.dispatch}/api/v1/tickets/${no}`, { token: transportClerk })).status,
    ).toBe(404);
    // Nor does a return send it elsewhere: the body cannot name another unit, and the centre's
    // approval re-dispatches it to no other unit.
    const returned = await http('POST', `${p.urls.dispatch}/api/v1/tickets/${no}/return`, {
      token: discipline,
      body: { reason: '应由交通局处理', suggestedUnitId: 'transport' },
    });
    expect([returned.status, returned.body.code, returned.body.field]).toEqual([
      400,
      'validation_failed',
      'suggestedUnitId',
    ]);
    const approved = await http('POST', `${p.urls.intake}/api/v1/tickets/${no}/return-decision`, {
      token: await login(p.urls.intake, 'reviewer'),
      body: { approve: true, redispatchToUnitId: 'transport' },
    });
    expect([approved.status, approved.body.field]).toEqual([400, 'redispatchToUnitId']);
    const detail = await http('GET', `${p.urls.intake}/api/v1/tickets/${no}`, { token: operator });
    expect(detail.body).toMatchObject({
      complaintNature: 'integrity',
      confidential: true,
      unitId: 'discipline',
    });
    expect(detail.body.history[1]).toMatchObject({
      type: 'ticket.dispatched',
      data: { unitId: 'discipline', unitName: '市纪委监委', catalogEntryId: null },
    });
    // The centre's coordination keeps it there, alone: not to the road bureau, no assisting unit.
    const reviewer = await login(p.urls.intake, 'reviewer');
    const coordinate = (body: Record<string, unknown>) =>
      http('POST', `${p.urls.intake}/api/v1/tickets/${no}/coordination`, {
        token: reviewer,
        body: { reason: '经协调由交通局牵头办理', ...body },
      });
    const away = await coordinate({ unitId: 'transport' });
    expect([away.status, away.body.code, away.body.field]).toEqual([400, 'validation_failed', 'unitId']);
    const helped = await coordinate({ unitId: 'discipline', assistingUnitIds: ['transport'] });
    expect([helped.status, helped.body.code, helped.body.field]).toEqual([
      400,
      'validation_failed',
      'assistingUnitIds',
    ]);
    expect(
      (await http('GET', `${p.urls.dispatch}/api/v1/tickets/${no}`, { token: transportClerk })).status,
    ).toBe(404);

    // A conduct complaint (纠风) keeps the complainant's choice of confidentiality and goes to its body.
    const conduct = await http('POST', `${p.urls.intake}/api/v1/tickets`, {
      token: operator,
      body: { ...ticket, complaintNature: 'conduct' },
    });
    expect(conduct.status).toBe(201);
    const routed = await eventually('the conduct complaint dispatched', async () => {
      const r = await http('GET', `${p.urls.intake}/api/v1/tickets/${conduct.body.ticketNo}`, {
        token: operator,
      });
      return r.body.unitId ? r.body : null;
    });
    expect(routed).toMatchObject({
      unitId: 'conduct-office',
      confidential: false,
      complaintNature: 'conduct',
    });

    // The ledger is searchable by nature.
    const found = await http('GET', `${p.urls.intake}/api/v1/tickets?complaintNature=integrity&limit=100`, {
      token: operator,
    });
    expect(found.body.items.map((t: { ticketNo: string }) => t.ticketNo)).toContain(no);
    expect(
      found.body.items.every((t: { complaintNature: string }) => t.complaintNature === 'integrity'),
    ).toBe(true);

    // A nature only for a complaint or a report, and only the three there are.
    for (const body of [
      { ...ticket, kind: 'consultation', complaintNature: 'efficiency' },
      { ...ticket, complaintNature: 'bribery' },
      { ...ticket, complaintNature: ['integrity'] },
      { ...ticket, kind: 'report', complaintNature: 'integrity', assistingUnitIds: ['transport'] },
      // Answered at intake, or on a call with a unit it may concern, it never reaches its body.
      {
        ...ticket,
        kind: 'report',
        complaintNature: 'integrity',
        disposition: {
          type: 'three_way_call',
          unitId: 'transport',
          participant: '王工',
          summary: '已答复。',
        },
      },
      {
        ...ticket,
        kind: 'report',
        complaintNature: 'integrity',
        disposition: { type: 'direct_answer', answer: '已记录您的反映，将转有关部门。' },
      },
    ]) {
      const bad = await http('POST', `${p.urls.intake}/api/v1/tickets`, { token: operator, body });
      expect([bad.status, bad.body.code]).toEqual([400, 'validation_failed']);
    }
    const badFilter = await http('GET', `${p.urls.intake}/api/v1/tickets?complaintNature=bribery`, {
      token: operator,
    });
    expect(badFilter.status).toBe(400);
  });

  it('lets the centre dispatch by hand what the matter catalog does not cover (特事特办)', async () => {
    // "community" has entries for the districts only; a city-level appeal has no unit yet.
    const created = await http('POST', `${p.urls.intake}/api/v1/tickets`, {
      token: operator,
      body: { ...ticket, category: 'community', regionCode: 'city' },
    });
    expect(created.status).toBe(201);
    const ticketNo = created.body.ticketNo;
    const unknownUnit = await eventually('the ticket waiting for a manual dispatch', async () => {
      const r = await http('POST', `${p.urls.intake}/api/v1/tickets/${ticketNo}/dispatch`, {
        token: operator,
        body: { unitId: 'no-such-unit' },
      });
      return r.status === 400 ? r : null;
    });
    expect(unknownUnit.body.code).toBe('unknown_unit');
    const dispatch = () =>
      http('POST', `${p.urls.intake}/api/v1/tickets/${ticketNo}/dispatch`, {
        token: operator,
        body: { unitId: 'gulou-gov' },
        headers: { 'idempotency-key': `dispatch-${ticketNo}` },
      });
    const dispatched = await eventually('the manual dispatch accepted', async () => {
      const r = await dispatch();
      return r.status === 200 ? r.body : null;
    });
    expect(dispatched).toMatchObject({ status: 'dispatched', alreadyApplied: false });
    // The operator's client retries (the answer was lost): the same dispatch, the first answer.
    expect(await dispatch()).toMatchObject({ status: 200, body: dispatched });
    const gulouClerk = await login(p.urls.intake, 'clerk.gulou');
    const r = await http('GET', `${p.urls.dispatch}/api/v1/tickets/${ticketNo}`, { token: gulouClerk });
    expect(r.status).toBe(200);
    const detail = await http('GET', `${p.urls.intake}/api/v1/tickets/${ticketNo}`, { token: operator });
    expect(detail.body.history[1]).toMatchObject({
      type: 'ticket.dispatched',
      data: { unitId: 'gulou-gov', catalogEntryId: null },
    });
  });

  it('searches the ledger (台账) by its fields: channel, kind, category, region, unit, the days registered', async () => {
    const mine = { ...ticket, channel: 'letter', kind: 'suggestion', category: 'noise', regionCode: 'gulou' };
    const made = await http('POST', `${p.urls.intake}/api/v1/tickets`, { token: operator, body: mine });
    expect(made.status).toBe(201);
    const no = made.body.ticketNo as string;
    const today = `${no.slice(0, 4)}-${no.slice(4, 6)}-${no.slice(6, 8)}`; // the number's day, China time
    const search = async (query: string) => {
      const r = await http('GET', `${p.urls.intake}/api/v1/tickets?limit=200&${query}`, {
        token: supervisor,
      });
      expect({ query, status: r.status }).toEqual({ query, status: 200 });
      return r.body as { items: Record<string, unknown>[]; total: number };
    };
    const all = await search(`channel=letter&kind=suggestion&category=noise&regionCode=gulou`);
    expect(all.items.map((t) => t.ticketNo)).toContain(no);
    expect(
      all.items.every(
        (t) =>
          t.channel === 'letter' &&
          t.kind === 'suggestion' &&
          t.category === 'noise' &&
          t.regionCode === 'gulou',
      ),
    ).toBe(true);
    expect(
      (await search(`createdFrom=${today}&createdTo=${today}&channel=letter`)).items.map((t) => t.ticketNo),
    ).toContain(no);
    expect((await search(`createdTo=2020-01-01`)).total).toBe(0);
    expect(
      (await search(`channel=letter&kind=complaint&category=noise`)).items.map((t) => t.ticketNo),
    ).not.toContain(no);
    const byUnit = await eventually('the ticket with its lead unit', async () => {
      const r = await search('unitId=environment'); // the matter catalog sends noise to environment
      return r.items.some((t) => t.ticketNo === no) ? r : null;
    });
    expect(byUnit.items.every((t) => t.unitId === 'environment')).toBe(true);
    // A network item carries its registry number (网) on the answer and in the ledger; a letter none.
    expect(made.body.registryNo).toBeNull();
    const web = await http('POST', `${p.urls.intake}/api/v1/tickets`, {
      token: operator,
      body: { ...mine, channel: 'web' },
    });
    expect(web.body.registryNo).toMatch(new RegExp(`^\\(${today.slice(0, 4)}\\)网\\d{3,}号$`));
    const shown = await http('GET', `${p.urls.intake}/api/v1/tickets/${web.body.ticketNo}`, {
      token: supervisor,
    });
    expect(shown.body.registryNo).toBe(web.body.registryNo);
    // A period that ends before it starts, or an impossible day, is refused.
    for (const bad of [
      `createdFrom=${today}&createdTo=2020-01-01`,
      'createdFrom=2026-02-30',
      'channel=pigeon',
    ])
      expect(
        (await http('GET', `${p.urls.intake}/api/v1/tickets?${bad}`, { token: supervisor })).status,
      ).toBe(400);
  });

  it('searches the ledger by its words and the respondent; a unit searches only the tickets it handles', async () => {
    const tag = `编号${Date.now().toString(36)}`; // a word no other ticket holds
    const register = async (over: Record<string, unknown>) => {
      const r = await http('POST', `${p.urls.intake}/api/v1/tickets`, {
        token: operator,
        body: { ...ticket, ...over },
      });
      expect(r.status).toBe(201);
      return r.body.ticketNo as string;
    };
    const road = await register({
      content: `中山路井盖缺失${tag}，夜间行人易跌落。`,
      respondent: `鼓楼市政养护${tag}有限公司`,
      demand: '请尽快补装井盖',
    });
    const noise = await register({ category: 'noise', content: `广场舞音响扰民${tag}。` });
    const ledger = async (query: Record<string, string>) => {
      const r = await http(
        'GET',
        `${p.urls.intake}/api/v1/tickets?${new URLSearchParams({ limit: '200', ...query })}`,
        {
          token: supervisor,
        },
      );
      expect({ query, status: r.status }).toEqual({ query, status: 200 });
      return (r.body.items as { ticketNo: string }[]).map((t) => t.ticketNo).sort();
    };
    expect(await ledger({ q: tag })).toEqual([road, noise].sort());
    expect(await ledger({ q: `${tag} 井盖` })).toEqual([road]); // every word
    expect(await ledger({ q: `补装井盖，${tag.toUpperCase()}` })).toEqual([road]); // the demand; any case
    expect(await ledger({ respondent: `养护${tag}` })).toEqual([road]);
    expect(await ledger({ respondent: `养护${tag}`, category: 'noise' })).toEqual([]);

    // The transport unit finds its own ticket by its words, never the environment unit's.
    const desk = await eventually('found on the transport desk', async () => {
      const r = await http('GET', `${p.urls.dispatch}/api/v1/tickets?${new URLSearchParams({ q: tag })}`, {
        token: transportClerk,
      });
      return r.status === 200 && r.body.items.length > 0 ? r.body : null;
    });
    expect(desk.items.map((t: { ticketNo: string }) => t.ticketNo)).toEqual([road]);
    // What it found the words in, the unit reads: the respondent and the demand, on its list and its ticket.
    const shown = { respondent: `鼓楼市政养护${tag}有限公司`, demand: '请尽快补装井盖' };
    expect(desk.items[0]).toMatchObject(shown);
    const one = await http('GET', `${p.urls.dispatch}/api/v1/tickets/${road}`, { token: transportClerk });
    expect(one.body).toMatchObject(shown);
    const housing = await http(
      'GET',
      `${p.urls.dispatch}/api/v1/tickets?${new URLSearchParams({ q: tag })}`,
      {
        token: housingClerk,
      },
    );
    expect([housing.status, housing.body.total]).toEqual([200, 0]);

    for (const [url, token] of [
      [`${p.urls.intake}/api/v1/tickets?${new URLSearchParams({ q: '，，。 ' })}`, supervisor],
      [`${p.urls.intake}/api/v1/tickets?${new URLSearchParams({ q: 'x'.repeat(201) })}`, supervisor],
      [`${p.urls.intake}/api/v1/tickets?respondent=`, supervisor],
      [
        `${p.urls.dispatch}/api/v1/tickets?${new URLSearchParams({ q: tag, status: 'withdrawn' })}`,
        transportClerk,
      ],
    ] as const) {
      const r = await http('GET', url, { token });
      expect({ url, status: r.status, code: r.body.code }).toEqual({
        url,
        status: 400,
        code: 'validation_failed',
      });
    }
  });

  it('answers bad input with problem+json and a stable code, never a 500', async () => {
    const noToken = await http('GET', `${p.urls.intake}/api/v1/tickets`);
    expect(noToken.status).toBe(401);
    expect(noToken.body.code).toBe('unauthenticated');

    const badLogin = await http('POST', `${p.urls.intake}/api/v1/auth/login`, {
      body: { username: 'operator', password: 'wrong' },
    });
    expect(badLogin.status).toBe(401);
    expect(badLogin.body.code).toBe('invalid_credentials');

    const clerkCreates = await http('POST', `${p.urls.intake}/api/v1/tickets`, {
      token: transportClerk,
      body: ticket,
    });
    expect(clerkCreates.status).toBe(403);
    expect(clerkCreates.body.code).toBe('forbidden');

    const invalid = await http('POST', `${p.urls.intake}/api/v1/tickets`, {
      token: operator,
      body: { ...ticket, channel: 'pigeon', extra: 1 },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.code).toBe('validation_failed');
    expect(invalid.body.errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['channel', 'extra']),
    );

    // Text that says nothing, where the citizen reads it: a blank title, answer or guidance.
    for (const [over, field] of [
      [{ title: '   ' }, 'title'],
      [{ disposition: { type: 'direct_answer', answer: ' \n ' } }, 'disposition.answer'],
      [
        { disposition: { type: 'not_accepted', reason: 'emergency_service', guidance: '   ' } },
        'disposition.guidance',
      ],
      // A complainant's name of nothing visible, a phone of hyphens only.
      [{ complainantName: '\u200b' }, 'complainantName'],
      [{ complainantPhone: '-----' }, 'complainantPhone'],
    ] as const) {
      const blank = await http('POST', `${p.urls.intake}/api/v1/tickets`, {
        token: operator,
        body: { ...ticket, ...over },
      });
      expect({
        field,
        status: blank.status,
        fields: blank.body.errors?.map((e: { field: string }) => e.field),
      }).toEqual({
        field,
        status: 400,
        fields: [field],
      });
    }

    const malformed = await http('POST', `${p.urls.intake}/api/v1/tickets`, {
      token: operator,
      raw: '{"channel":',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('content-type')).toMatch(/application\/problem\+json/);

    const unknownCategory = await http('POST', `${p.urls.intake}/api/v1/tickets`, {
      token: operator,
      body: { ...ticket, category: 'alien-landing' },
    });
    expect(unknownCategory.status).toBe(400);
    expect(unknownCategory.body.code).toBe('unknown_category');

    const unknownRegion = await http('POST', `${p.urls.intake}/api/v1/tickets`, {
      token: operator,
      body: { ...ticket, regionCode: 'atlantis' },
    });
    expect(unknownRegion.body.code).toBe('unknown_region');

    const missing = await http('GET', `${p.urls.intake}/api/v1/tickets/20990101000001`, { token: operator });
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('ticket_not_found');
    const reviewer = await login(p.urls.intake, 'reviewer');
    const reviewMissing = await http('POST', `${p.urls.intake}/api/v1/tickets/20990101000001/review`, {
      token: reviewer,
      body: { approve: true },
    });
    expect(reviewMissing.status).toBe(404);
    const smsMissing = await http('POST', `${p.urls.evaluation}/api/v1/callbacks/20990101000001/sms`, {
      token: operator,
      body: { verdict: 'satisfied' },
    });
    expect(smsMissing.status).toBe(404);
    const badVerdict = await http('POST', `${p.urls.evaluation}/api/v1/callbacks/20990101000001/manual`, {
      token: operator,
      body: { verdict: 'ecstatic' },
    });
    expect(badVerdict.status).toBe(400);

    // Nothing half-written: the rejected requests left no ticket behind.
    const [{ n }] = await p.db.query(
      `SELECT count(*)::int AS n FROM ticket.tickets WHERE category = 'alien-landing'`,
    );
    expect(n).toBe(0);
  });

  it('serves OpenAPI docs on every service', async () => {
    for (const url of Object.values(p.urls)) {
      const doc = await http('GET', `${url}/docs-json`);
      expect(doc.status).toBe(200);
      expect(doc.body.openapi).toMatch(/^3\./);
    }
  });
});
