import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { temporal as temporalProto } from '@temporalio/proto';
import { createKafka, createTemporalClient, TicketLedgerRepository } from '@hotline/platform';
import type { PendingEvent } from '@hotline/platform';
import {
  assistingOn,
  planClockId,
  snapshotOf,
  TICKET_EVENTS_TOPIC,
  ticketWorkflowId,
  topicName,
  transitionEventIds,
} from '@hotline/shared';
import type { TicketState } from '@hotline/shared';
import {
  eventually,
  http,
  lateSignsOf,
  login,
  startPlatform,
  TICKET_BODY,
  WITHDRAWN_UNIT_NEVER_SEES,
} from '../harness';
import type { Platform } from '../harness';

/**
 * The ticket's state has one source, the workflow; the ledger (intake), the unit's desk (dispatch)
 * and supervision copy what the events carry. After every transition of the lifecycle, all four
 * must say the same. And what a unit is shown, it can act on at once.
 */
describe('one source of truth for the ticket state', () => {
  let p: Platform;
  let temporal: Client;
  let operator: string;
  let reviewer: string;
  let supervisor: string;
  let forum: string;
  const clerks: Record<string, string> = {};

  beforeAll(async () => {
    p = await startPlatform();
    temporal = await createTemporalClient(p.config);
    operator = await login(p.urls.intake, 'operator');
    reviewer = await login(p.urls.intake, 'reviewer');
    supervisor = await login(p.urls.intake, 'supervisor');
    forum = await login(p.urls.intake, 'forum');
    for (const unit of ['transport', 'housing']) clerks[unit] = await login(p.urls.intake, `clerk.${unit}`);
  });

  afterAll(async () => {
    await temporal?.connection.close();
    await p?.stop();
  });

  const create = async (extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) => {
    const r = await http('POST', `${p.urls.intake}/api/v1/tickets`, {
      token: operator,
      headers,
      body: { ...TICKET_BODY, ...extra },
    });
    expect(r.status).toBe(201);
    return r.body.ticketNo as string;
  };
  const unitAction = (unit: string, ticketNo: string, action: string, body?: unknown, key?: string) =>
    http('POST', `${p.urls.dispatch}/api/v1/tickets/${ticketNo}/${action}`, {
      token: clerks[unit],
      body,
      headers: key ? { 'idempotency-key': key } : {},
    });
  const centre = (ticketNo: string, action: string, body: unknown) =>
    http('POST', `${p.urls.intake}/api/v1/tickets/${ticketNo}/${action}`, { token: reviewer, body });
  const callback = (ticketNo: string, mode: 'sms' | 'manual', verdict: string | null) =>
    http('POST', `${p.urls.evaluation}/api/v1/callbacks/${ticketNo}/${mode}`, {
      token: operator,
      body: { verdict },
    });
  const ok = async (r: Promise<{ status: number; body: unknown }>) => {
    const res = await r;
    if (res.status !== 200) throw new Error(`expected 200, got ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body as { status: string; alreadyApplied: boolean };
  };
  const workflowState = (ticketNo: string) =>
    temporal.workflow.getHandle(ticketWorkflowId(ticketNo)).query<TicketState>('state');

  /**
   * Writes one event as the worker would in the workflow's next place, for an attempt the Temporal
   * server then drops (seen under load: "Task not found when completing"): the workflow never makes
   * that transition. Returns the event's id.
   */
  async function writeAsLostAttempt(
    ticketNo: string,
    updateId: string | null,
    event: Pick<PendingEvent, 'type' | 'actor' | 'data' | 'state'>,
  ): Promise<string> {
    const [{ runId, serial }] = await p.db.query(
      `SELECT run_id AS "runId", max(serial)::int AS serial FROM ticket.ticket_events
       WHERE ticket_no = $1 AND run_id IS NOT NULL GROUP BY run_id`,
      [ticketNo],
    );
    const place = { runId, serial: serial + 1 };
    const [id] = transitionEventIds({ ...place, updateId }, 1);
    await new TicketLedgerRepository(p.db, p.config.kafkaPrefix).recordTransition(
      [{ ...event, id, ticketNo, occurredAt: new Date().toISOString() } as PendingEvent],
      place,
    );
    return id;
  }

  /** What a failed wait on an order needs to be understood: its row, its ticket's record, its workflow. */
  async function orderDiagnosis(ticketNo: string): Promise<string> {
    const rows = await p.db.query(
      `SELECT id, trigger, status, outcome, source_event_id, source_voided_at FROM supervision.orders
       WHERE ticket_no = $1`,
      [ticketNo],
    );
    const events = await p.db.query(
      `SELECT e.seq, e.type, e.serial, e.voided_by IS NOT NULL AS voided,
         array(SELECT consumer FROM platform.inbox i WHERE i.event_id = e.event_id) AS consumed_by
       FROM ticket.ticket_events e WHERE ticket_no = $1 ORDER BY seq`,
      [ticketNo],
    );
    const workflows = await Promise.all(
      rows.map(async (r: { id: string }) => {
        try {
          const h = temporal.workflow.getHandle(`supervision-order-${r.id}`);
          const d = await h.describe();
          const history = await h.fetchHistory();
          return {
            status: d.status.name,
            pendingTask: d.raw.pendingWorkflowTask ?? null,
            history: history.events?.map((e) =>
              String(temporalProto.api.enums.v1.EventType[e.eventType ?? 0]).replace('EVENT_TYPE_', ''),
            ),
          };
        } catch (err) {
          return { error: (err as Error).message };
        }
      }),
    );
    return JSON.stringify({ rows, events, workflows });
  }

  /**
   * Waits until the ledger, every unit's desk and supervision show what the workflow holds, and
   * returns it. The workflow's snapshot is the expectation; nothing here computes a status.
   */
  /**
   * The lead unit's desk shows the deadlines the workflow holds it to: the reply deadline while it
   * has one running (after an extension, a reply sent back, a rectification), and the return window.
   */
  const sameInstant = (a: string | null | undefined, b: string | null | undefined) =>
    (a ?? null) === null ? (b ?? null) === null : Date.parse(a!) === Date.parse(b ?? '');
  const deadlinesAgree = (
    wf: TicketState,
    d: { role: string; want: string; completeDueAt: string | null; returnWindowEndsAt: string | null },
  ): boolean => {
    if (d.role !== 'lead') return d.completeDueAt === null && d.returnWindowEndsAt === null;
    if (!['dispatched', 'signed', 'rectifying'].includes(d.want)) return true;
    return (
      sameInstant(d.completeDueAt, wf.deadlines.complete?.dueAt) &&
      (wf.returnWindowEndsAt === null || sameInstant(d.returnWindowEndsAt, wf.returnWindowEndsAt))
    );
  };

  async function agree(ticketNo: string, expected: string): Promise<TicketState> {
    let last = '';
    const state = await eventually(
      `ticket ${ticketNo} to agree everywhere on ${expected}`,
      async () => {
        const wf = await workflowState(ticketNo);
        const snap = snapshotOf(wf);
        const ledger = await http('GET', `${p.urls.intake}/api/v1/tickets/${ticketNo}`, {
          token: supervisor,
        });
        const facts = await http('GET', `${p.urls.supervision}/api/v1/tickets/${ticketNo}/facts`, {
          token: supervisor,
        });
        const desks = await Promise.all(
          snap.assignments.map(async (a) => {
            const r = await http('GET', `${p.urls.dispatch}/api/v1/tickets/${ticketNo}`, {
              token: clerks[a.unitId],
            });
            return {
              unitId: a.unitId,
              role: a.role,
              want: a.status,
              status: r.body.status,
              assignment: r.body.assignmentStatus,
              completeDueAt: r.body.completeDueAt as string | null,
              returnWindowEndsAt: r.body.returnWindowEndsAt as string | null,
              shown: Object.keys(r.body),
            };
          }),
        );
        last = JSON.stringify({
          workflow: wf.status,
          ledger: ledger.body.status,
          factsCompleteDueAt: facts.body.completeDueAt,
          ledgerAssisting: ledger.body.assistingUnitIds,
          facts: facts.body.status,
          desks,
        });
        const same =
          wf.status === expected &&
          ledger.body.status === wf.status &&
          ledger.body.unitId === wf.unitId &&
          // once on a desk, the ledger's assisting units are the workflow's (before, those asked for)
          (snap.assignments.length === 0 ||
            JSON.stringify(ledger.body.assistingUnitIds) === JSON.stringify(assistingOn(snap))) &&
          ledger.body.history.at(-1)?.state?.status === wf.status &&
          facts.body.status === wf.status &&
          // supervision scores the reply against the deadline the workflow holds the unit to
          (!['dispatched', 'signed', 'rectifying'].includes(wf.status) ||
            sameInstant(facts.body.completeDueAt, wf.deadlines.complete?.dueAt)) &&
          desks.every((d) =>
            d.want === 'withdrawn'
              ? // access follows the assignment: a withdrawn unit keeps its own record, not the ticket
                d.assignment === 'withdrawn' &&
                !['status', 'title', 'content', 'complainantName', 'complainantPhone'].some((f) =>
                  d.shown.includes(f),
                )
              : d.status === wf.status && d.assignment === d.want && deadlinesAgree(wf, d),
          );
        return same ? wf : null;
      },
      20000,
    ).catch((err: Error) => {
      throw new Error(`${err.message}; last seen ${last}`);
    });
    return state;
  }

  it('agrees after every transition of the course, including a refused return and a reply sent back', async () => {
    const no = await create();
    await agree(no, 'dispatched');
    await ok(unitAction('transport', no, 'sign'));
    await agree(no, 'signed');
    await ok(
      unitAction('transport', no, 'return', { reason: '不属于本单位职责', suggestedUnitId: 'housing' }),
    );
    await agree(no, 'returned');
    // Refused: the ticket is back with the unit, signed; everyone says so (they once said "returned").
    await ok(centre(no, 'return-decision', { approve: false, note: '属于本单位职责' }));
    await agree(no, 'signed');
    await ok(
      unitAction('transport', no, 'extension', {
        requested: { amount: 12, unit: 'hours' },
        reason: '需协调管线',
      }),
    );
    await ok(centre(no, 'extension-decision', { approve: true }));
    await agree(no, 'signed');
    const reply = { content: '经核实，已于今日安排养护科更换破损地砖12块，现已修复完毕，恢复通行。' };
    await ok(unitAction('transport', no, 'reply', reply));
    await agree(no, 'replied');
    // Sent back: with the unit again (they once said "replied").
    await ok(centre(no, 'review', { approve: false, note: '请补充整改照片。' }));
    await agree(no, 'signed');
    await ok(unitAction('transport', no, 'reply', reply));
    await agree(no, 'replied');
    await ok(centre(no, 'review', { approve: true }));
    await agree(no, 'callback');
    await ok(callback(no, 'sms', 'unsatisfied'));
    await agree(no, 'callback');
    await ok(callback(no, 'manual', 'unsatisfied'));
    const rectifying = await agree(no, 'rectifying');
    expect(snapshotOf(rectifying).assignments).toEqual([
      { unitId: 'transport', role: 'lead', status: 'rectifying' },
    ]);
    // Sent back in a rectification round: rectifying, not "signed".
    await ok(unitAction('transport', no, 'reply', reply));
    await agree(no, 'replied');
    await ok(centre(no, 'review', { approve: false, note: '请说明整改完成时间。' }));
    await agree(no, 'rectifying');
    // The unit's desk shows what the centre decided on its handling, and the callbacks that
    // sent it back to rectify: what it has to complete, and why.
    const desk = await http('GET', `${p.urls.dispatch}/api/v1/tickets/${no}`, { token: clerks.transport });
    expect(
      desk.body.centreDecisions.map(
        (d: { type: string; approved: boolean | null; note: string; verdict: string | null }) => [
          d.type.replace('ticket.', ''),
          d.approved,
          d.note || d.verdict,
        ],
      ),
    ).toEqual([
      ['return_decided', false, '属于本单位职责'],
      ['extension_decided', true, null],
      ['reply_reviewed', false, '请补充整改照片。'],
      ['reply_reviewed', true, null],
      ['callback_answered', null, 'unsatisfied'],
      ['callback_answered', null, 'unsatisfied'],
      ['rectification_ordered', null, null],
      ['reply_reviewed', false, '请说明整改完成时间。'],
    ]);
    await ok(unitAction('transport', no, 'reply', reply));
    await ok(centre(no, 'review', { approve: true }));
    await ok(callback(no, 'sms', 'satisfied'));
    await agree(no, 'closed');
  });

  it('agrees on a ticket answered on a three-way call: the callback, then closed, on no desk', async () => {
    const no = await create({
      disposition: {
        type: 'three_way_call',
        unitId: 'transport',
        participant: '养护科王工',
        summary: '养护科王工在通话中答复：已安排今日下午更换破损地砖。',
      },
    });
    expect(snapshotOf(await agree(no, 'callback')).assignments).toEqual([]);
    await ok(callback(no, 'sms', 'satisfied'));
    await agree(no, 'closed');
  });

  it('agrees when a return is approved: the first unit is withdrawn, the new one has it', async () => {
    const no = await create({ assistingUnitIds: ['housing'] });
    await agree(no, 'dispatched');
    await ok(unitAction('housing', no, 'sign'));
    // The assisting unit's desk says where the ticket stands for it, beside the ticket's own status.
    const assisting = await http('GET', `${p.urls.dispatch}/api/v1/tickets/${no}`, { token: clerks.housing });
    expect(assisting.body).toMatchObject({ statusLabel: '已派单', assignmentStatusLabel: '办理中' });
    await ok(
      unitAction('transport', no, 'return', { reason: '不属于本单位职责', suggestedUnitId: 'market' }),
    );
    await agree(no, 'returned');
    // Approved, it goes on to another unit, not back to the one returning it (nothing changes).
    const back = await centre(no, 'return-decision', { approve: true, redispatchToUnitId: 'transport' });
    expect([back.status, back.body.code, back.body.field]).toEqual([
      400,
      'validation_failed',
      'redispatchToUnitId',
    ]);
    await agree(no, 'returned');
    await ok(centre(no, 'return-decision', { approve: true, redispatchToUnitId: 'housing' }));
    const s = await agree(no, 'dispatched');
    expect(snapshotOf(s).assignments).toEqual(
      expect.arrayContaining([
        { unitId: 'transport', role: 'lead', status: 'withdrawn' },
        { unitId: 'housing', role: 'lead', status: 'dispatched' },
      ]),
    );

    // Access follows the assignment: the withdrawn unit keeps its own record only.
    const desk = (query = '') =>
      http('GET', `${p.urls.dispatch}/api/v1/tickets${query}`, { token: clerks.transport });
    const detail = await desk(`/${no}`);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({
      ticketNo: no,
      assignmentStatus: 'withdrawn',
      assignmentStatusLabel: '已改由其他单位办理',
      access: 'own_actions',
    });
    for (const f of [...WITHDRAWN_UNIT_NEVER_SEES, 'status']) expect(detail.body).not.toHaveProperty(f);
    expect(JSON.stringify(detail.body)).not.toMatch(/中山路|13800138000|138\*+8000/);
    expect(detail.body.actions.map((e: { type: string }) => e.type)).toEqual(['ticket.returned']);
    expect((await desk('?limit=200')).body.items.map((t: { ticketNo: string }) => t.ticketNo)).not.toContain(
      no,
    );
    const withdrawn = (await desk('?status=withdrawn&limit=200')).body.items.find(
      (t: { ticketNo: string }) => t.ticketNo === no,
    );
    expect(withdrawn).toMatchObject({ ticketNo: no, assignmentStatus: 'withdrawn', access: 'own_actions' });
    expect(withdrawn).not.toHaveProperty('content');
    const sign = await unitAction('transport', no, 'sign');
    expect([sign.status, sign.body.code]).toEqual([404, 'ticket_not_found']);
  });

  it('agrees when the centre coordinates (协调): the designated lead has it, the former lead assists', async () => {
    const no = await create();
    await agree(no, 'dispatched');
    await ok(unitAction('transport', no, 'sign'));
    await agree(no, 'signed');
    const reason = '职责交叉，经协调由住建局牵头办理，交通局协助。';
    const body = { unitId: 'housing', assistingUnitIds: ['transport'], reason };
    // Bad input first: nothing moves.
    const bad = await Promise.all([
      centre(no, 'coordination', { ...body, reason: '' }),
      centre(no, 'coordination', { ...body, reason: ' \u200b ' }),
      centre(no, 'coordination', { ...body, unitId: 'no-such-unit' }),
      centre(no, 'coordination', { ...body, assistingUnitIds: ['housing'] }),
      centre(no, 'coordination', { ...body, level: 'Centre' }),
      http('POST', `${p.urls.intake}/api/v1/tickets/${no}/coordination`, { token: clerks.transport, body }),
    ]);
    expect(bad.map((r) => [r.status, r.body.code])).toEqual([
      [400, 'validation_failed'],
      [400, 'validation_failed'],
      [400, 'unknown_unit'],
      [400, 'validation_failed'],
      [400, 'validation_failed'],
      [403, 'forbidden'],
    ]);
    await agree(no, 'signed');

    expect(await ok(centre(no, 'coordination', body))).toMatchObject({
      status: 'dispatched',
      alreadyApplied: false,
    });
    const s = await agree(no, 'dispatched');
    expect(s).toMatchObject({ unitId: 'housing', formerUnitIds: ['transport'] });
    expect(snapshotOf(s).assignments).toEqual([
      { unitId: 'housing', role: 'lead', status: 'dispatched' },
      { unitId: 'transport', role: 'assisting', status: 'dispatched' },
    ]);
    // The same designation again (a second click) is already applied.
    expect(await ok(centre(no, 'coordination', body))).toMatchObject({ alreadyApplied: true });
    const history = (await http('GET', `${p.urls.intake}/api/v1/tickets/${no}`, { token: supervisor })).body
      .history as { type: string; data: Record<string, unknown> }[];
    expect(history.filter((e) => e.type === 'ticket.coordinated').map((e) => e.data)).toEqual([
      {
        fromUnitId: 'transport',
        unitId: 'housing',
        unitName: expect.any(String),
        assistingUnitIds: ['transport'],
        recalledSubUnitIds: [],
        withdrawnExtension: null,
        reason,
        level: 'centre',
      },
    ]);

    // The former lead sees the ticket as an assisting unit (full access); the new lead acts on it.
    const seen = await http('GET', `${p.urls.dispatch}/api/v1/tickets/${no}`, { token: clerks.transport });
    expect(seen.body).toMatchObject({ ticketNo: no, role: 'assisting', access: 'full' });
    await ok(unitAction('housing', no, 'sign'));
    await ok(unitAction('transport', no, 'sign'));
    await agree(no, 'signed');
    // The designated lead handles it: whose it is was decided, no return.
    const back = await unitAction('housing', no, 'return', {
      reason: '不属于本单位职责',
      suggestedUnitId: 'market',
    });
    expect([back.status, back.body.code]).toEqual([409, 'action_rejected']);
    await agree(no, 'signed');
    // A returned ticket is the return's to decide, not a coordination's.
    const other = await create();
    await agree(other, 'dispatched');
    await ok(
      unitAction('transport', other, 'return', { reason: '不属于本单位职责', suggestedUnitId: 'market' }),
    );
    await agree(other, 'returned');
    const onReturn = await centre(other, 'coordination', {
      unitId: 'market',
      reason: '协调由市场监管局牵头',
    });
    expect([onReturn.status, onReturn.body.code]).toEqual([409, 'action_rejected']);
  });

  it('corrects the record when a lost attempt wrote a transition the workflow never made', async () => {
    // A lost attempt's return, which the workflow never makes: the clerk signs instead.
    const no = await create();
    await agree(no, 'dispatched');
    const before = snapshotOf(await workflowState(no));
    const ghost = await writeAsLostAttempt(no, 'return:lost', {
      type: 'ticket.returned',
      actor: { kind: 'user', userId: 'clerk.transport', role: 'unit_clerk', unitId: 'transport' },
      data: { unitId: 'transport', reason: '不属于本单位职责', suggestedUnitId: null },
      state: { ...before, status: 'returned' },
    });
    const facts = () =>
      http('GET', `${p.urls.supervision}/api/v1/tickets/${no}/facts`, { token: supervisor }).then(
        (r) => r.body,
      );
    await eventually('supervision to count the lost return', async () => (await facts()).returnCount === 1);

    await ok(unitAction('transport', no, 'sign'));
    await agree(no, 'signed');
    const history = (await http('GET', `${p.urls.intake}/api/v1/tickets/${no}`, { token: supervisor })).body
      .history as { type: string; data: unknown }[];
    expect(history.map((e) => e.type)).toEqual([
      'ticket.created',
      'ticket.dispatched',
      'ticket.signed',
      'ticket.record_corrected',
    ]);
    expect(history[3].data).toEqual({ voided: [{ eventId: ghost, type: 'ticket.returned', seq: 3 }] });
    // Supervision builds the ticket's facts again from what stands: no return, the sign kept.
    await eventually('supervision to take the return back', async () => {
      const f = await facts();
      return f.returnCount === 0 && f.status === 'signed' && f.signedAt !== null;
    });
  });

  it('withdraws a supervision order that a lost attempt’s event raised', async () => {
    // A lost attempt's timer marked the sign deadline missed; supervision raised a reminder on it.
    const no = await create();
    await agree(no, 'dispatched');
    await writeAsLostAttempt(no, null, {
      type: 'ticket.overdue',
      actor: { kind: 'system' },
      data: { deadline: 'sign', dueAt: new Date().toISOString(), unitId: 'transport' },
      state: snapshotOf(await workflowState(no)),
    });
    // Only the reminder on the overdue: the same complainant's earlier tickets (every test's, in the
    // run's database) may have raised a repeated-complaint order on the dispatch too.
    const orders = async () =>
      (
        (await http('GET', `${p.urls.supervision}/api/v1/orders?ticketNo=${no}`, { token: supervisor })).body
          .items as {
          trigger: string;
          status: string;
          outcome: string | null;
          reviewComment: string | null;
        }[]
      ).filter((o) => o.trigger === 'overdue_without_feedback');
    await eventually('the reminder on the lost overdue', async () => (await orders()).length === 1);

    await ok(unitAction('transport', no, 'sign'));
    await agree(no, 'signed');
    // At once after the correction, or by the sweep should Temporal not take it then.
    const [order] = await eventually(
      'the reminder withdrawn',
      async () => {
        const o = await orders();
        return o[0]?.status === 'closed' ? o : null;
      },
      60_000,
    ).catch(async (err: Error) => {
      throw new Error(`${err.message}; ${await orderDiagnosis(no)}`);
    });
    expect(order).toMatchObject({
      trigger: 'overdue_without_feedback',
      status: 'closed',
      outcome: 'withdrawn',
    });
    expect(order.reviewComment).toMatch(/记录已更正/);
    expect(
      (await http('GET', `${p.urls.supervision}/api/v1/tickets/${no}/facts`, { token: supervisor })).body,
    ).toMatchObject({ overdueCount: 0, status: 'signed' });
  });

  it('counts an assisting unit’s late signature against it, and takes it back with a lost attempt', async () => {
    // A lost attempt's late signature of the assisting unit: supervision counts it against housing
    // (PA: −0.5 each, whatever the unit's role), until the real signature voids it.
    const no = await create({ assistingUnitIds: ['housing'] });
    await agree(no, 'dispatched');
    const lost = await writeAsLostAttempt(no, 'assist-sign:lost', {
      type: 'ticket.assistance_signed',
      actor: { kind: 'user', userId: 'clerk.housing', role: 'unit_clerk', unitId: 'housing' },
      data: { unitId: 'housing', late: true },
      state: snapshotOf(await workflowState(no)),
    });
    const lateSigns = (unit: string) => lateSignsOf(p, supervisor, unit);
    await eventually('the late signature counted against housing', async () =>
      (await lateSigns('housing')).includes(no),
    );
    expect(await lateSigns('transport')).not.toContain(no);
    const [row] = await p.db.query(`SELECT unit_id, role FROM supervision.late_signs WHERE event_id = $1`, [
      lost,
    ]);
    expect(row).toEqual({ unit_id: 'housing', role: 'assisting' });

    await ok(unitAction('housing', no, 'sign'));
    await eventually(
      'the lost late signature taken back',
      async () => !(await lateSigns('housing')).includes(no),
    );
    expect(await p.db.query(`SELECT 1 FROM supervision.late_signs WHERE ticket_no = $1`, [no])).toEqual([]);
  });

  it('withdraws a per-ticket order a lost attempt raised, and raises it again on a real event', async () => {
    // One real return (approved, to housing); then a lost attempt's second return, which meets the
    // buck-passing condition (two returns) and raises its order.
    const no = await create();
    await agree(no, 'dispatched');
    await ok(
      unitAction('transport', no, 'return', { reason: '不属于本单位职责', suggestedUnitId: 'housing' }),
    );
    await agree(no, 'returned');
    await ok(centre(no, 'return-decision', { approve: true, redispatchToUnitId: 'housing' }));
    await agree(no, 'dispatched');
    await writeAsLostAttempt(no, 'return:lost', {
      type: 'ticket.returned',
      actor: { kind: 'user', userId: 'clerk.housing', role: 'unit_clerk', unitId: 'housing' },
      data: { unitId: 'housing', reason: '不属于本单位职责', suggestedUnitId: null },
      state: { ...snapshotOf(await workflowState(no)), status: 'returned' },
    });
    const buckPassing = async () =>
      (
        (await http('GET', `${p.urls.supervision}/api/v1/orders?ticketNo=${no}`, { token: supervisor })).body
          .items as { id: string; trigger: string; status: string; outcome: string | null }[]
      ).filter((o) => o.trigger === 'buck_passing');
    const [ghost] = await eventually('the order on the lost return', async () => {
      const o = await buckPassing();
      return o.length === 1 ? o : null;
    });

    // The clerk signs instead: the lost return is voided and its order withdrawn.
    await ok(unitAction('housing', no, 'sign'));
    await agree(no, 'signed');
    await eventually('the order withdrawn', async () => {
      const o = await buckPassing();
      return o.length === 1 && o[0].status === 'closed' && o[0].outcome === 'withdrawn';
    });
    const facts = () =>
      http('GET', `${p.urls.supervision}/api/v1/tickets/${no}/facts`, { token: supervisor }).then(
        (r) => r.body,
      );
    await eventually('one return counted', async () => (await facts()).returnCount === 1);

    // A real second return meets the condition: a new order, the withdrawn one stays closed.
    await ok(unitAction('housing', no, 'return', { reason: '不属于本单位职责', suggestedUnitId: 'market' }));
    await agree(no, 'returned');
    const after = await eventually('a new order on the real return', async () => {
      const o = await buckPassing();
      return o.length === 2 ? o : null;
    });
    expect(after.find((o) => o.id === ghost.id)).toMatchObject({ status: 'closed', outcome: 'withdrawn' });
    expect(after.find((o) => o.id !== ghost.id)).toMatchObject({ status: 'open', outcome: null });
  });

  /** The verdict evaluation counts for the ticket, and supervision's copy of it. */
  const counted = async (ticketNo: string) => {
    const [e] = await p.db.query(
      `SELECT counted_verdict AS verdict, counted_source AS source FROM evaluation.ticket_satisfaction
       WHERE ticket_no = $1`,
      [ticketNo],
    );
    const [s] = await p.db.query(
      `SELECT verdict, source FROM supervision.satisfaction_facts WHERE ticket_no = $1`,
      [ticketNo],
    );
    return { evaluation: e ?? null, supervision: s ?? null };
  };
  const postClosureOrders = async (ticketNo: string) =>
    (
      (await http('GET', `${p.urls.supervision}/api/v1/orders?ticketNo=${ticketNo}`, { token: supervisor }))
        .body.items as { id: string; trigger: string; status: string; outcome: string | null }[]
    ).filter((o) => o.trigger === 'unsatisfied_after_closure');
  const toCallback = async (
    no: string,
    reply: Record<string, unknown> = {
      content: '经核实，已于今日安排养护科更换破损地砖12块，现已修复完毕，恢复通行。',
    },
  ) => {
    await agree(no, 'dispatched');
    await ok(unitAction('transport', no, 'sign'));
    await ok(unitAction('transport', no, 'reply', reply));
    await ok(centre(no, 'review', { approve: true }));
    await agree(no, 'callback');
  };

  it('takes a lost attempt’s close out of the closed tickets’ register and out of satisfaction', async () => {
    // A lost attempt closed the ticket on a satisfied SMS the citizen never sent; evaluation
    // registered the close. The citizen's real answer is unsatisfied: a manual callback follows.
    const no = await create();
    await toCallback(no);
    await writeAsLostAttempt(no, 'sms:lost', {
      type: 'ticket.closed',
      actor: { kind: 'system' },
      data: { unitId: 'transport', outcome: 'satisfied' },
      state: { ...snapshotOf(await workflowState(no)), status: 'closed' },
    });
    const register = (): Promise<{ outcome: string }[]> =>
      p.db.query(`SELECT outcome FROM evaluation.closed_tickets WHERE ticket_no = $1`, [no]);
    await eventually('the lost close in the register', async () => (await register()).length === 1);

    // Until the correction arrives, the lost close and the real unsatisfied SMS count as a closed
    // ticket's verdict, and raise the post-closure order; the correction takes both back.
    await ok(callback(no, 'sms', 'unsatisfied'));
    await agree(no, 'callback');
    await eventually('the lost close out of the register', async () => (await register()).length === 0);
    await eventually('the verdict withdrawn', async () => {
      const c = await counted(no);
      return c.evaluation?.verdict === null && c.supervision === null;
    });
    await eventually(
      'the post-closure order withdrawn',
      async () => {
        const o = await postClosureOrders(no);
        return o.length === 1 && o[0].status === 'closed' && o[0].outcome === 'withdrawn';
      },
      60_000,
    );
    // The close that stands is registered, once, and its verdict counts.
    await ok(callback(no, 'manual', 'basically_satisfied'));
    await agree(no, 'closed');
    expect(
      await eventually('the real close in the register', async () => {
        const r = await register();
        return r.length === 1 ? r : null;
      }),
    ).toEqual([{ outcome: 'basically_satisfied' }]);
    const verdict = { verdict: 'basically_satisfied', source: 'manual' };
    await eventually('the real verdict counted', async () => {
      const c = await counted(no);
      return c.evaluation?.verdict === verdict.verdict && c.supervision?.verdict === verdict.verdict;
    });
    expect(await counted(no)).toEqual({ evaluation: verdict, supervision: verdict });
    const events: { type: string; data: { verdict?: string; correction?: boolean } }[] = await p.db.query(
      `SELECT type, data FROM evaluation.events WHERE ticket_no = $1 AND type LIKE 'evaluation.satisfaction_%'
       ORDER BY occurred_at, recorded_at`,
      [no],
    );
    expect(events.map((e) => [e.type, e.data.verdict ?? null])).toEqual([
      ['evaluation.satisfaction_recorded', 'unsatisfied'],
      ['evaluation.satisfaction_withdrawn', null],
      ['evaluation.satisfaction_recorded', 'basically_satisfied'],
    ]);
    expect((await postClosureOrders(no)).filter((o) => o.status !== 'closed')).toEqual([]);
  });

  it('withdraws the plan tracked on a lost attempt’s close, and tracks it again on the real close', async () => {
    const day = new Date(Date.now() + 8 * 3_600_000 + 90 * 86_400_000).toISOString().slice(0, 10);
    const no = await create();
    await toCallback(no, {
      content:
        '经核实，该路段地下排水管线老化导致路面反复破损，需整体翻修，已列入市政维修计划，由市政工程处负责施工，' +
        `计划于${day}前完成，施工期间已设置警示标志和临时通道。`,
      isPlan: true,
      plannedCompletionDate: day,
      responsibleDepartment: '市政工程处',
    });
    await writeAsLostAttempt(no, 'sms:lost', {
      type: 'ticket.closed',
      actor: { kind: 'system' },
      data: { unitId: 'transport', outcome: 'satisfied' },
      state: { ...snapshotOf(await workflowState(no)), status: 'closed' },
    });
    const plan = async () =>
      (await http('GET', `${p.urls.supervision}/api/v1/plans/${no}`, { token: supervisor })).body as {
        status: string;
        plannedCompletionDate: string;
        withdrawnAt: string | null;
      };
    await eventually('the plan tracked on the lost close', async () => (await plan()).status === 'tracking');

    // The citizen's real answer: unsatisfied. The correction voids the close; the plan is withdrawn.
    await ok(callback(no, 'sms', 'unsatisfied'));
    await agree(no, 'callback');
    const withdrawn = await eventually('the plan withdrawn', async () => {
      const x = await plan();
      return x.status === 'withdrawn' ? x : null;
    });
    expect(withdrawn.withdrawnAt).not.toBeNull();
    const report = await http('POST', `${p.urls.supervision}/api/v1/plans/${no}/completion`, {
      token: clerks.transport,
      body: { note: '排水管线已更换，路面翻修完成。' },
    });
    expect([report.status, report.body.code]).toEqual([409, 'action_rejected']);

    // The real close tracks the plan again, on its day, with its clock running.
    await ok(callback(no, 'manual', 'basically_satisfied'));
    await agree(no, 'closed');
    const again = await eventually('the plan tracked on the real close', async () => {
      const x = await plan();
      return x.status === 'tracking' ? x : null;
    });
    expect(again).toMatchObject({ plannedCompletionDate: day, withdrawnAt: null });
    const clock = await temporal.workflow.getHandle(planClockId(no, day)).describe();
    expect(clock.status.name).toBe('RUNNING');
  });

  it('counts the citizen’s real answer once a lost attempt’s answer is voided, and withdraws the order it raised', async () => {
    // A lost attempt heard "unsatisfied" by SMS; the citizen's real answer is "satisfied", and the
    // ticket closes on it. In the same round the first SMS answer counts, so the lost one did,
    // raising the post-closure order, until the correction voided it.
    const no = await create();
    await toCallback(no);
    await writeAsLostAttempt(no, 'sms:lost', {
      type: 'ticket.callback_answered',
      actor: { kind: 'system' },
      data: { mode: 'sms', verdict: 'unsatisfied', round: 1, note: '' },
      state: snapshotOf(await workflowState(no)),
    });
    await ok(callback(no, 'sms', 'satisfied'));
    await agree(no, 'closed');
    const verdict = { verdict: 'satisfied', source: 'sms' };
    await eventually('the real answer counted', async () => {
      const c = await counted(no);
      return c.evaluation?.verdict === verdict.verdict && c.supervision?.verdict === verdict.verdict;
    });
    expect(await counted(no)).toEqual({ evaluation: verdict, supervision: verdict });
    const [last] = await p.db.query(
      `SELECT data FROM evaluation.events WHERE ticket_no = $1 AND type = 'evaluation.satisfaction_recorded'
       ORDER BY occurred_at DESC, recorded_at DESC LIMIT 1`,
      [no],
    );
    expect(last.data).toMatchObject({ verdict: 'satisfied', correction: true });
    const orders = await eventually(
      'the post-closure order withdrawn',
      async () => {
        const o = await postClosureOrders(no);
        return o.length > 0 && o.every((x) => x.status === 'closed' && x.outcome === 'withdrawn') ? o : null;
      },
      60_000,
    );
    expect(orders).toHaveLength(1);
  });

  it('withdraws the vote a lost attempt’s approval opened, and opens it on the real approval', async () => {
    // A forum ticket's reply: a lost attempt approved it, and its vote window opened; the reviewer
    // in fact sends it back. The unit replies again, and that reply is approved.
    const no = await create({ channel: 'forum' });
    await agree(no, 'dispatched');
    await ok(unitAction('transport', no, 'sign'));
    const reply = {
      content: '经核实，已于今日安排养护科更换破损地砖12块，现已修复完毕，恢复通行。',
    };
    await ok(unitAction('transport', no, 'reply', reply));
    await agree(no, 'replied');
    await writeAsLostAttempt(no, 'review:lost', {
      type: 'ticket.reply_reviewed',
      actor: { kind: 'user', userId: 'reviewer', role: 'reviewer' },
      data: { unitId: 'transport', approved: true, note: '', completeDueAt: null },
      state: { ...snapshotOf(await workflowState(no)), status: 'callback' },
    });
    const window = async () =>
      (await http('GET', `${p.urls.evaluation}/api/v1/votes/${no}`, { token: forum })).body as {
        status: string;
        opensAt: string;
        withdrawnAt: string | null;
      };
    const vote = (voterId: string) =>
      http('POST', `${p.urls.evaluation}/api/v1/votes/${no}`, {
        token: forum,
        body: { voterId, verdict: 'unsatisfied' },
      });
    await eventually('the window open on the lost approval', async () => (await window()).status === 'open');
    await eventually('a vote taken in it', async () => (await vote('early-voter')).status === 200);

    await ok(centre(no, 'review', { approve: false, note: '请补充整改时间。' }));
    await agree(no, 'signed');
    const withdrawn = await eventually('the window withdrawn', async () => {
      const w = await window();
      return w.status === 'withdrawn' ? w : null;
    });
    expect((await vote('late-voter')).body.code).toBe('vote_window_not_open');
    await eventually(
      'its workflow called off',
      async () =>
        (await temporal.workflow.getHandle(`public-vote-${no}`).describe()).status.name === 'CANCELLED',
    );

    await ok(unitAction('transport', no, 'reply', reply));
    await ok(centre(no, 'review', { approve: true }));
    await agree(no, 'callback');
    const reopened = await eventually('the window open again', async () => {
      const w = await window();
      return w.status === 'open' ? w : null;
    });
    expect(Date.parse(reopened.opensAt)).toBeGreaterThan(Date.parse(withdrawn.withdrawnAt!));
    await eventually('votes taken again', async () => (await vote('late-voter')).status === 200);
    // The vote cast in the withdrawn window went with it.
    expect(
      await p.db.query(`SELECT voter_id AS "voterId" FROM evaluation.public_votes WHERE ticket_no = $1`, [
        no,
      ]),
    ).toEqual([{ voterId: 'late-voter' }]);
    const events: { type: string }[] = await p.db.query(
      `SELECT type FROM evaluation.events WHERE ticket_no = $1 AND type LIKE 'evaluation.vote_%'
       ORDER BY occurred_at, recorded_at`,
      [no],
    );
    expect(events.map((e) => e.type)).toEqual([
      'evaluation.vote_opened',
      'evaluation.vote_withdrawn',
      'evaluation.vote_opened',
    ]);
  });

  it('withdraws the expert case a lost attempt’s request opened; its evaluator can no longer decide it', async () => {
    // A lost attempt asked for expert evaluation; the case opened and went to an evaluator. The
    // citizen in fact answers satisfied, and the ticket closes on it.
    const no = await create();
    await toCallback(no);
    await writeAsLostAttempt(no, 'manual:lost', {
      type: 'ticket.evaluation_requested',
      actor: { kind: 'system' },
      data: { unitId: 'transport', verdict: 'unsatisfied' },
      state: snapshotOf(await workflowState(no)),
    });
    const holder = await eventually('the case assigned', async () => {
      const rows: { userId: string }[] = await p.db.query(
        `SELECT e.user_id AS "userId" FROM evaluation.expert_assignments a
         JOIN evaluation.evaluators e ON e.id = a.evaluator_id WHERE a.ticket_no = $1 AND a.attempt = 1`,
        [no],
      );
      return rows[0];
    });

    await ok(callback(no, 'sms', 'satisfied'));
    await agree(no, 'closed');
    const caseOf = async () =>
      (await http('GET', `${p.urls.evaluation}/api/v1/expert-cases/${no}`, { token: reviewer })).body as {
        status: string;
      };
    await eventually('the case withdrawn', async () => (await caseOf()).status === 'withdrawn');
    expect(
      await p.db.query(`SELECT outcome FROM evaluation.expert_assignments WHERE ticket_no = $1`, [no]),
    ).toEqual([{ outcome: 'case_withdrawn' }]);
    const evaluator = await login(p.urls.intake, holder.userId);
    const late = await http('POST', `${p.urls.evaluation}/api/v1/expert-cases/${no}/verdict`, {
      token: evaluator,
      body: { verdict: 'unsatisfied', reason: '答复未解决诉求' },
    });
    expect([late.status, late.body.code]).toEqual([409, 'expert_case_withdrawn']);
    await eventually(
      'its workflow called off',
      async () =>
        (await temporal.workflow.getHandle(`expert-evaluation-${no}`).describe()).status.name === 'CANCELLED',
    );
    const [withdrawal] = await p.db.query(
      `SELECT data FROM evaluation.events WHERE ticket_no = $1 AND type = 'evaluation.expert_case_withdrawn'`,
      [no],
    );
    expect(withdrawal.data).toMatchObject({ caseId: no, unitId: 'transport', reason: 'record_corrected' });
    expect(withdrawal.data.evaluatorId).toEqual(expect.any(String));
    // The evaluator who held it is told, once, that it is off.
    const told = await eventually('the evaluator told', async () => {
      const rows: { template: string; body: string; status: string }[] = await p.db.query(
        `SELECT template, body, status FROM evaluation.sms_messages WHERE send_key = $1`,
        [`expert:${no}:1:case_withdrawn`],
      );
      return rows[0];
    });
    expect(told).toEqual({
      template: 'evaluator_case_withdrawn',
      body: `【12345热线】专业评价任务（工单${no}）已撤销，无需再评价，请以平台显示为准。`,
      status: 'sent',
    });
  });

  it('sweeps up a withdrawal that did not reach the order’s workflow', async () => {
    // A correction marked the order (its source voided) but the withdrawal never ran: a crash
    // between the commit and the update. The sweep withdraws it.
    const no = await create();
    await agree(no, 'dispatched');
    const raised = await http('POST', `${p.urls.supervision}/api/v1/orders`, {
      token: supervisor,
      body: { ticketNo: no, kind: 'reminder', instruction: '请尽快签收并办理。' },
    });
    expect(raised.status).toBe(201);
    await p.db.query(
      `UPDATE supervision.orders SET source_voided_at = now() - interval '1 minute' WHERE id = $1`,
      [raised.body.id],
    );
    await eventually(
      'the sweep to withdraw it',
      async () => {
        const o = await http('GET', `${p.urls.supervision}/api/v1/orders/${raised.body.id}`, {
          token: supervisor,
        });
        return o.body.status === 'closed' && o.body.outcome === 'withdrawn' ? o.body : null;
      },
      45_000,
    );
  });

  it('takes nothing from an older event re-sent under another id: the facts stay as the later events left them', async () => {
    const no = await create();
    await eventually('signed', async () => (await unitAction('transport', no, 'sign')).status === 200);
    const facts = () =>
      http('GET', `${p.urls.supervision}/api/v1/tickets/${no}/facts`, { token: supervisor }).then(
        (r) => r.body,
      );
    // A string: a 404 (no facts yet) has no signedAt at all, which `!== null` took for a signature.
    await eventually(
      'supervision to see the signature',
      async () => typeof (await facts()).signedAt === 'string',
    );
    const before = await facts();
    // The dispatch, as it stands in the outbox, again under a new id: it would clear the signature.
    const [{ payload }] = await p.db.query(
      `SELECT o.payload FROM platform.outbox o JOIN ticket.ticket_events e USING (event_id)
       WHERE e.ticket_no = $1 AND e.type = 'ticket.dispatched'`,
      [no],
    );
    const copy = { ...payload, id: randomUUID() };
    const kafka = createKafka(p.config, 'stale-copy');
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: topicName(p.config, TICKET_EVENTS_TOPIC),
      messages: [{ key: no, value: JSON.stringify(copy) }],
    });
    await producer.disconnect();
    await eventually('supervision to take the copy in', async () => {
      const rows = await p.db.query(
        `SELECT 1 FROM platform.inbox WHERE consumer = 'supervision.ticket-facts' AND event_id = $1`,
        [copy.id],
      );
      return rows.length > 0;
    });
    expect(await facts()).toEqual(before);
  });

  it('lets a unit act the instant a ticket appears on its desk, every time, under concurrency', async () => {
    const tickets = await Promise.all(Array.from({ length: 12 }, () => create()));
    const refused: string[] = [];
    await Promise.all(
      tickets.map(async (no) => {
        // Poll the desk as a clerk's screen would, and sign the moment the ticket is there.
        for (let i = 0; i < 500; i++) {
          const r = await http('GET', `${p.urls.dispatch}/api/v1/tickets/${no}`, { token: clerks.transport });
          if (r.status === 200) break;
          await new Promise((res) => setTimeout(res, 10));
        }
        const signed = await unitAction('transport', no, 'sign');
        if (signed.status !== 200) refused.push(`${no}: ${signed.status} ${JSON.stringify(signed.body)}`);
      }),
    );
    expect(refused).toEqual([]);
  });

  it('answers concurrent repeats of one Idempotency-Key with the first ticket, and scopes keys to the caller', async () => {
    const key = `dup-${Date.now()}`;
    const all = await Promise.all(
      Array.from({ length: 6 }, () =>
        http('POST', `${p.urls.intake}/api/v1/tickets`, {
          token: operator,
          headers: { 'idempotency-key': key },
          body: {
            channel: 'phone',
            kind: 'complaint',
            category: 'road',
            regionCode: 'gulou',
            title: '重复',
            content: '同一请求重复提交六次。',
          },
        }),
      ),
    );
    expect(all.map((r) => r.status)).toEqual([201, 201, 201, 201, 201, 201]);
    expect(new Set(all.map((r) => r.body.ticketNo)).size).toBe(1);
    expect(all.filter((r) => r.body.created === true)).toHaveLength(1);

    // One ticket, two units (lead and assisting), the same key: each clerk gets their own answer.
    const no = await create({ assistingUnitIds: ['housing'] });
    await agree(no, 'dispatched');
    expect(await ok(unitAction('housing', no, 'sign', undefined, 'k-1'))).toMatchObject({
      status: 'dispatched',
    });
    expect(await ok(unitAction('transport', no, 'sign', undefined, 'k-1'))).toMatchObject({
      status: 'signed',
      alreadyApplied: false,
    });
  });

  it('refuses a key reused for another request (422), never answering it with the first one’s result', async () => {
    const key = `reuse-${Date.now()}`;
    const send = (title: string, k = key) =>
      http('POST', `${p.urls.intake}/api/v1/tickets`, {
        token: operator,
        headers: { 'idempotency-key': k },
        body: { ...TICKET_BODY, title },
      });
    // Six at once under one key, two different appeals: one is registered, its repeats get it, the
    // other appeal is refused and nothing of it is written (it is not lost silently: the operator is told).
    const all = await Promise.all(
      ['甲诉求', '乙诉求', '甲诉求', '乙诉求', '甲诉求', '乙诉求'].map((t) => send(t)),
    );
    const created = all.filter((r) => r.status === 201);
    const refused = all.filter((r) => r.status === 422);
    expect(created.length + refused.length).toBe(6);
    expect(new Set(created.map((r) => r.body.ticketNo)).size).toBe(1);
    expect(refused.every((r) => r.body.code === 'idempotency_key_reused')).toBe(true);
    const no = created[0].body.ticketNo as string;
    const [{ title }] = await p.db.query(`SELECT title FROM ticket.tickets WHERE ticket_no = $1`, [no]);
    expect(refused).toHaveLength(3);
    const [{ n }] = await p.db.query(`SELECT count(*)::int AS n FROM ticket.tickets WHERE request_key = $1`, [
      `operator:${key}`,
    ]);
    expect(n).toBe(1);
    // A later send of the other appeal under the key: still refused; the first, still its ticket.
    expect((await send(title === '甲诉求' ? '乙诉求' : '甲诉求')).status).toBe(422);
    expect((await send(title)).body.ticketNo).toBe(no);

    // A unit's reply refused by the closure standard is that key's answer for good (the workflow
    // recorded the refusal): the corrected reply under it is refused as another request, and goes
    // through under a new key; another reply under that key is refused too. One reply on record.
    await agree(no, 'dispatched');
    await ok(unitAction('transport', no, 'sign'));
    const first = await unitAction('transport', no, 'reply', { content: '已处理' }, 'reply-1');
    expect(first.status).toBe(422);
    expect(first.body.code).toBe('reply_not_closable');
    const reply = { content: '经核实，已于今日安排养护科更换破损地砖12块，现已修复完毕，恢复通行。' };
    const corrected = await unitAction('transport', no, 'reply', reply, 'reply-1');
    expect(corrected.status).toBe(422);
    expect(corrected.body.code).toBe('idempotency_key_reused');
    expect((await unitAction('transport', no, 'reply', { content: '已处理' }, 'reply-1')).body.code).toBe(
      'reply_not_closable',
    );
    // A body refused as invalid gives its key back: the same key then carries the valid reply.
    expect((await unitAction('transport', no, 'reply', { content: 7 }, 'reply-2')).status).toBe(400);
    expect(await ok(unitAction('transport', no, 'reply', reply, 'reply-2'))).toMatchObject({
      status: 'replied',
    });
    expect(await ok(unitAction('transport', no, 'reply', reply, 'reply-2'))).toMatchObject({
      status: 'replied',
    });
    const other = await unitAction(
      'transport',
      no,
      'reply',
      { content: `${reply.content}另附照片。` },
      'reply-2',
    );
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('idempotency_key_reused');
    const [{ replies }] = await p.db.query(
      `SELECT count(*)::int AS replies FROM ticket.ticket_events WHERE ticket_no = $1 AND type = 'ticket.replied'`,
      [no],
    );
    expect(replies).toBe(1);
  });

  it('refuses a return that names no unit, or the returning unit itself, as responsible; the ticket stays with it', async () => {
    const no = await create();
    await agree(no, 'dispatched');
    const reason = '不属于本单位职责范围，请改派。';
    // SQ art. 10.4: a return suggests the right unit.
    for (const body of [{ reason }, { reason, suggestedUnitId: '' }, { reason, suggestedUnitId: null }]) {
      const none = await unitAction('transport', no, 'return', body);
      expect([none.status, none.body.code]).toEqual([400, 'validation_failed']);
    }
    const self = await unitAction('transport', no, 'return', { reason, suggestedUnitId: 'transport' });
    expect(self.status).toBe(400);
    expect(self.body).toMatchObject({ code: 'validation_failed', field: 'suggestedUnitId' });
    expect((await unitAction('transport', no, 'return', { reason, suggestedUnitId: 'nope' })).body.code).toBe(
      'unknown_unit',
    );
    await agree(no, 'dispatched');
    expect(
      await ok(unitAction('transport', no, 'return', { reason, suggestedUnitId: 'housing' })),
    ).toMatchObject({
      status: 'returned',
    });
    // The same return again is the one made; another (another unit) is refused, not dropped.
    expect(
      await ok(unitAction('transport', no, 'return', { reason, suggestedUnitId: 'housing' })),
    ).toMatchObject({ alreadyApplied: true });
    const other = await unitAction('transport', no, 'return', { reason, suggestedUnitId: 'market' });
    expect([other.status, other.body.code]).toEqual([409, 'action_rejected']);
  });

  it('records a unit’s progress notes on the ticket: the same note once, no status or deadline moved', async () => {
    const no = await create({ assistingUnitIds: ['housing'] });
    await agree(no, 'dispatched');
    const content = '已联系管线单位现场勘查，定于下周施工更换破损地砖。';
    const early = await unitAction('transport', no, 'progress-notes', { content });
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('ticket_not_signed');
    // Nor more time before it has signed.
    const extension = { requested: { amount: 1, unit: 'days' }, reason: '需协调管线单位' };
    const earlyExtension = await unitAction('transport', no, 'extension', extension);
    expect([earlyExtension.status, earlyExtension.body.code]).toEqual([409, 'ticket_not_signed']);
    await ok(unitAction('transport', no, 'sign'));
    const before = await agree(no, 'signed');
    expect(await ok(unitAction('transport', no, 'progress-notes', { content }))).toMatchObject({
      status: 'signed',
      alreadyApplied: false,
    });
    expect(await ok(unitAction('transport', no, 'progress-notes', { content }))).toMatchObject({
      alreadyApplied: true,
    });
    await ok(unitAction('housing', no, 'sign'));
    await ok(unitAction('housing', no, 'progress-notes', { content: '已配合核查地下管线权属。' }));
    const after = await agree(no, 'signed');
    expect(after.deadlines).toEqual(before.deadlines);
    const ledger = await http('GET', `${p.urls.intake}/api/v1/tickets/${no}`, { token: supervisor });
    const notes = ledger.body.history.filter((e: { type: string }) => e.type === 'ticket.progress_noted');
    expect(notes.map((e: { data: unknown }) => e.data)).toEqual([
      { unitId: 'transport', content },
      { unitId: 'housing', content: '已配合核查地下管线权属。' },
    ]);
    // The lead reads its assistant's note on its desk, and its own.
    const desk = await http('GET', `${p.urls.dispatch}/api/v1/tickets/${no}`, { token: clerks.transport });
    expect(desk.body.progressNotes).toEqual([
      { unitId: 'transport', content, notedBy: expect.any(String), notedAt: expect.any(String) },
      {
        unitId: 'housing',
        content: '已配合核查地下管线权属。',
        notedBy: expect.any(String),
        notedAt: expect.any(String),
      },
    ]);
    // The assistant reads its own note, not the lead's (as it sees only its own files).
    const assistantDesk = await http('GET', `${p.urls.dispatch}/api/v1/tickets/${no}`, {
      token: clerks.housing,
    });
    expect(assistantDesk.body.progressNotes.map((n: { unitId: string }) => n.unitId)).toEqual(['housing']);
    // An empty note is refused at the edge.
    expect((await unitAction('housing', no, 'progress-notes', { content: '' })).status).toBe(400);
    // The projections read the new event as valid (none puts it aside): once supervision has the
    // reply, which follows the notes on the ticket's partition, it has read them.
    await ok(
      unitAction('transport', no, 'reply', {
        content: '经核实，已于今日安排养护科更换破损地砖12块，现已修复完毕，恢复通行。',
      }),
    );
    await agree(no, 'replied');
    const [{ dead }] = await p.db.query(
      `SELECT count(*)::int AS dead FROM platform.dead_letters WHERE payload LIKE '%' || $1 || '%'`,
      [no],
    );
    expect(dead).toBe(0);
    expect((await unitAction('transport', no, 'progress-notes', { content: '补充说明。' })).status).toBe(409);
  });

  it('pages the desk by cursor: no ticket is skipped when the clerk signs between pages', async () => {
    const word = `翻页${randomUUID().slice(0, 8)}`;
    const made: string[] = [];
    for (let i = 0; i < 6; i++) made.push(await create({ title: `${word}路面破损` }));
    for (const no of made) await agree(no, 'dispatched');
    const page = (query: string) =>
      http(
        'GET',
        `${p.urls.dispatch}/api/v1/tickets?q=${encodeURIComponent(word)}&sort=deadline&limit=2${query}`,
        {
          token: clerks.transport,
        },
      );
    const first = await page('');
    expect(first.body).toMatchObject({ total: 6, limit: 2, offset: 0, nextCursor: expect.any(String) });
    const seen: string[] = first.body.items.map((t: { ticketNo: string }) => t.ticketNo);
    // The clerk signs what the page showed: those move from their sign time to their reply time.
    for (const no of seen) await ok(unitAction('transport', no, 'sign'));
    for (let cursor = first.body.nextCursor as string | null; cursor;) {
      const next = await page(`&after=${cursor}`);
      expect(next.status).toBe(200);
      seen.push(...next.body.items.map((t: { ticketNo: string }) => t.ticketNo));
      cursor = next.body.nextCursor;
    }
    // Every ticket was shown (the signed ones may come again, later in the order); none skipped.
    expect(new Set(seen)).toEqual(new Set(made));
    // A cursor from another order, or none the desk gave, is the caller's error; so is an offset with it.
    for (const bad of [`&after=${first.body.nextCursor as string}&offset=2`, '&after=abc']) {
      const r = await page(bad);
      expect([r.status, r.body.code]).toEqual([400, 'validation_failed']);
    }
    const otherOrder = await http(
      'GET',
      `${p.urls.dispatch}/api/v1/tickets?sort=dispatched&after=${first.body.nextCursor as string}`,
      { token: clerks.transport },
    );
    expect(otherOrder.status).toBe(400);
  });

  it('puts real-name appeals first on request (sort=priority), pages them by cursor, and filters by realName', async () => {
    const word = `实名${randomUUID().slice(0, 8)}`;
    const anonymous: string[] = [];
    const named: string[] = [];
    for (let i = 0; i < 3; i++) {
      anonymous.push(
        await create({ title: `${word}路灯不亮`, complainantName: undefined, complainantPhone: undefined }),
      );
      named.push(await create({ title: `${word}路灯不亮` }));
    }
    for (const no of [...anonymous, ...named]) await agree(no, 'dispatched');
    const page = async (query: string) => {
      const r = await http('GET', `${p.urls.dispatch}/api/v1/tickets?q=${encodeURIComponent(word)}${query}`, {
        token: clerks.transport,
      });
      expect(r.status).toBe(200);
      return r.body as { items: { ticketNo: string; realName: boolean }[]; nextCursor: string | null };
    };
    const seen: { ticketNo: string; realName: boolean }[] = [];
    for (let cursor: string | null = '', first = true; first || cursor; first = false) {
      const next = await page(`&sort=priority&limit=2${cursor ? `&after=${cursor}` : ''}`);
      seen.push(...next.items);
      cursor = next.nextCursor;
    }
    expect(seen.map((t) => t.realName)).toEqual([true, true, true, false, false, false]);
    expect(new Set(seen.slice(0, 3).map((t) => t.ticketNo))).toEqual(new Set(named));
    expect(new Set(seen.slice(3).map((t) => t.ticketNo))).toEqual(new Set(anonymous));
    expect(new Set((await page('&realName=false')).items.map((t) => t.ticketNo))).toEqual(new Set(anonymous));
    expect(new Set((await page('&realName=true')).items.map((t) => t.ticketNo))).toEqual(new Set(named));
    const bad = await http('GET', `${p.urls.dispatch}/api/v1/tickets?realName=maybe`, {
      token: clerks.transport,
    });
    expect([bad.status, bad.body.code]).toEqual([400, 'validation_failed']);
    // A withdrawn ticket is not the unit's: not sorted or filtered by its complainant.
    for (const q of ['status=withdrawn&realName=true', 'status=withdrawn&sort=priority']) {
      const r = await http('GET', `${p.urls.dispatch}/api/v1/tickets?${q}`, { token: clerks.transport });
      expect([q, r.status, r.body.code]).toEqual([q, 400, 'validation_failed']);
    }
    // A confidential ticket is anonymous on the desk: the unit never learns whether a name was given.
    const secret = await create({ title: `${word}路灯不亮`, confidential: true });
    await agree(secret, 'dispatched');
    const onDesk = (await page('&realName=false')).items.find((t) => t.ticketNo === secret);
    expect(onDesk).toMatchObject({ realName: false });
    const centreSees = await http('GET', `${p.urls.intake}/api/v1/tickets/${secret}`, { token: supervisor });
    expect(centreSees.body.realName).toBe(true);
    // The centre's ledger says the same, and filters alike.
    const ledger = await http(
      'GET',
      `${p.urls.intake}/api/v1/tickets?q=${encodeURIComponent(word)}&realName=false&limit=50`,
      { token: supervisor },
    );
    expect(new Set(ledger.body.items.map((t: { ticketNo: string }) => t.ticketNo))).toEqual(
      new Set(anonymous),
    );
    expect(ledger.body.items.every((t: { realName: boolean }) => t.realName === false)).toBe(true);
  });

  it('orders a unit’s desk by what is due soonest on request: unsigned by sign, signed by reply', async () => {
    const [a, b] = [await create(), await create()];
    await agree(a, 'dispatched');
    await agree(b, 'dispatched');
    await ok(unitAction('transport', b, 'sign'));
    await agree(b, 'signed');
    const rows: { ticketNo: string; assignmentStatus: string; signDueAt: string; completeDueAt: string }[] =
      [];
    for (let offset = 0; ; offset += 200) {
      const page = await http(
        'GET',
        `${p.urls.dispatch}/api/v1/tickets?sort=deadline&limit=200&offset=${offset}`,
        {
          token: clerks.transport,
        },
      );
      expect(page.status).toBe(200);
      rows.push(...page.body.items);
      if (rows.length >= page.body.total) break;
    }
    const due = (r: (typeof rows)[number]) =>
      r.assignmentStatus === 'dispatched'
        ? Date.parse(r.signDueAt)
        : ['signed', 'rectifying'].includes(r.assignmentStatus)
          ? Date.parse(r.completeDueAt)
          : Infinity;
    const dues = rows.map(due);
    expect(dues).toEqual([...dues].sort((x, y) => x - y));
    // The unsigned ticket is due to be signed within the hour, the signed one to be replied to later.
    const place = (no: string) => rows.findIndex((r) => r.ticketNo === no);
    expect(place(a)).toBeGreaterThanOrEqual(0);
    expect(place(a)).toBeLessThan(place(b));
    expect(due(rows[place(b)])).toBeGreaterThan(due(rows[place(a)]));
    // The desk at a glance agrees with the desk: its counts by status, and what is past or near due.
    const summary = await http('GET', `${p.urls.dispatch}/api/v1/tickets/summary`, {
      token: clerks.transport,
    });
    expect(summary.status).toBe(200);
    const at = Date.parse(summary.body.at);
    const { withdrawn, ...handled } = summary.body.byStatus as Record<string, number>;
    expect(withdrawn).toBeGreaterThanOrEqual(0);
    expect(Object.values(handled).reduce((x, y) => x + y, 0)).toBe(rows.length);
    for (const status of ['dispatched', 'signed', 'replied'])
      expect(handled[status]).toBe(rows.filter((r) => r.assignmentStatus === status).length);
    expect(summary.body.pastDue).toBe(dues.filter((d) => d < at).length);
    expect(summary.body.dueWithinHour).toBe(dues.filter((d) => d >= at && d < at + 3_600_000).length);
    expect(summary.body.dueWithinHour).toBeGreaterThanOrEqual(1); // the unsigned ticket, due within the hour
    // The default stays the newest first: by when each was dispatched (the two workflows start on
    // their own, so b may reach the desk before a).
    const plain = await http('GET', `${p.urls.dispatch}/api/v1/tickets?limit=2`, { token: clerks.transport });
    const newest = plain.body.items as { ticketNo: string; dispatchedAt: string }[];
    expect(newest.map((r) => r.ticketNo).sort()).toEqual([a, b].sort());
    expect(Date.parse(newest[0].dispatchedAt)).toBeGreaterThanOrEqual(Date.parse(newest[1].dispatchedAt));
  });

  it('refuses text Postgres cannot store at the edge, and the ticket goes on', async () => {
    const no = await create();
    await agree(no, 'dispatched');
    const bad = await unitAction('transport', no, 'return', {
      reason: 'a\u0000b',
      suggestedUnitId: 'housing',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('invalid_text');
    const lone = await unitAction('transport', no, 'return', {
      reason: '\ud800 不属于',
      suggestedUnitId: 'housing',
    });
    expect(lone.status).toBe(400);
    // A client that labels every request JSON signs with an empty body, as one that sends no header.
    const signed = await http('POST', `${p.urls.dispatch}/api/v1/tickets/${no}/sign`, {
      token: clerks.transport,
      raw: '',
      headers: { 'content-type': 'application/json' },
    });
    expect(signed.status).toBe(200);
    expect(signed.body).toMatchObject({ status: 'signed' });
    await agree(no, 'signed');
  });

  it('hands a rejected reply’s closure-standard findings to the caller', async () => {
    const no = await create();
    await agree(no, 'dispatched');
    await ok(unitAction('transport', no, 'sign'));
    const r = await unitAction('transport', no, 'reply', { content: '已处理' });
    expect(r.status).toBe(422);
    expect(r.body.code).toBe('reply_not_closable');
    expect(r.body.defects.length).toBeGreaterThan(0);
    expect(r.body.defects[0]).toMatchObject({
      code: expect.any(String),
      message: expect.stringMatching(/\p{Script=Han}/u),
    });
    // The record keeps the deficient reply itself, and of the accepted one all the unit sent with it.
    const plan = {
      content: '经核实，该路段地下管线改造已列入计划，由市交通运输局养护科负责，将于12月31日前完成修复。',
      responsibleDepartment: '市交通运输局养护科',
      isPlan: true,
      // A day to come (a past one is refused): 60 days on, China time.
      plannedCompletionDate: new Date(Date.now() + 8 * 3_600_000 + 60 * 86_400_000)
        .toISOString()
        .slice(0, 10),
    };
    await ok(unitAction('transport', no, 'reply', plan));
    const ledger = await http('GET', `${p.urls.intake}/api/v1/tickets/${no}`, { token: supervisor });
    const data = (type: string) =>
      ledger.body.history.find((e: { type: string }) => e.type === type)?.data as Record<string, unknown>;
    expect(data('ticket.reply_rejected')).toMatchObject({ content: '已处理' });
    expect(data('ticket.replied')).toEqual({ unitId: 'transport', ...plan });
  });

  it('shows the assisting units the workflow holds: a lead named as one is the lead only, a manual dispatch keeps those asked for', async () => {
    // The catalog makes transport the lead: named as assisting too, it is the lead alone.
    const both = await create({ assistingUnitIds: ['transport', 'housing'] });
    expect(assistingOn(snapshotOf(await agree(both, 'dispatched')))).toEqual(['housing']);

    // A ticket the catalog has no unit for waits for the centre with the assisting units asked for;
    // the centre's dispatch keeps them unless it names others.
    const manual = async (assistingUnitIds?: string[]) => {
      const no = await create({ category: 'community', regionCode: 'city', assistingUnitIds: ['housing'] });
      await agree(no, 'created');
      const asked = await http('GET', `${p.urls.intake}/api/v1/tickets/${no}`, { token: supervisor });
      expect(asked.body.assistingUnitIds).toEqual(['housing']);
      await eventually('the manual dispatch accepted', async () => {
        const r = await http('POST', `${p.urls.intake}/api/v1/tickets/${no}/dispatch`, {
          token: operator,
          body: assistingUnitIds ? { unitId: 'transport', assistingUnitIds } : { unitId: 'transport' },
        });
        return r.status === 200 ? r.body : null;
      });
      return assistingOn(snapshotOf(await agree(no, 'dispatched')));
    };
    expect(await manual()).toEqual(['housing']);
    expect(await manual([])).toEqual([]);

    // Too many assisting units on a manual dispatch are refused before anything is done.
    const many = await http('POST', `${p.urls.intake}/api/v1/tickets/${both}/dispatch`, {
      token: operator,
      body: { unitId: 'transport', assistingUnitIds: Array.from({ length: 11 }, () => 'housing') },
    });
    expect([many.status, many.body.code]).toEqual([400, 'validation_failed']);

    // A ticket answered at intake is on no desk: assisting units named for it are refused, and no ticket is made.
    const before = await p.db.query(`SELECT count(*)::int AS n FROM ticket.tickets`);
    for (const disposition of [
      { type: 'direct_answer', answer: '请拨打供电服务热线95598。' },
      { type: 'not_accepted', reason: 'emergency_service', guidance: '请拨打110。' },
    ]) {
      const r = await http('POST', `${p.urls.intake}/api/v1/tickets`, {
        token: operator,
        body: { ...TICKET_BODY, disposition, assistingUnitIds: ['housing'] },
      });
      expect([r.status, r.body.code, r.body.field]).toEqual([400, 'validation_failed', 'assistingUnitIds']);
    }
    expect(await p.db.query(`SELECT count(*)::int AS n FROM ticket.tickets`)).toEqual(before);
  });
});
