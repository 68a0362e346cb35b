import { randomInt } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import {
  approvedByCentre,
  eventually,
  GOOD_REPLY,
  http,
  lateSignsOf,
  login,
  satisfiedBySms,
  saveQuickSignPolicy,
  startPlatform,
  TICKET_BODY,
} from '../harness';
import type { Platform } from '../harness';

/**
 * Multi-level handling on the real stack (RULES §2): the 鼓楼区 government, a hub, passes a ticket
 * to its streets on its own desk; the streets see it only while it is theirs; two of them refusing
 * it is supervised as buck-passing on the hub; the street's result passes the hub leader's review
 * and only then reaches the centre, as the hub's reply; the hub's deadlines never move. A street
 * that is a hub in turn passes it on to its community (the third level), and the community's result
 * climbs back past the street's leader and the district's.
 */
describe('multi-level handling: a hub and its sub-units (e2e)', () => {
  let p: Platform;
  let operator: string;
  let reviewer: string;
  let supervisor: string;
  let hub: string;
  let hunan: string;
  let ninghai: string;
  let matai: string;
  let transport: string;
  let hunanLeader: string;
  let temporal: Client;

  beforeAll(async () => {
    p = await startPlatform();
    temporal = new Client({
      connection: await Connection.connect({ address: p.config.temporalAddress }),
      namespace: p.config.temporalNamespace,
    });
    [operator, reviewer, supervisor, hub, hunan, ninghai, matai, transport, hunanLeader] = await Promise.all(
      [
        'operator',
        'reviewer',
        'supervisor',
        'clerk.gulou',
        'clerk.hunan',
        'clerk.ninghai',
        'clerk.matai',
        'clerk.transport',
        'leader.hunan',
      ].map((u) => login(p.urls.intake, u)),
    );
  });
  afterAll(async () => {
    await temporal?.connection.close();
    await p?.stop();
  });

  /** Whether an administrator finds the ticket in the Temporal UI by a unit on it (`UnitIds`). */
  const foundByUnit = async (no: string, unitId: string) => {
    for await (const _ of temporal.workflow.list({ query: `TicketNo = '${no}' AND UnitIds = '${unitId}'` }))
      return true;
    return false;
  };

  const desk = (token: string, no: string) =>
    http('GET', `${p.urls.dispatch}/api/v1/tickets/${no}`, { token });
  const act = (token: string, no: string, action: string, body?: unknown, key?: string) =>
    http('POST', `${p.urls.dispatch}/api/v1/tickets/${no}/${action}`, {
      token,
      body,
      headers: key ? { 'idempotency-key': key } : {},
    });
  const ok = async (r: Promise<{ status: number; body: unknown }>) => {
    const res = await r;
    if (res.status !== 200) throw new Error(`expected 200, got ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body as { status: string; alreadyApplied: boolean };
  };

  /**
   * One source of truth: whether every copy of the ticket's state says what it should: the ledger's
   * status and supervision's are `status`, and each desk (a clerk's token) shows `status` and its
   * own assignment status, in the order given.
   */
  const agree = async (no: string, status: string, desks: [string, string][]) => {
    const [l, f, ...seen] = await Promise.all([
      http('GET', `${p.urls.intake}/api/v1/tickets/${no}`, { token: reviewer }),
      http('GET', `${p.urls.supervision}/api/v1/tickets/${no}/facts`, { token: supervisor }),
      ...desks.map(([token]) => desk(token, no)),
    ]);
    return (
      l.body.status === status &&
      f.body.status === status &&
      seen.every((d, i) => d.body.status === status && d.body.assignmentStatus === desks[i][1])
    );
  };

  /** A community matter in 鼓楼区: the matter catalog sends it to the district government, which signs. */
  async function signedByHub(): Promise<{ no: string; completeDueAt: string }> {
    const r = await http('POST', `${p.urls.intake}/api/v1/tickets`, {
      token: operator,
      body: {
        ...TICKET_BODY,
        category: 'community',
        regionCode: 'gulou',
        title: '小区楼道堆放杂物',
        content: '湖南路12号小区3栋楼道长期堆放杂物，存在消防隐患，请社区协调清理。',
        complainantPhone: `137${randomInt(10_000_000, 99_999_999)}`,
      },
    });
    expect(r.status).toBe(201);
    const no = r.body.ticketNo as string;
    await eventually('signed by the hub', async () => (await act(hub, no, 'sign')).status === 200);
    return { no, completeDueAt: (await desk(hub, no)).body.completeDueAt };
  }

  /**
   * signedByHub under a policy whose sign limit is 2 seconds, active only while the ticket is
   * registered: the ticket keeps it, and every other test (this run shares one database) keeps
   * Suqian's.
   */
  async function signedByHubOnQuickSign(code: string, name: string): Promise<string> {
    const admin = await login(p.urls.intake, 'admin');
    expect((await saveQuickSignPolicy(p, admin, code, name)).status).toBe(201);
    const activate = async (set: string) =>
      expect(
        (
          await http('PUT', `${p.urls.intake}/api/v1/admin/active-policy-set`, {
            token: admin,
            body: { code: set },
          })
        ).status,
      ).toBe(200);
    await activate(code);
    try {
      return (await signedByHub()).no;
    } finally {
      await activate('SQ');
    }
  }

  it('a hub does not return a ticket naming its own sub-unit: it passes the ticket to it', async () => {
    const { no } = await signedByHub();
    const r = await act(hub, no, 'return', { reason: '属街道职责', suggestedUnitId: 'gulou-hunan' });
    expect([r.status, r.body.code, r.body.field]).toEqual([400, 'validation_failed', 'suggestedUnitId']);
    expect(r.body.detail).toMatch(/sub-dispatch/);
    // Nor a unit further down (a street's community).
    const down = await act(hub, no, 'return', { reason: '属社区职责', suggestedUnitId: 'gulou-hunan-matai' });
    expect([down.status, down.body.code, down.body.field]).toEqual([
      400,
      'validation_failed',
      'suggestedUnitId',
    ]);
    expect((await desk(hub, no)).body.assignmentStatus).toBe('signed');
  });

  it('passes a ticket down to a street and takes its result up, past the hub leader, to the centre', async () => {
    const { no, completeDueAt } = await signedByHub();
    const subs = await http('GET', `${p.urls.dispatch}/api/v1/sub-units`, { token: hub });
    expect(subs.body.items.map((u: { unitId: string }) => u.unitId).sort()).toEqual([
      'gulou-hunan',
      'gulou-ninghai',
    ]);
    expect(
      (await http('GET', `${p.urls.dispatch}/api/v1/sub-units`, { token: transport })).body.items,
    ).toEqual([]);
    // Before it is passed, a street does not even learn that it exists.
    expect((await desk(hunan, no)).status).toBe(404);
    // Only the hub's own sub-units: another unit, or one that is no sub-unit, is refused.
    const foreign = await act(hub, no, 'sub-dispatch', { subUnitId: 'transport', note: '请办理' });
    expect([foreign.status, foreign.body.code]).toEqual([400, 'unknown_unit']);
    // A pass carries the hub's instructions: a note that shows nothing is refused.
    const blank = await act(hub, no, 'sub-dispatch', { subUnitId: 'gulou-hunan', note: '   ' });
    expect([blank.status, blank.body.code]).toEqual([400, 'validation_failed']);

    const note = '请于今日内现场核实并清理，处理结果经区政府领导审核后答复。（审批单：鼓楼区政府办2026-173）';
    const passed = await ok(
      act(hub, no, 'sub-dispatch', { subUnitId: 'gulou-hunan', subTicketNo: '鼓楼二级-0173', note }, 'p1'),
    );
    expect(passed).toMatchObject({ status: 'signed', alreadyApplied: false });
    expect(
      await ok(
        act(hub, no, 'sub-dispatch', { subUnitId: 'gulou-hunan', subTicketNo: '鼓楼二级-0173', note }),
      ),
    ).toMatchObject({ alreadyApplied: true });
    const atStreet = await eventually('on the street’s desk', async () => {
      const r = await desk(hunan, no);
      return r.status === 200 ? r.body : null;
    });
    expect(atStreet).toMatchObject({
      role: 'sub',
      assignmentStatus: 'dispatched',
      access: 'full',
      completeDueAt,
    });
    // It signs within the policy's sign limit from the pass, as the lead does (SQ: 1 h).
    const signTime = Date.parse(atStreet.signDueAt) - Date.parse(atStreet.dispatchedAt);
    expect(Math.abs(signTime - 3_600_000)).toBeLessThan(5_000);
    expect(atStreet.subDispatches).toEqual([
      expect.objectContaining({
        type: 'ticket.sub_dispatched',
        subUnitId: 'gulou-hunan',
        data: expect.objectContaining({ subTicketNo: '鼓楼二级-0173', note }),
      }),
    ]);
    expect((await desk(ninghai, no)).status).toBe(404);
    // While the street has it, the hub neither answers the centre itself nor returns it.
    const early = await act(hub, no, 'reply', { content: GOOD_REPLY });
    expect([early.status, early.body.code]).toEqual([409, 'sub_dispatch_open']);
    // The street cannot act as the lead unit, nor review its own result.
    expect((await act(hunan, no, 'reply', { content: GOOD_REPLY })).status).toBe(409);
    // The street signs for it (签收, 接单) before it sends a result: its desk says so.
    const unsigned = await act(hunan, no, 'sub-reply', { content: GOOD_REPLY });
    expect([unsigned.status, unsigned.body.code]).toEqual([409, 'ticket_not_signed']);
    expect(await ok(act(hunan, no, 'sign', undefined, 'street-sign'))).toMatchObject({
      alreadyApplied: false,
    });
    expect(await ok(act(hunan, no, 'sign'))).toMatchObject({ alreadyApplied: true });
    // One source of truth: the ledger, both desks and supervision agree once the street signed.
    await eventually('every copy agrees once the street signed', () =>
      agree(no, 'signed', [
        [hub, 'signed'],
        [hunan, 'signed'],
      ]),
    );

    // The street notes its progress; the hub reads it on its desk.
    await ok(act(hunan, no, 'progress-notes', { content: '已约物业明日上午现场查看。' }));
    expect((await desk(hub, no)).body.progressNotes).toEqual([
      expect.objectContaining({ unitId: 'gulou-hunan', content: '已约物业明日上午现场查看。' }),
    ]);

    // The street's result goes to the hub leader, who sends it back once, then approves it.
    await ok(act(hunan, no, 'sub-reply', { content: '已现场核实，正在协调物业清理。' }));
    const noLeader = await act(hub, no, 'sub-review', { approve: true, leaderName: '' });
    expect([noLeader.status, noLeader.body.code]).toEqual([400, 'validation_failed']);
    const foreignReview = await act(transport, no, 'sub-review', { approve: true, leaderName: '张局长' });
    expect(foreignReview.status).toBe(404);
    await ok(act(hub, no, 'sub-review', { approve: false, leaderName: '李副区长', note: '请写明清理结果' }));
    await eventually(
      'back on the street’s desk, still signed',
      async () => (await desk(hunan, no)).body.assignmentStatus === 'signed',
    );
    const result =
      '经湖南路街道现场核实，已会同物业于今日清理3栋楼道杂物共2车，消除消防隐患，并在楼道张贴告示。联系人：街道城管科。';
    await ok(act(hunan, no, 'sub-reply', { content: result }));
    const approved = await ok(act(hub, no, 'sub-review', { approve: true, leaderName: '李副区长' }));
    expect(approved.status).toBe('replied');
    // One source of truth: the ledger, the hub's desk, the street's desk and supervision agree.
    await eventually('every copy agrees', () =>
      agree(no, 'replied', [
        [hub, 'replied'],
        [hunan, 'closed'],
      ]),
    );

    // The centre has the hub's reply, in the street's words; the hub's deadlines never moved.
    const ledger = await http('GET', `${p.urls.intake}/api/v1/tickets/${no}`, { token: reviewer });
    const history = ledger.body.history as { type: string; data: Record<string, unknown> }[];
    expect(history.map((e) => e.type)).toEqual(
      expect.arrayContaining(['ticket.sub_dispatched', 'ticket.sub_replied', 'ticket.sub_reply_reviewed']),
    );
    expect(history.at(-1)).toMatchObject({
      type: 'ticket.replied',
      data: { unitId: 'gulou-gov', content: result },
    });
    const hubDesk = (await desk(hub, no)).body;
    expect(hubDesk.completeDueAt).toBe(completeDueAt);
    expect(hubDesk.subDispatches.map((s: { type: string }) => s.type)).toEqual([
      'ticket.sub_dispatched',
      'ticket.sub_signed',
      'ticket.sub_replied',
      'ticket.sub_reply_reviewed',
      'ticket.sub_replied',
      'ticket.sub_reply_reviewed',
    ]);
    await eventually(
      'the street’s part done',
      async () => (await desk(hunan, no)).body.assignmentStatus === 'closed',
    );
    // Its sign again changes nothing, and answers the ticket's status, not its own part's.
    expect(await ok(act(hunan, no, 'sign'))).toMatchObject({ status: 'replied', alreadyApplied: true });

    // The centre approves, the citizen is satisfied: closed.
    await approvedByCentre(p, reviewer, no);
    await satisfiedBySms(p, operator, no);
    await eventually(
      'closed',
      async () =>
        (await http('GET', `${p.urls.intake}/api/v1/tickets/${no}`, { token: operator })).body.status ===
        'closed',
    );
  });

  it('goes down three levels, district to street to community, and the result climbs back past each leader', async () => {
    const { no, completeDueAt } = await signedByHub();
    const upload = async (token: string, name: string) => {
      const res = await fetch(
        `${p.urls.dispatch}/api/v1/tickets/${no}/attachments?name=${encodeURIComponent(name)}&kind=evidence`,
        {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/pdf' },
          body: Buffer.from(`%PDF-1.7\n${name} ${no}`),
        },
      );
      expect(res.status).toBe(201);
      return ((await res.json()) as { attachmentId: string }).attachmentId;
    };
    const files = async (token: string) =>
      (
        (await http('GET', `${p.urls.dispatch}/api/v1/tickets/${no}/attachments`, { token })).body.items as {
          name: string;
        }[]
      )
        .map((a) => a.name)
        .sort();

    // The district gives the street a time of its own, within its own reply deadline.
    const tooLate = new Date(Date.parse(completeDueAt) + 60_000).toISOString();
    const late = await act(hub, no, 'sub-dispatch', {
      subUnitId: 'gulou-hunan',
      note: '请街道办理。',
      dueAt: tooLate,
    });
    expect([late.status, late.body.code]).toEqual([400, 'validation_failed']);
    const streetDue = new Date(Date.now() + 2 * 3_600_000).toISOString();
    await ok(
      act(hub, no, 'sub-dispatch', { subUnitId: 'gulou-hunan', note: '请街道办理。', dueAt: streetDue }),
    );
    // The street signs for it (接单) before it passes it on.
    await eventually('on the street’s desk', async () => (await desk(hunan, no)).status === 200);
    const unsignedPass = await act(hunan, no, 'sub-dispatch', {
      subUnitId: 'gulou-hunan-matai',
      note: '请办理',
    });
    expect([unsignedPass.status, unsignedPass.body.code]).toEqual([409, 'ticket_not_signed']);
    await ok(act(hunan, no, 'sign'));
    const subs = await http('GET', `${p.urls.dispatch}/api/v1/sub-units`, { token: hunan });
    expect(subs.body.items.map((u: { unitId: string }) => u.unitId)).toEqual(['gulou-hunan-matai']);
    expect((await desk(matai, no)).status).toBe(404);
    // A street passes only to its own communities: not to its sister street.
    const sister = await act(hunan, no, 'sub-dispatch', { subUnitId: 'gulou-ninghai', note: '请办理' });
    expect([sister.status, sister.body.code]).toEqual([400, 'unknown_unit']);

    // The street gives its community no more than the time it was given.
    const beyond = new Date(Date.parse(streetDue) + 60_000).toISOString();
    const past = await act(hunan, no, 'sub-dispatch', {
      subUnitId: 'gulou-hunan-matai',
      note: '请办理',
      dueAt: beyond,
    });
    expect([past.status, past.body.code]).toEqual([400, 'validation_failed']);
    const slip = await upload(hunan, '街道审批单.pdf');
    const pass = {
      subUnitId: 'gulou-hunan-matai',
      subTicketNo: '湖南路三级-0042',
      dueAt: streetDue,
      note: '请社区今日上门协调清理，结果报街道审核。',
      attachmentIds: [slip],
    };
    expect(await ok(act(hunan, no, 'sub-dispatch', pass, 'street-pass'))).toMatchObject({
      status: 'signed',
      alreadyApplied: false,
    });
    expect(await ok(act(hunan, no, 'sub-dispatch', pass))).toMatchObject({ alreadyApplied: true });
    // The same pass with other instructions is not taken as if it had been.
    const changed = await act(hunan, no, 'sub-dispatch', { ...pass, note: '请社区三日内处理。' });
    expect([changed.status, changed.body.code]).toEqual([409, 'sub_dispatch_open']);
    const atCommunity = await eventually('on the community’s desk', async () => {
      const r = await desk(matai, no);
      return r.status === 200 ? r.body : null;
    });
    // Each level is held to the time its pass gave it (the one the workflow reminds it of), not the lead's.
    expect(atCommunity).toMatchObject({
      role: 'sub',
      assignmentStatus: 'dispatched',
      completeDueAt: streetDue,
    });
    expect((await desk(hunan, no)).body).toMatchObject({ role: 'sub', completeDueAt: streetDue });
    expect((await desk(hub, no)).body).toMatchObject({ role: 'lead', completeDueAt });
    // The community sees the pass to it (not the district's to the street), and the street's slip.
    expect(atCommunity.subDispatches).toEqual([
      expect.objectContaining({
        type: 'ticket.sub_dispatched',
        subUnitId: 'gulou-hunan-matai',
        data: expect.objectContaining({
          unitId: 'gulou-hunan',
          subTicketNo: '湖南路三级-0042',
          dueAt: streetDue,
        }),
      }),
    ]);
    expect(await files(matai)).toEqual(['街道审批单.pdf']);
    // The street sees its own pass and the one it made.
    expect(
      (await desk(hunan, no)).body.subDispatches.map((e: { type: string; subUnitId: string }) => [
        e.type,
        e.subUnitId,
      ]),
    ).toEqual([
      ['ticket.sub_dispatched', 'gulou-hunan'],
      ['ticket.sub_signed', 'gulou-hunan'],
      ['ticket.sub_dispatched', 'gulou-hunan-matai'],
    ]);
    // While the community has it, the street does not answer for it; the community has no sub-unit.
    const early = await act(hunan, no, 'sub-reply', { content: GOOD_REPLY });
    expect([early.status, early.body.code]).toEqual([409, 'sub_dispatch_open']);
    const further = await act(matai, no, 'sub-dispatch', { subUnitId: 'gulou-hunan', note: '退回街道' });
    expect([further.status, further.body.code]).toEqual([400, 'unknown_unit']);
    // Not the district's to review yet: nothing from the street awaits it.
    expect((await act(hub, no, 'sub-review', { approve: true, leaderName: '李副区长' })).status).toBe(409);

    const photo = await upload(matai, '清理后照片.pdf');
    const result =
      '经马台街社区上门协调，已会同物业于今日清理3栋楼道杂物共2车，消除消防隐患，并在楼道张贴告示。联系人：社区网格员。';
    await ok(act(matai, no, 'sign'));
    await ok(act(matai, no, 'sub-reply', { content: result, attachmentIds: [photo] }));
    // The street wants its leader in person: its clerk's review in the leader's name is refused.
    const byClerk = await act(hunan, no, 'sub-review', { approve: true, leaderName: '王主任' });
    expect([byClerk.status, byClerk.body.code]).toEqual([403, 'leader_review_required']);
    // Nor does the street's leader sign as another unit's leader (the district's).
    const asOther = await act(hunanLeader, no, 'sub-review', { approve: true, leaderName: '李副区长' });
    expect([asOther.status, asOther.body.code]).toEqual([403, 'leader_review_required']);
    // The street's leader approves from their own account: it goes up as the street's result.
    expect(await ok(act(hunanLeader, no, 'sub-review', { approve: true }, 'street-review'))).toMatchObject({
      status: 'signed',
    });
    expect(await files(hunan)).toEqual(['清理后照片.pdf', '街道审批单.pdf'].sort());
    expect((await desk(ninghai, no)).status).toBe(404);
    await eventually('the street’s result with the district', async () => {
      const [h, st] = await Promise.all([desk(hub, no), desk(hunan, no)]);
      return h.body.assignmentStatus === 'signed' && st.body.assignmentStatus === 'replied';
    });
    const approved = await ok(act(hub, no, 'sub-review', { approve: true, leaderName: '李副区长' }));
    expect(approved.status).toBe('replied');

    // The centre has the district's reply, in the community's words, with its photo.
    const ledger = await http('GET', `${p.urls.intake}/api/v1/tickets/${no}`, { token: reviewer });
    const history = ledger.body.history as { type: string; data: Record<string, unknown> }[];
    expect(history.at(-1)).toMatchObject({
      type: 'ticket.replied',
      data: {
        unitId: 'gulou-gov',
        content: result,
        attachments: [expect.objectContaining({ attachmentId: photo, name: '清理后照片.pdf' })],
      },
    });
    expect(
      history
        .filter((e) => e.type === 'ticket.sub_reply_reviewed')
        .map((e) => [e.data.unitId, e.data.subUnitId]),
    ).toEqual([
      ['gulou-hunan', 'gulou-hunan-matai'],
      ['gulou-gov', 'gulou-hunan'],
    ]);
    // The street's review was its leader's own, in person; the district's, recorded by its clerk.
    expect(history.filter((e) => e.type === 'ticket.sub_reply_reviewed').map((e) => e.data)).toEqual([
      expect.objectContaining({ leaderName: '王主任', byLeader: true }),
      expect.not.objectContaining({ byLeader: true }),
    ]);
    // One source of truth: the ledger, every level's desk and supervision agree.
    await eventually('each level’s part done, every copy agreeing', () =>
      agree(no, 'replied', [
        [hub, 'replied'],
        [hunan, 'closed'],
        [matai, 'closed'],
      ]),
    );
    expect((await desk(hub, no)).body.completeDueAt).toBe(completeDueAt);
  });

  it('coordinated away, the former hub’s passes go with it: the new lead sees only its own, and why it leads', async () => {
    const { no } = await signedByHub();
    await ok(act(hub, no, 'sub-dispatch', { subUnitId: 'gulou-hunan', note: '请湖南路街道现场核实处理。' }));
    await eventually('signed by the street', async () => (await act(hunan, no, 'sign')).status === 200);
    const reason = '涉及道路占用，经协调由交通运输局牵头办理，湖南路街道协助。';
    const coordinated = await http('POST', `${p.urls.intake}/api/v1/tickets/${no}/coordination`, {
      token: reviewer,
      body: { unitId: 'transport', assistingUnitIds: ['gulou-hunan'], reason },
    });
    expect(coordinated.status).toBe(200);
    const view = await eventually('on the new lead’s desk', async () => {
      const r = await desk(transport, no);
      return r.status === 200 && r.body.role === 'lead' ? r.body : null;
    });
    // The district's pass to the street was recalled with the ticket: not the new lead's to review.
    expect(view.subDispatches).toEqual([]);
    expect(view.coordination).toMatchObject({
      level: 'centre',
      unitId: 'transport',
      fromUnitId: 'gulou-gov',
      assistingUnitIds: ['gulou-hunan'],
      reason,
    });
    // The street, named to assist, sees the coordination too, and no pass (an assistant sees none).
    const street = await eventually('the street assisting', async () => {
      const r = await desk(hunan, no);
      return r.status === 200 && r.body.role === 'assisting' ? r.body : null;
    });
    expect(street.subDispatches).toEqual([]);
    expect(street.coordination).toMatchObject({ unitId: 'transport', reason });
    // A ticket never coordinated shows none.
    const other = await signedByHub();
    expect((await desk(hub, other.no)).body.coordination).toBeNull();
  });

  it('a unit that held a former hub’s pass, now assisting, runs out of sign time: not a pass on the new lead’s desk', async () => {
    const no = await signedByHubOnQuickSign('E2EMC', '协调签收时限测试');
    await ok(act(hub, no, 'sub-dispatch', { subUnitId: 'gulou-hunan', note: '请街道核实。' }));
    const coordinated = await http('POST', `${p.urls.intake}/api/v1/tickets/${no}/coordination`, {
      token: reviewer,
      body: {
        unitId: 'transport',
        assistingUnitIds: ['gulou-hunan'],
        reason: '经协调由交通运输局牵头，街道协助。',
      },
    });
    expect(coordinated.status).toBe(200);
    // The street, assisting, lets its sign time run out; the new lead made no pass.
    await eventually('the street’s sign time run out', async () => {
      const r = await http('GET', `${p.urls.intake}/api/v1/tickets/${no}`, { token: supervisor });
      return (r.body.history as { type: string; data: { unitId?: string } }[]).some(
        (e) => e.type === 'ticket.overdue' && e.data.unitId === 'gulou-hunan',
      );
    });
    const lead = await eventually('on the new lead’s desk', async () => {
      const r = await desk(transport, no);
      return r.status === 200 && r.body.role === 'lead' ? r.body : null;
    });
    expect(lead.subDispatches).toEqual([]);
  });

  it('a pass taken back takes the levels below it: the district recalls the street, and the community with it', async () => {
    const { no } = await signedByHub();
    await ok(act(hub, no, 'sub-dispatch', { subUnitId: 'gulou-hunan', note: '请街道办理。' }));
    // What the street is shown, it can act on: five signatures at once, the instant the pass is on its
    // desk, are all accepted, and one of them signed it.
    await eventually('on the street’s desk', async () => (await desk(hunan, no)).status === 200);
    const signatures = await Promise.all([1, 2, 3, 4, 5].map(() => act(hunan, no, 'sign')));
    expect(signatures.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(signatures.filter((r) => r.body.alreadyApplied === false)).toHaveLength(1);
    await ok(act(hunan, no, 'sub-dispatch', { subUnitId: 'gulou-hunan-matai', note: '请社区办理。' }));
    await eventually('on the community’s desk', async () => (await desk(matai, no)).status === 200);
    // Each level's progress notes: the district's are for the district and the street below it; the
    // street's for the district, itself and its community; none for a unit the ticket never reached.
    await ok(act(hub, no, 'progress-notes', { content: '区政府：已协调城管、住建联合处置。' }));
    await ok(act(hunan, no, 'progress-notes', { content: '湖南路街道内部：涉及居民家庭纠纷细节。' }));
    const notesOf = async (token: string) =>
      ((await desk(token, no)).body.progressNotes as { unitId: string }[]).map((n) => n.unitId);
    expect(await notesOf(hub)).toEqual(['gulou-gov', 'gulou-hunan']);
    expect(await notesOf(hunan)).toEqual(['gulou-gov', 'gulou-hunan']);
    expect(await notesOf(matai)).toEqual(['gulou-hunan']);
    // An administrator finds it in the Temporal UI by any unit on it, down to the community.
    for (const unit of ['gulou-gov', 'gulou-hunan', 'gulou-hunan-matai'])
      await eventually(`found by ${unit}`, () => foundByUnit(no, unit));
    expect(await foundByUnit(no, 'gulou-ninghai')).toBe(false);
    await ok(act(hub, no, 'sub-recall', { reason: '街道、社区逾时未报结果，改由区政府直接办理。' }));
    await eventually('taken back from both', async () => {
      const [st, c] = await Promise.all([desk(hunan, no), desk(matai, no)]);
      return st.body.access === 'own_actions' && c.body.access === 'own_actions';
    });
    expect((await act(matai, no, 'sub-reply', { content: GOOD_REPLY })).status).toBe(404);
    await eventually('no longer found by the street', async () => !(await foundByUnit(no, 'gulou-hunan')));
    expect(await foundByUnit(no, 'gulou-hunan-matai')).toBe(false);
    expect(await foundByUnit(no, 'gulou-gov')).toBe(true);
    // Passed to another street: it reads the district's notes, not what the street before it noted.
    await ok(act(hub, no, 'sub-dispatch', { subUnitId: 'gulou-ninghai', note: '改由宁海路街道办理。' }));
    await eventually('on the other street’s desk', async () => (await desk(ninghai, no)).status === 200);
    expect(await notesOf(ninghai)).toEqual(['gulou-gov']);
    await ok(act(hub, no, 'sub-recall', { reason: '改由区政府直接办理。' }));
    await eventually('taken back', async () => (await desk(ninghai, no)).body.access === 'own_actions');
    expect(await ok(act(hub, no, 'reply', { content: GOOD_REPLY }))).toMatchObject({ status: 'replied' });
  });

  it('sub-units refusing a ticket in turn raise buck-passing on the hub; a refusing street keeps only its own record', async () => {
    const { no } = await signedByHub();
    await ok(act(hub, no, 'sub-dispatch', { subUnitId: 'gulou-hunan', note: '请办理' }));
    const emptyReason = await act(hunan, no, 'sub-decline', { reason: '' });
    expect(emptyReason.status).toBe(400);
    const decline = { reason: '该地址属宁海路街道辖区。' };
    const declined = await ok(act(hunan, no, 'sub-decline', decline, `decline-${no}`));
    const after = await eventually('withdrawn from the street', async () => {
      const r = await desk(hunan, no);
      return r.body.access === 'own_actions' ? r.body : null;
    });
    expect(after).not.toHaveProperty('content');
    // The street's retry of its decline (the answer was lost on the way) gets that answer, not a 404
    // for the assignment the decline itself withdrew.
    const retry = await act(hunan, no, 'sub-decline', decline, `decline-${no}`);
    expect([retry.status, retry.body]).toEqual([200, declined]);
    expect((await act(hunan, no, 'sub-reply', { content: GOOD_REPLY })).status).toBe(404);

    await ok(act(hub, no, 'sub-dispatch', { subUnitId: 'gulou-ninghai', note: '请办理' }));
    await ok(act(ninghai, no, 'sub-decline', { reason: '该地址属湖南路街道辖区。' }));
    const orders = await eventually('the buck-passing order on the hub', async () => {
      const r = await http('GET', `${p.urls.supervision}/api/v1/orders?ticketNo=${no}`, {
        token: supervisor,
      });
      const found = (r.body.items ?? []).filter((o: { trigger: string }) => o.trigger === 'buck_passing');
      return found.length > 0 ? found : null;
    });
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({ unitId: 'gulou-gov', kind: 'order' });

    // Passed again to the first street, which now has it again.
    await ok(
      act(hub, no, 'sub-dispatch', { subUnitId: 'gulou-hunan', note: '经核实属你街道辖区，请办理。' }),
    );
    await eventually(
      'the street has it again',
      async () => (await desk(hunan, no)).body.assignmentStatus === 'dispatched',
    );
    // Passing it on while the street has not answered recalls it from the street.
    await ok(act(hub, no, 'sub-dispatch', { subUnitId: 'gulou-ninghai', note: '改由宁海路街道办理。' }));
    await eventually('recalled', async () => (await desk(hunan, no)).body.access === 'own_actions');
    const late = await act(hunan, no, 'sub-reply', { content: GOOD_REPLY });
    expect(late.status).toBe(404);
    // The hub takes the ticket back from a street that does not act, and answers the centre itself.
    await ok(act(hub, no, 'sub-recall', { reason: '宁海路街道逾时未接单，改由区政府直接办理。' }, 'r1'));
    expect(await ok(act(hub, no, 'sub-recall', { reason: '再次收回' }))).toMatchObject({
      alreadyApplied: true,
    });
    await eventually('taken back', async () => (await desk(ninghai, no)).body.access === 'own_actions');
    expect(await ok(act(hub, no, 'reply', { content: GOOD_REPLY }))).toMatchObject({ status: 'replied' });
  });

  it('a street that signs late is scored for it (PA −0.5), not the hub that passed the ticket on', async () => {
    const no = await signedByHubOnQuickSign('E2EML', '多级签收时限测试');
    await ok(act(hub, no, 'sub-dispatch', { subUnitId: 'gulou-hunan', note: '请办理' }));
    const atStreet = await eventually('on the street’s desk', async () => {
      const r = await desk(hunan, no);
      return r.status === 200 ? r.body : null;
    });
    expect(Date.parse(atStreet.signDueAt) - Date.parse(atStreet.dispatchedAt)).toBeLessThan(5_000);
    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(atStreet.signDueAt) - Date.now()) + 500));
    await ok(act(hunan, no, 'sign'));

    const events: { type: string; data: Record<string, unknown> }[] = await p.db.query(
      `SELECT type, data FROM ticket.ticket_events WHERE ticket_no = $1 AND type IN ('ticket.signed', 'ticket.sub_signed') ORDER BY seq`,
      [no],
    );
    const subSigned = events.find((e) => e.type === 'ticket.sub_signed');
    expect(subSigned?.data).toMatchObject({ subUnitId: 'gulou-hunan', late: true });
    const hubLate = events.find((e) => e.type === 'ticket.signed')?.data.late === true;

    const lateSigns = (unit: string) => lateSignsOf(p, supervisor, unit);
    await eventually('the late signature counted against the street', async () =>
      (await lateSigns('gulou-hunan')).includes(no),
    );
    expect((await lateSigns('gulou-hunan')).filter((n) => n === no)).toHaveLength(1);
    // The hub is counted only for its own signature, if that was late too (a 2-second limit).
    expect((await lateSigns('gulou-gov')).includes(no)).toBe(hubLate);
    const [row] = await p.db.query(
      `SELECT unit_id AS "unitId", role FROM supervision.late_signs WHERE ticket_no = $1 AND unit_id = 'gulou-hunan'`,
      [no],
    );
    expect(row).toEqual({ unitId: 'gulou-hunan', role: 'sub' });
    // The units overview has a line for the street, though it leads no ticket of its own.
    const overview = await http('GET', `${p.urls.supervision}/api/v1/units/overview?limit=200`, {
      token: supervisor,
    });
    const street = overview.body.items.find((u: { unitId: string }) => u.unitId === 'gulou-hunan');
    expect(street?.lateSigns).toBeGreaterThanOrEqual(1);
  });

  it("a sub-unit without a time of its own follows its hub's deadline when the hub's is extended", async () => {
    const { no } = await signedByHub();
    await ok(act(hub, no, 'sub-dispatch', { subUnitId: 'gulou-ninghai', note: '请现场核实处理。' }));
    await eventually('on the street’s desk', async () => (await desk(ninghai, no)).status === 200);
    await ok(
      act(hub, no, 'extension', { requested: { amount: 2, unit: 'days' }, reason: '需协调多个部门现场处置' }),
    );
    const decided = await http('POST', `${p.urls.intake}/api/v1/tickets/${no}/extension-decision`, {
      token: reviewer,
      body: { approve: true },
    });
    expect(decided.status).toBe(200);
    const [{ data }] = await p.db.query(
      `SELECT data FROM ticket.ticket_events WHERE ticket_no = $1 AND type = 'ticket.extension_decided'`,
      [no],
    );
    const hubDue = new Date(data.completeDueAt as string).toISOString();
    await eventually(
      'the hub’s desk has it',
      async () => (await desk(hub, no)).body.completeDueAt === hubDue,
    );
    await eventually(
      'the street’s desk follows it',
      async () => (await desk(ninghai, no)).body.completeDueAt === hubDue,
    );
  });
});
