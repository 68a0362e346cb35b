import { randomUUID } from 'node:crypto';
import { monthKeyOf } from '@hotline/shared';
import { createTicket, eventually, http, login, startPlatform } from '../harness';
import type { Platform } from '../harness';

/**
 * Key-task supervision and service test calls on the real stack (GS 督查督办系统, SQ art. 15): a
 * task's indicators reported on by the lead and assisting units, reviewed and closed off (销号);
 * an indicator past its date raises an order on the lead unit by its own timer; a test call is
 * marked in supervision only, and its unit cannot tell it from a real ticket.
 */
describe('supervision: key tasks and test calls (e2e)', () => {
  let p: Platform;
  let operator: string;
  let supervisor: string;
  let clerk: string;
  let assisting: string;
  let stranger: string;
  const sup = (method: string, path: string, token: string, body?: unknown) =>
    http(method, `${p.urls.supervision}/api/v1${path}`, { token, body });
  const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString();
  /** A task of one indicator, led by transport with housing assisting: its id and the indicator's path. */
  async function oneIndicatorTask(title: string, indicator: { name: string; target: string }) {
    const created = await sup('POST', '/key-tasks', supervisor, {
      source: 'meeting',
      title,
      description: '市政府常务会议议定事项。',
      leadUnitId: 'transport',
      assistingUnitIds: ['housing'],
      indicators: [{ ...indicator, dueAt: inDays(30) }],
    });
    expect(created.status).toBe(201);
    return {
      id: created.body.id as string,
      on: `/key-tasks/${created.body.id}/indicators/${created.body.indicators[0].id}`,
    };
  }

  beforeAll(async () => {
    p = await startPlatform();
    [operator, supervisor, clerk, assisting, stranger] = await Promise.all(
      ['operator', 'supervisor', 'clerk.transport', 'clerk.housing', 'clerk.market'].map((u) =>
        login(p.urls.intake, u),
      ),
    );
  });
  afterAll(async () => {
    await p?.stop();
  });

  it('registers a task, the units report, the centre reviews; 100 % accepted closes off the indicator and, with the last, the task', async () => {
    const created = await sup('POST', '/key-tasks', supervisor, {
      source: 'annual_key_work',
      title: '背街小巷环境整治',
      description: '市政府常务会议确定的年度重点工作。',
      leadUnitId: 'transport',
      assistingUnitIds: ['housing'],
      indicators: [
        { name: '完成20条背街小巷路面修复', target: '20条', dueAt: inDays(30) },
        { name: '建立长效管护机制', target: '出台制度1项', dueAt: inDays(60) },
      ],
    });
    expect(created.status).toBe(201);
    const task = created.body;
    expect(task).toMatchObject({ status: 'open', leadUnitId: 'transport', assistingUnitIds: ['housing'] });
    const [first, second] = task.indicators;
    // A leader instruction on the task: its lead unit answers; completed when the task is closed off.
    const instructed = await sup('POST', '/instructions', supervisor, {
      taskId: task.id,
      leaderName: '李市长',
      leaderLevel: 'city',
      content: '请交通局牵头，年底前全部完成。',
    });
    expect(instructed.body).toMatchObject({ taskId: task.id, unitId: 'transport', completed: false });
    const path = (i: { id: string }) => `/key-tasks/${task.id}/indicators/${i.id}`;

    expect((await sup('GET', `/key-tasks/${task.id}`, stranger)).status).toBe(404);
    expect(
      (await sup('GET', '/key-tasks', stranger)).body.items.map((t: { id: string }) => t.id),
    ).not.toContain(task.id);
    expect((await sup('GET', `/key-tasks/${task.id}`, assisting)).status).toBe(200);
    expect(
      (await sup('POST', `${path(first)}/reports`, stranger, { progress: '已完成。', percent: 100 })).status,
    ).toBe(404);
    expect((await sup('POST', `${path(first)}/review`, supervisor, { accepted: true })).body.code).toBe(
      'action_rejected',
    );

    expect(
      (await sup('POST', `${path(first)}/reports`, assisting, { progress: '配合完成8条。', percent: 40 }))
        .status,
    ).toBe(201);
    const sentBack = await sup('POST', `${path(first)}/review`, supervisor, {
      accepted: false,
      comment: '请附现场照片。',
    });
    expect(sentBack.body.indicators[0]).toMatchObject({ status: 'open', percent: 0 });
    await sup('POST', `${path(first)}/reports`, clerk, { progress: '已完成20条。', percent: 100 });
    const done1 = await sup('POST', `${path(first)}/review`, supervisor, { accepted: true });
    expect(done1.body.indicators[0]).toMatchObject({ status: 'closed_off', percent: 100 });
    expect(done1.body.status).toBe('open');
    expect(
      (await sup('POST', `${path(first)}/reports`, clerk, { progress: '再报。', percent: 100 })).body.code,
    ).toBe('action_rejected');
    await sup('POST', `${path(second)}/reports`, clerk, { progress: '管护制度已印发。', percent: 100 });
    const done2 = await sup('POST', `${path(second)}/review`, supervisor, { accepted: true });
    expect(done2.body).toMatchObject({ status: 'closed_off', closedOffAt: expect.any(String) });
    expect(done2.body.indicators[0].reports).toHaveLength(2);
    expect((await sup('GET', `/instructions/${instructed.body.id}`, supervisor)).body.completed).toBe(true);
    // And the assessment counts it completed as the instruction does: every transport instruction
    // of the month the instruction list calls completed is completed there too.
    const month = monthKeyOf(Date.now());
    const all: { completed: boolean; issuedAt: string }[] = (
      await sup('GET', '/instructions?unitId=transport&limit=200', supervisor)
    ).body.items;
    const inMonth = all.filter((i) => monthKeyOf(Date.parse(i.issuedAt)) === month);
    const facts = (await sup('GET', `/assessments/units/transport?period=${month}`, supervisor)).body.facts;
    // Those not completed count once due (their time passed), not while within it.
    expect(facts.instructedCompleted).toBe(inMonth.filter((i) => i.completed).length);
    expect(facts.instructed).toBeGreaterThanOrEqual(facts.instructedCompleted);
    expect(facts.instructed).toBeLessThanOrEqual(inMonth.length);

    // An order by hand on the task: its lead unit by default, or an assisting unit; not a stranger.
    const onTask = await sup('POST', '/orders', supervisor, {
      taskId: task.id,
      kind: 'reminder',
      instruction: '请报送本月进展情况。',
    });
    expect(onTask.body).toMatchObject({ taskId: task.id, unitId: 'transport', ticketNo: null });
    const onAssisting = await sup('POST', '/orders', supervisor, {
      taskId: task.id,
      unitId: 'housing',
      kind: 'order',
      instruction: '请报送配合进展情况。',
    });
    expect(onAssisting.body).toMatchObject({ taskId: task.id, unitId: 'housing' });
    expect(
      (
        await sup('POST', '/orders', supervisor, {
          taskId: task.id,
          unitId: 'market',
          kind: 'order',
          instruction: '请报送配合进展情况。',
        })
      ).status,
    ).toBe(400);
  });

  it("a progress report repeated with its Idempotency-Key is one report, also six at once, also after the close-off; the key is the clerk's own", async () => {
    const { id, on } = await oneIndicatorTask('老旧小区加装电梯', {
      name: '完成10部电梯加装',
      target: '10部',
    });
    const report = (token: string, key: string, percent = 100) =>
      http('POST', `${p.urls.supervision}/api/v1${on}/reports`, {
        token,
        body: { progress: '已完成10部。', percent },
        headers: { 'idempotency-key': key },
      });
    const reports = async () =>
      (await sup('GET', `/key-tasks/${id}`, supervisor)).body.indicators[0].reports as {
        unitId: string;
      }[];

    // The assisting unit's report under a key; then the lead unit's, six at once under the same key
    // (a key is its clerk's own): one report each, every call answered with the task.
    expect((await report(assisting, 'report-1', 50)).status).toBe(201);
    const six = await Promise.all(Array.from({ length: 6 }, () => report(clerk, 'report-1')));
    expect(six.map((r) => r.status)).toEqual(Array(6).fill(201));
    expect((await reports()).map((r) => r.unitId).sort()).toEqual(['housing', 'transport']);
    // Accepted at 100 %: closed off. A late repeat of the first report is answered, not refused;
    // a new report (a new key) is refused.
    expect((await sup('POST', `${on}/review`, supervisor, { accepted: true })).status).toBe(200);
    const late = await report(clerk, 'report-1');
    expect([late.status, late.body.indicators?.[0]?.status]).toEqual([201, 'closed_off']);
    expect(await reports()).toHaveLength(2);
    const fresh = await report(clerk, 'report-2');
    expect([fresh.status, fresh.body.code]).toEqual([409, 'action_rejected']);
  });

  it('two reviews of one report sent at once: one decides it, the other is refused; the indicator follows the one', async () => {
    const { id, on } = await oneIndicatorTask('路灯更换', { name: '完成路灯更换', target: '100盏' });
    expect(
      (await sup('POST', `${on}/reports`, clerk, { progress: '已全部更换。', percent: 100 })).status,
    ).toBe(201);
    const [accept, reject] = await Promise.all([
      sup('POST', `${on}/review`, supervisor, { accepted: true }),
      sup('POST', `${on}/review`, supervisor, { accepted: false, comment: '请附现场照片' }),
    ]);
    expect([accept.status, reject.status].sort()).toEqual([200, 409]);
    const task = (await sup('GET', `/key-tasks/${id}`, supervisor)).body;
    const [indicator] = task.indicators;
    const [r] = indicator.reports as { accepted: boolean }[];
    expect(indicator.status).toBe(r.accepted ? 'closed_off' : 'open');
  });

  it('a review names the report it decides: the one the reviewer read, not one sent meanwhile; again, the same', async () => {
    const { id, on } = await oneIndicatorTask('公厕改造', { name: '完成公厕改造', target: '10座' });
    expect(
      (await sup('POST', `${on}/reports`, assisting, { progress: '配合完成4座。', percent: 40 })).status,
    ).toBe(201);
    const read = (await sup('GET', `/key-tasks/${id}`, supervisor)).body.indicators[0].reports as {
      id: string;
      percent: number;
    }[];
    const assistingReport = read.find((r) => r.percent === 40)!;
    // The lead's report arrives while the reviewer decides the assisting unit's.
    expect((await sup('POST', `${on}/reports`, clerk, { progress: '已完成6座。', percent: 60 })).status).toBe(
      201,
    );
    const review = { accepted: true, reportId: assistingReport.id };
    expect((await sup('POST', `${on}/review`, supervisor, review)).status).toBe(200);
    const reports = (await sup('GET', `/key-tasks/${id}`, supervisor)).body.indicators[0].reports as {
      id: string;
      percent: number;
      accepted: boolean | null;
    }[];
    expect(reports.map((r) => [r.percent, r.accepted]).sort()).toEqual([
      [40, true],
      [60, null],
    ]);
    // The same review again is the one made; the other way, or a report of no such indicator, is refused.
    expect((await sup('POST', `${on}/review`, supervisor, review)).status).toBe(200);
    const otherWay = await sup('POST', `${on}/review`, supervisor, {
      accepted: false,
      comment: '请补充照片',
      reportId: assistingReport.id,
    });
    expect([otherWay.status, otherWay.body.code]).toEqual([409, 'conflict']);
    const unknown = await sup('POST', `${on}/review`, supervisor, { accepted: true, reportId: randomUUID() });
    expect(unknown.status).toBe(404);
  });

  it("settles another unit's report still pending when an acceptance closes the indicator off", async () => {
    const { id, on } = await oneIndicatorTask('积水点改造', { name: '完成积水点改造', target: '12处' });
    expect(
      (await sup('POST', `${on}/reports`, assisting, { progress: '配合完成6处。', percent: 50 })).status,
    ).toBe(201);
    expect(
      (await sup('POST', `${on}/reports`, clerk, { progress: '已全部完成。', percent: 100 })).status,
    ).toBe(201);
    expect((await sup('POST', `${on}/review`, supervisor, { accepted: true })).status).toBe(200);
    const [indicator] = (await sup('GET', `/key-tasks/${id}`, supervisor)).body.indicators;
    expect(indicator.status).toBe('closed_off');
    const reports = indicator.reports as {
      percent: number;
      accepted: boolean | null;
      reviewComment: string | null;
    }[];
    expect(reports.map((r) => [r.percent, r.accepted]).sort()).toEqual([
      [100, true],
      [50, false],
    ]);
    expect(reports.find((r) => r.percent === 50)!.reviewComment).toBe('该指标已验收销号，本报告不再单独审核');
  });

  it('refuses a bad task: unknown unit, lead also assisting, a date passed, no indicators', async () => {
    const base = {
      source: 'meeting',
      title: '专题会议事项',
      description: '会议纪要第3项。',
      leadUnitId: 'transport',
      indicators: [{ name: '完成', target: '1项', dueAt: inDays(5) }],
    };
    for (const [body, code] of [
      [{ ...base, leadUnitId: 'nope' }, 'unknown_unit'],
      [{ ...base, assistingUnitIds: ['transport'] }, 'validation_failed'],
      [{ ...base, indicators: [{ name: '完成', target: '1项', dueAt: inDays(-1) }] }, 'validation_failed'],
      [{ ...base, indicators: [] }, 'validation_failed'],
      [{ ...base, source: 'rumour' }, 'validation_failed'],
    ] as const)
      expect((await sup('POST', '/key-tasks', supervisor, body)).body.code).toBe(code);
  });

  it('an indicator past its date, not closed off, raises an order on the lead unit by its own timer', async () => {
    const r = await sup('POST', '/key-tasks', supervisor, {
      source: 'npc_suggestion',
      title: '关于加快老旧小区加装电梯的建议',
      description: '人大代表建议第118号。',
      leadUnitId: 'housing',
      indicators: [
        { name: '答复代表', target: '书面答复1份', dueAt: new Date(Date.now() + 3000).toISOString() },
      ],
    });
    expect(r.status).toBe(201);
    const indicatorId = r.body.indicators[0].id;
    const order = await eventually(
      'the overdue indicator order',
      async () =>
        (await sup('GET', '/orders?unitId=housing&kind=order', supervisor)).body.items.find(
          (o: { trigger: string; instruction: string }) =>
            o.trigger === 'indicator_overdue' && o.instruction.includes('关于加快老旧小区加装电梯的建议'),
        ),
      45_000,
    );
    expect(order).toMatchObject({ unitId: 'housing', ticketNo: null, taskId: r.body.id, status: 'open' });
    expect((await sup('GET', `/key-tasks/${r.body.id}`, supervisor)).body.indicators[0]).toMatchObject({
      id: indicatorId,
      overdue: true,
    });
    expect((await sup('GET', `/orders/${order.id}`, assisting)).status).toBe(200);
  }, 60_000);

  it('a test call is marked in supervision only: handled like any ticket, invisible as a test to its unit', async () => {
    const no = await createTicket(p, operator, {
      title: '路灯不亮',
      content: '中山路北段路灯连续三晚不亮。',
      complainantPhone: '13700170170',
    });
    await eventually(
      'the facts, dispatched',
      async () => (await sup('GET', `/tickets/${no}/facts`, supervisor)).body.unitId === 'transport',
      90_000,
    );
    const r = await sup('POST', '/test-calls', supervisor, {
      ticketNo: no,
      scenario: '模拟市民反映路灯不亮',
      expected: '1小时内签收',
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ ticketNo: no, unitId: 'transport', scenario: '模拟市民反映路灯不亮' });
    expect(
      (await sup('POST', '/test-calls', supervisor, { ticketNo: no, scenario: '再次', expected: '再次' }))
        .body.code,
    ).toBe('conflict');
    expect(
      (
        await sup('POST', '/test-calls', supervisor, {
          ticketNo: no,
          scenario: '   ',
          expected: '\u3000\u3000',
        })
      ).body.code,
    ).toBe('validation_failed');
    expect(
      (
        await sup('POST', '/test-calls', supervisor, {
          ticketNo: '20990101000001',
          scenario: '模拟',
          expected: '签收',
        })
      ).body.code,
    ).toBe('ticket_not_found');
    expect((await sup('GET', '/test-calls', clerk)).status).toBe(403);
    expect((await sup('GET', `/test-calls?ticketNo=${no}`, supervisor)).body.items).toHaveLength(1);
    const desk = await eventually('on the desk', async () => {
      const d = await http('GET', `${p.urls.dispatch}/api/v1/tickets/${no}`, { token: clerk });
      return d.status === 200 ? d : null;
    });
    expect(JSON.stringify(desk.body)).not.toMatch(/test.?call|拨测任务|scenario/i);
  }, 120_000);
});
