import { SQ_POLICY } from '@hotline/shared';
import type { AnyTicketEvent } from '@hotline/shared';
import {
  eventually,
  http,
  lateSignsOf,
  login,
  observeTicketEvents,
  saveQuickSignPolicy,
  startPlatform,
} from '../harness';
import type { Platform } from '../harness';

/**
 * The lifecycle end to end over HTTP on the real stack, with a short policy an administrator
 * switches to (data, not code): dispatch → late sign → extension → reply rejected by the closure
 * standard → reply accepted → SMS unsatisfied → manual unsatisfied → rectification → satisfied →
 * closed. The ticket's record and the Kafka events show every step.
 */
describe('the ticket lifecycle end to end', () => {
  let p: Platform;
  let seen: AnyTicketEvent[] = [];
  let stopObserver: (() => Promise<void>) | undefined;
  let admin: string;
  let operator: string;
  let reviewer: string;
  let clerk: string;

  beforeAll(async () => {
    p = await startPlatform();
    const observer = await observeTicketEvents(p.config, 'e2e-lifecycle');
    seen = observer.seen;
    stopObserver = observer.stop;
    admin = await login(p.urls.intake, 'admin');
    operator = await login(p.urls.intake, 'operator');
    reviewer = await login(p.urls.intake, 'reviewer');
    clerk = await login(p.urls.intake, 'clerk.transport');
  });

  afterAll(async () => {
    if (admin)
      await http('PUT', `${p.urls.intake}/api/v1/admin/active-policy-set`, {
        token: admin,
        body: { code: 'SQ' },
      });
    await stopObserver?.();
    await p?.stop();
  });

  it('keeps a policy set as data: an administrator saves a version and switches to it', async () => {
    const bad = await http('POST', `${p.urls.intake}/api/v1/admin/policy-sets`, {
      token: admin,
      body: { ...SQ_POLICY, code: 'BAD', defaults: { ...SQ_POLICY.defaults, sign: '1 fortnight' } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('validation_failed');
    expect(JSON.stringify(bad.body.errors)).toMatch(/sign/);
    // A calendar the platform does not keep: every ticket under the set would fail to start.
    const nowhere = await http('POST', `${p.urls.intake}/api/v1/admin/policy-sets`, {
      token: admin,
      body: { ...SQ_POLICY, code: 'NOWHERE', calendarId: 'nowhere' },
    });
    expect([nowhere.status, nowhere.body.code, nowhere.body.field]).toEqual([
      400,
      'validation_failed',
      'calendarId',
    ]);
    expect(
      (await http('GET', `${p.urls.intake}/api/v1/admin/policy-sets/NOWHERE`, { token: admin })).status,
    ).toBe(404);

    // A rule for a region or category the city does not have would never apply: a typo passing as a
    // rule. A code differing from a kept one's only in case would be a second set taken for the first.
    const rule = { id: 'typo', name: '拼写错误', limits: { sign: '30m' } };
    for (const [body, field] of [
      [
        { ...SQ_POLICY, code: 'TYPO', rules: [{ ...rule, match: { regionCode: 'gulouu' } }] },
        'rules[0].match.regionCode',
      ],
      [
        { ...SQ_POLICY, code: 'TYPO', rules: [{ ...rule, match: { category: 'roadd' } }] },
        'rules[0].match.category',
      ],
      [{ ...SQ_POLICY, code: 'sq' }, 'code'],
    ] as const) {
      const refused = await http('POST', `${p.urls.intake}/api/v1/admin/policy-sets`, { token: admin, body });
      expect([refused.status, refused.body.code, refused.body.field]).toEqual([
        400,
        'validation_failed',
        field,
      ]);
    }
    for (const code of ['TYPO', 'sq'])
      expect(
        (await http('GET', `${p.urls.intake}/api/v1/admin/policy-sets/${code}`, { token: admin })).status,
      ).toBe(404);

    // Sign within 2 seconds, so that a real sign can be late; everything else as in Suqian.
    const saved = await saveQuickSignPolicy(p, admin, 'E2E', '端到端测试时限');
    expect(saved.status).toBe(201);
    expect(saved.body).toMatchObject({ code: 'E2E', version: 1 });
    // A ticket registered before the switch keeps the policy it started with.
    const before = await http('POST', `${p.urls.intake}/api/v1/tickets`, {
      token: operator,
      body: {
        channel: 'web',
        kind: 'suggestion',
        category: 'bus',
        regionCode: 'hexi',
        title: '增开公交线路',
        content: '建议增开河西至高新区的公交线路。',
      },
    });
    expect(before.status).toBe(201);
    const switched = await http('PUT', `${p.urls.intake}/api/v1/admin/active-policy-set`, {
      token: admin,
      body: { code: 'E2E' },
    });
    expect(switched.status).toBe(200);
    const kept = await http('GET', `${p.urls.intake}/api/v1/tickets/${before.body.ticketNo}`, {
      token: operator,
    });
    expect(kept.body.policy).toMatchObject({ code: 'SQ', version: 1 });
    const list = await http('GET', `${p.urls.intake}/api/v1/admin/policy-sets`, { token: admin });
    expect(list.body.items.find((s: { code: string }) => s.code === 'E2E')).toMatchObject({ active: true });
    expect(list.body.items.map((s: { code: string }) => s.code)).toEqual(
      expect.arrayContaining(['SQ', 'SZ', 'GS']),
    );
  });

  it('lets an administrator edit the calendar: holidays and adjusted working days', async () => {
    const days = await http(
      'GET',
      `${p.urls.intake}/api/v1/admin/calendars/cn-mainland/days?year=2026&limit=200`,
      {
        token: admin,
      },
    );
    expect(days.status).toBe(200);
    expect(days.body.items).toEqual(
      expect.arrayContaining([{ day: '2026-10-01', kind: 'holiday', source: 'seed', note: null }]),
    );
    expect(days.body.items.find((d: { day: string }) => d.day === '2026-10-10')).toMatchObject({
      kind: 'workday',
    });
    const set = await http('PUT', `${p.urls.intake}/api/v1/admin/calendars/cn-mainland/days/2027-12-31`, {
      token: admin,
      body: { kind: 'holiday', note: '示范市地方假日' },
    });
    expect(set.status).toBe(200);
    const bad = await http('PUT', `${p.urls.intake}/api/v1/admin/calendars/cn-mainland/days/2027-13-45`, {
      token: admin,
      body: { kind: 'holiday' },
    });
    expect(bad.status).toBe(400);
    // A day of a year the calendar is not listed for would be kept out of sight: refused.
    for (const day of ['9999-12-31', '1900-01-01']) {
      const far = await http('PUT', `${p.urls.intake}/api/v1/admin/calendars/cn-mainland/days/${day}`, {
        token: admin,
        body: { kind: 'holiday' },
      });
      expect([day, far.status, far.body.code]).toEqual([day, 400, 'validation_failed']);
    }
    const forbidden = await http('GET', `${p.urls.intake}/api/v1/admin/policy-sets`, { token: operator });
    expect(forbidden.status).toBe(403);
  });

  it('runs the whole course and records every step', async () => {
    const created = await http('POST', `${p.urls.intake}/api/v1/tickets`, {
      token: operator,
      body: {
        channel: 'phone',
        kind: 'complaint',
        category: 'road',
        regionCode: 'gulou',
        title: '中山路人行道破损',
        content: '中山路128号门前人行道地砖松动多块，请尽快维修。',
        assistingUnitIds: ['housing'],
      },
    });
    expect(created.status).toBe(201);
    const no: string = created.body.ticketNo;

    // The assisting unit (协办单位) sees the ticket on its own desk and signs it.
    const housing = await login(p.urls.intake, 'clerk.housing');
    const assisting = await eventually('the ticket on the assisting desk', async () => {
      const r = await http('GET', `${p.urls.dispatch}/api/v1/tickets/${no}`, { token: housing });
      return r.status === 200 ? r.body : null;
    });
    expect(assisting).toMatchObject({ role: 'assisting', unitId: 'housing' });
    expect(
      (await http('POST', `${p.urls.dispatch}/api/v1/tickets/${no}/sign`, { token: housing })).status,
    ).toBe(200);
    const detail = () => http('GET', `${p.urls.intake}/api/v1/tickets/${no}`, { token: operator });
    expect((await detail()).body.policy).toMatchObject({ code: 'E2E', version: 1 });

    // The sign deadline (2 s) passes: an overdue event, then a late sign that is still accepted.
    await eventually('the sign deadline to pass', async () =>
      (await detail()).body.history.some((h: { type: string }) => h.type === 'ticket.overdue'),
    );
    // Counted against the unit when its sign time runs out, before any signature; once, after it.
    const chief = await login(p.urls.intake, 'supervisor');
    await eventually('the missed sign time counted', async () =>
      (await lateSignsOf(p, chief, 'transport')).includes(no),
    );
    const signed = await http('POST', `${p.urls.dispatch}/api/v1/tickets/${no}/sign`, { token: clerk });
    expect(signed.status).toBe(200);
    await eventually(
      'supervision to take the late signature in',
      async () =>
        typeof (await http('GET', `${p.urls.supervision}/api/v1/tickets/${no}/facts`, { token: chief })).body
          .signedAt === 'string',
    );
    expect((await lateSignsOf(p, chief, 'transport')).filter((n) => n === no)).toHaveLength(1);

    const ext = await http('POST', `${p.urls.dispatch}/api/v1/tickets/${no}/extension`, {
      token: clerk,
      body: { requested: { amount: 2, unit: 'days' }, reason: '需协调燃气管线迁改' },
    });
    expect(ext.status).toBe(200);
    const tooMuch = await http('POST', `${p.urls.intake}/api/v1/tickets/${no}/extension-decision`, {
      token: reviewer,
      body: { approve: true, granted: { amount: 7, unit: 'days' } },
    });
    // More than the unit asked for (2 days): the centre grants what was asked or less.
    expect([tooMuch.status, tooMuch.body.code]).toEqual([400, 'validation_failed']);
    expect(tooMuch.body.field).toBe('granted');
    const approved = await http('POST', `${p.urls.intake}/api/v1/tickets/${no}/extension-decision`, {
      token: reviewer,
      body: { approve: true },
    });
    expect(approved.status).toBe(200);

    const poor = await http('POST', `${p.urls.dispatch}/api/v1/tickets/${no}/reply`, {
      token: clerk,
      body: { content: '已处理' },
    });
    expect(poor.status).toBe(422);
    expect(poor.body.code).toBe('reply_not_closable');
    expect(poor.body.detail).toMatch(/[\u4e00-\u9fa5]/);
    // Nor "still being handled", a bare "已经处理了", nor a plan without its date (closure-v2).
    for (const content of [
      '您好，您反映的问题我局仍在处理，请耐心等待后续结果，谢谢。',
      '您好，您反映的问题已经处理了，感谢您的支持和理解，谢谢！',
      '经核实该路段人行道破损属实，我局拟安排修复，具体时间另行通知。',
    ]) {
      const r = await http('POST', `${p.urls.dispatch}/api/v1/tickets/${no}/reply`, {
        token: clerk,
        body: { content },
      });
      expect([content, r.status, r.body.code]).toEqual([content, 422, 'reply_not_closable']);
    }

    const good =
      '经核实，中山路128号门前人行道地砖松动12块，已安排养护科于今日更换完毕，现场已恢复通行。联系人：王工。';
    expect(
      (
        await http('POST', `${p.urls.dispatch}/api/v1/tickets/${no}/reply`, {
          token: clerk,
          body: { content: good },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await http('POST', `${p.urls.intake}/api/v1/tickets/${no}/review`, {
          token: reviewer,
          body: { approve: true },
        })
      ).status,
    ).toBe(200);

    const sms = (verdict: string | null) =>
      http('POST', `${p.urls.evaluation}/api/v1/callbacks/${no}/sms`, { token: operator, body: { verdict } });
    const manual = (verdict: string) =>
      http('POST', `${p.urls.evaluation}/api/v1/callbacks/${no}/manual`, {
        token: operator,
        body: { verdict },
      });
    expect((await sms('unsatisfied')).status).toBe(200);
    expect((await manual('unsatisfied')).body).toMatchObject({ status: 'rectifying' });
    const desk = await http('GET', `${p.urls.dispatch}/api/v1/tickets/${no}`, { token: clerk });
    expect(desk.body.assignmentStatus).toBe('rectifying');

    // The unit may well send the same text again after rectification: it is a new reply all the same.
    const again = good;
    expect(
      (
        await http('POST', `${p.urls.dispatch}/api/v1/tickets/${no}/reply`, {
          token: clerk,
          body: { content: again },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await http('POST', `${p.urls.intake}/api/v1/tickets/${no}/review`, {
          token: reviewer,
          body: { approve: true },
        })
      ).status,
    ).toBe(200);
    expect((await sms('satisfied')).status).toBe(200);

    const closed = await eventually('the ticket closed', async () => {
      const r = await detail();
      return r.body.status === 'closed' ? r.body : null;
    });
    const steps: string[] = closed.history.map((h: { type: string }) => h.type);
    const order = [
      'ticket.created',
      'ticket.dispatched',
      'ticket.assistance_dispatched',
      'ticket.assistance_signed',
      'ticket.overdue',
      'ticket.signed',
      'ticket.extension_requested',
      'ticket.extension_decided',
      'ticket.reply_rejected', // 已处理
      'ticket.reply_rejected', // 仍在处理
      'ticket.reply_rejected', // 已经处理了
      'ticket.reply_rejected', // 拟安排…另行通知
      'ticket.replied',
      'ticket.reply_reviewed',
      'ticket.callback_requested',
      'ticket.callback_answered',
      'ticket.callback_requested',
      'ticket.callback_answered',
      'ticket.rectification_ordered',
      'ticket.replied',
      'ticket.reply_reviewed',
      'ticket.callback_requested',
      'ticket.callback_answered',
      'ticket.closed',
    ];
    expect(steps.filter((t) => t !== 'ticket.reminded')).toEqual(order);
    expect(closed.history.find((h: { type: string }) => h.type === 'ticket.signed').data).toEqual({
      unitId: 'transport',
      late: true,
    });

    const onKafka = await eventually('every step on Kafka', async () => {
      const mine = [...new Map(seen.filter((e) => e.ticketNo === no).map((e) => [e.id, e])).values()];
      return mine.length >= steps.length ? mine : null;
    });
    expect(onKafka.sort((a, b) => a.seq - b.seq).map((e) => e.type)).toEqual(steps);

    const supervisor = await login(p.urls.intake, 'supervisor');
    const facts = await eventually('supervision facts', async () => {
      const r = await http('GET', `${p.urls.supervision}/api/v1/tickets/${no}/facts`, { token: supervisor });
      return r.body.status === 'closed' ? r.body : null;
    });
    expect(facts).toMatchObject({
      signedLate: true,
      extensionCount: 1,
      rejectedReplyCount: 4,
      outcome: 'satisfied',
    });
    expect(facts.overdueCount).toBeGreaterThanOrEqual(1);
    const overview = await http('GET', `${p.urls.supervision}/api/v1/units/overview?limit=200`, {
      token: supervisor,
    });
    const transport = overview.body.items.find((u: { unitId: string }) => u.unitId === 'transport');
    expect(transport.lateSigns).toBeGreaterThanOrEqual(1);
    expect(transport.overdueEvents).toBeGreaterThanOrEqual(1);
    // What the overview counts for a unit: its own deadlines (sign, reply) missed, each under the
    // unit the overdue named; not the centre's (review, callbacks, dispatch).
    const ledger: { id: string; deadline: string; unitId: string | null }[] = await p.db.query(
      `SELECT event_id AS id, data->>'deadline' AS deadline, data->>'unitId' AS "unitId"
       FROM ticket.ticket_events WHERE ticket_no = $1 AND type = 'ticket.overdue' AND voided_by IS NULL`,
      [no],
    );
    const units = ledger.filter((o) => ['sign', 'complete'].includes(o.deadline) && o.unitId);
    expect(units.length).toBeGreaterThanOrEqual(1);
    const counted: { id: string; unitId: string }[] = await p.db.query(
      `SELECT event_id AS id, unit_id AS "unitId" FROM supervision.missed_deadlines WHERE ticket_no = $1`,
      [no],
    );
    expect(counted.map((c) => `${c.id}:${c.unitId}`).sort()).toEqual(
      units.map((o) => `${o.id}:${o.unitId}`).sort(),
    );
  });
});
