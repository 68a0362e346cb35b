import {
  CN_MAINLAND_CALENDAR,
  GS_POLICY,
  SZ_POLICY,
  decideAcceptanceNotice,
  decideAnswer,
  decideCallback,
  decideIntake,
  decideManualDispatch,
  decideReapplyPolicy,
  decideTimers,
  initialState,
  resolvePolicy,
  snapshotOf,
} from '../index';
import type { Actor, Decision, TicketState, TicketWorkflowInput } from '../index';
import {
  COMPLAINT,
  DAY,
  HOUR,
  MIN,
  OPERATOR,
  PARKS,
  ROADS,
  SQ,
  SYSTEM,
  T0,
  at,
  deepFreeze,
  eventsOf,
  intake,
  iso,
  next,
} from './testing.fixtures';

// SQ: direct reply 4 h, dispatch 12 h, SMS callback 24 h. SZ leader-mailbox items: acceptance notice in 5 days.
const SZ_MAILBOX = resolvePolicy(SZ_POLICY, { ...COMPLAINT, channel: 'leader_mailbox' });
const ADMIN: Actor = { kind: 'user', userId: 'admin-1', role: 'admin' };
const ANSWER = '公积金提取可通过“i宿迁”App在线办理，需准备身份证和银行卡，审核通过后3个工作日内到账。';

const kept = (): TicketState =>
  next(intake({ disposition: { type: 'direct_answer', answer: null }, route: null }));
const answer = (s: TicketState, t: number, text = ANSWER): Decision =>
  decideAnswer(s, { answer: text, actor: OPERATOR }, at(t));

describe('Intake’s disposition (分类处置, SQ art. 7 and 10)', () => {
  it('not accepted (不予受理): recorded with its reason and guidance, and closed', () => {
    const d = intake({
      disposition: { type: 'not_accepted', reason: 'emergency_service', guidance: '请拨打119火警电话' },
      route: null,
    });
    expect(next(d)).toMatchObject({
      status: 'closed',
      outcome: 'not_accepted',
      closedAt: iso(T0),
      deadlines: {},
    });
    expect(eventsOf(d)).toEqual([
      {
        type: 'ticket.not_accepted',
        actor: SYSTEM,
        data: { reason: 'emergency_service', guidance: '请拨打119火警电话' },
      },
      { type: 'ticket.closed', actor: SYSTEM, data: { unitId: null, outcome: 'not_accepted' } },
    ]);
  });

  it('answered on a three-way call with the unit (三方通话): recorded with the unit and who spoke, then the SMS callback', () => {
    const d = intake({
      disposition: {
        type: 'three_way_call',
        unit: { unitId: 'roads', unitName: '市政工程处' },
        participant: '养护科王工',
        summary: ANSWER,
      },
    });
    // The centre keeps it: no unit's desk has it, whatever the catalog's route.
    expect(next(d)).toMatchObject({ status: 'callback', callbackMode: 'sms', unitId: null, assisting: [] });
    expect(snapshotOf(next(d)).assignments).toEqual([]);
    expect(eventsOf(d)).toEqual([
      {
        type: 'ticket.three_way_call_held',
        actor: SYSTEM,
        data: { unitId: 'roads', unitName: '市政工程处', participant: '养护科王工', summary: ANSWER },
      },
      {
        type: 'ticket.callback_requested',
        actor: SYSTEM,
        data: { mode: 'sms', dueAt: iso(T0 + DAY), round: 1 },
      },
    ]);
  });

  it.each([
    [
      'special line (专线): transferred to the unit’s dedicated line',
      { type: 'special_line' as const, line: '12315 市场监管专线' },
      'ticket.transferred_to_special_line',
      { line: '12315 市场监管专线' },
    ],
    [
      'special window linkage (专窗联动): taken in hand by the unit’s window',
      { type: 'special_window' as const, window: '市民中心二楼市场监管专窗' },
      'ticket.special_window_linked',
      { window: '市民中心二楼市场监管专窗' },
    ],
  ])('%s: recorded with the unit, then the SMS callback; no unit’s desk gets it', (_, how, type, named) => {
    const d = intake({
      disposition: { ...how, unit: { unitId: 'market', unitName: '市市场监督管理局' }, summary: ANSWER },
    });
    expect(next(d)).toMatchObject({ status: 'callback', callbackMode: 'sms', unitId: null, assisting: [] });
    expect(snapshotOf(next(d)).assignments).toEqual([]);
    expect(eventsOf(d)).toEqual([
      {
        type,
        actor: SYSTEM,
        data: { unitId: 'market', unitName: '市市场监督管理局', ...named, summary: ANSWER },
      },
      {
        type: 'ticket.callback_requested',
        actor: SYSTEM,
        data: { mode: 'sms', dueAt: iso(T0 + DAY), round: 1 },
      },
    ]);
  });

  it('answered directly at intake (直接答复): recorded, and the citizen is asked by SMS', () => {
    const d = intake({ disposition: { type: 'direct_answer', answer: ANSWER }, route: null });
    expect(next(d)).toMatchObject({
      status: 'callback',
      callbackMode: 'sms',
      callbackRound: 1,
      unitId: null,
      awaitingDirectAnswer: false,
    });
    expect(next(d).deadlines.callback_sms?.dueAt).toBe(iso(T0 + DAY));
    expect(eventsOf(d)).toEqual([
      { type: 'ticket.answered_directly', actor: SYSTEM, data: { answer: ANSWER } },
      {
        type: 'ticket.callback_requested',
        actor: SYSTEM,
        data: { mode: 'sms', dueAt: iso(T0 + DAY), round: 1 },
      },
    ]);
  });

  it('kept for a direct answer: the operator answers within 4 h of intake (SQ art. 10.3)', () => {
    const d = intake({ disposition: { type: 'direct_answer', answer: null }, route: null }, T0 + 30 * MIN);
    expect(eventsOf(d)).toEqual([]);
    const s = next(d);
    expect(s).toMatchObject({ status: 'created', awaitingDirectAnswer: true });
    expect(s.deadlines).toEqual({
      direct_reply: {
        kind: 'direct_reply',
        startAt: iso(T0),
        dueAt: iso(T0 + 4 * HOUR),
        remindersSent: 0,
        overdue: false,
      },
    });
  });

  it('dispatched to the unit the matter catalog names, with its assisting units', () => {
    const d = intake({ assisting: [PARKS, ROADS] });
    expect(eventsOf(d).map((e) => e.type)).toEqual(['ticket.dispatched', 'ticket.assistance_dispatched']);
    expect(next(d)).toMatchObject({ status: 'dispatched', unitId: 'roads' });
  });

  it('no catalog entry: waits for the centre to dispatch by hand within 12 h', () => {
    const s = next(intake({ route: null }));
    expect(s).toMatchObject({ status: 'created', awaitingManualDispatch: true });
    expect(s.deadlines.dispatch?.dueAt).toBe(iso(T0 + 12 * HOUR));
  });

  it('starts no acceptance-notice clock where the policy requires no notice (SQ)', () => {
    expect(next(intake()).deadlines.acceptance_notice).toBeUndefined();
  });

  it('does not change the state it is given', () => {
    const s = deepFreeze(initialState({ ticketNo: 'X', policy: SQ }));
    const before = JSON.stringify(s);
    decideIntake(
      s,
      {
        ticketNo: 'X',
        ...COMPLAINT,
        createdAt: iso(T0),
        policy: SQ,
        calendar: CN_MAINLAND_CALENDAR,
        disposition: { type: 'dispatch' },
        route: { ...ROADS, catalogEntryId: null },
        assisting: [PARKS],
      },
      at(T0),
    );
    expect(JSON.stringify(s)).toBe(before);
  });
});

describe('The operator’s direct answer (直接答复) to a ticket kept at intake', () => {
  it('is recorded, ends the direct-reply clock, and the citizen is asked by SMS', () => {
    const d = answer(kept(), T0 + HOUR);
    const s = next(d);
    expect(s).toMatchObject({ status: 'callback', awaitingDirectAnswer: false, callbackMode: 'sms' });
    expect(Object.keys(s.deadlines)).toEqual(['callback_sms']);
    expect(eventsOf(d)).toEqual([
      { type: 'ticket.answered_directly', actor: OPERATOR, data: { answer: ANSWER } },
      {
        type: 'ticket.callback_requested',
        actor: SYSTEM,
        data: { mode: 'sms', dueAt: iso(T0 + 25 * HOUR), round: 1 },
      },
    ]);
  });

  it('may come after the 4 h are out: the ticket was only marked overdue', () => {
    const late = next(decideTimers(kept(), at(T0 + 4 * HOUR)));
    expect(late.overdue).toEqual(['direct_reply']);
    expect(next(answer(late, T0 + 5 * HOUR)).status).toBe('callback');
  });

  it('is refused without content (validation_failed)', () => {
    expect(answer(kept(), T0 + HOUR, '  ')).toMatchObject({ kind: 'rejected', code: 'validation_failed' });
  });

  it('is already applied once the citizen is being asked, or the ticket closed', () => {
    const answered = next(answer(kept(), T0 + HOUR));
    expect(answer(answered, T0 + 2 * HOUR)).toEqual({ kind: 'unchanged' });
    const closed = next(
      decideCallback(
        answered,
        { mode: 'sms', verdict: 'satisfied', note: '', actor: SYSTEM },
        at(T0 + 2 * HOUR),
      ),
    );
    expect(answer(closed, T0 + 3 * HOUR)).toEqual({ kind: 'unchanged' });
    // The answer given with the ticket at intake, sent again, is that answer too.
    const atIntake = next(intake({ disposition: { type: 'direct_answer', answer: ANSWER }, route: null }));
    expect(answer(atIntake, T0 + HOUR)).toEqual({ kind: 'unchanged' });
  });

  it('another answer after the first is refused, and so is any answer to a ticket a unit replied to', () => {
    const answered = next(answer(kept(), T0 + HOUR));
    expect(answer(answered, T0 + 2 * HOUR, '另一份答复内容。')).toMatchObject({
      kind: 'rejected',
      code: 'action_rejected',
      message: expect.stringContaining('another answer'),
    });
    const repliedByUnit: TicketState = { ...answered, unitId: 'housing', replyContent: ANSWER };
    expect(answer(repliedByUnit, T0 + 2 * HOUR)).toMatchObject({ kind: 'rejected', code: 'action_rejected' });
    // A course recorded before the rule replays as it was decided.
    const before = { ...at(T0 + 2 * HOUR), amended: { 'answer-once': false } };
    expect(decideAnswer(answered, { answer: '另一份答复内容。', actor: OPERATOR }, before)).toEqual({
      kind: 'unchanged',
    });
  });

  it('is refused for a ticket kept for no answer (action_rejected)', () => {
    expect(answer(next(intake()), T0 + HOUR)).toMatchObject({ kind: 'rejected', code: 'action_rejected' });
    expect(answer(next(intake({ route: null })), T0 + HOUR)).toMatchObject({
      kind: 'rejected',
      code: 'action_rejected',
    });
  });

  it('does not change the state it is given', () => {
    const s = kept();
    const before = JSON.stringify(s);
    answer(s, T0 + HOUR);
    expect(JSON.stringify(s)).toBe(before);
  });
});

describe('The acceptance notice (受理告知): SZ leader-mailbox items, within 5 days of intake', () => {
  const mailbox = (over: Partial<TicketWorkflowInput> = {}): Decision =>
    intake({ channel: 'leader_mailbox', ...over }, T0, SZ_MAILBOX);
  const notify = (s: TicketState, t: number, means = 'sms', policy = SZ_MAILBOX): Decision =>
    decideAcceptanceNotice(s, { means, note: '', actor: OPERATOR }, at(t, policy));

  it('starts its clock at intake, from the creation time', () => {
    expect(next(mailbox()).deadlines.acceptance_notice).toEqual({
      kind: 'acceptance_notice',
      startAt: iso(T0),
      dueAt: iso(T0 + 5 * DAY),
      remindersSent: 0,
      overdue: false,
    });
  });

  it('starts no clock for an appeal not accepted', () => {
    const d = mailbox({
      disposition: { type: 'not_accepted', reason: 'other_legal_channel', guidance: '请依法申请行政复议' },
    });
    expect(next(d).deadlines).toEqual({});
  });

  it('keeps its clock when the centre dispatches by hand', () => {
    const waiting = next(mailbox({ route: null }));
    const s = next(
      decideManualDispatch(waiting, { unit: ROADS, actor: OPERATOR }, at(T0 + HOUR, SZ_MAILBOX)),
    );
    expect(s.deadlines.acceptance_notice?.dueAt).toBe(iso(T0 + 5 * DAY));
  });

  it('is on time exactly at the due time, and ends the clock', () => {
    const d = notify(next(mailbox()), T0 + 5 * DAY);
    const s = next(d);
    expect(s.acceptanceNotifiedAt).toBe(iso(T0 + 5 * DAY));
    expect(s.deadlines.acceptance_notice).toBeUndefined();
    expect(eventsOf(d)).toEqual([
      { type: 'ticket.acceptance_notified', actor: OPERATOR, data: { means: 'sms', note: '', late: false } },
    ]);
  });

  it('is late 1 ms after the due time: accepted, and recorded as late', () => {
    expect(eventsOf(notify(next(mailbox()), T0 + 5 * DAY + 1))[0].data).toMatchObject({ late: true });
  });

  it('is already applied when given again', () => {
    const s = next(notify(next(mailbox()), T0 + DAY));
    expect(notify(s, T0 + 2 * DAY)).toEqual({ kind: 'unchanged' });
  });

  it('is refused without saying how the petitioner was told (validation_failed)', () => {
    expect(notify(next(mailbox()), T0 + DAY, ' ')).toMatchObject({
      kind: 'rejected',
      code: 'validation_failed',
    });
  });

  it('is refused where the policy requires none (action_rejected)', () => {
    expect(notify(next(intake()), T0 + DAY, 'sms', SQ)).toMatchObject({
      kind: 'rejected',
      code: 'action_rejected',
    });
  });
});

describe('An administrator re-applies a policy to a running ticket', () => {
  it('records the new policy; the running deadlines keep their times', () => {
    const GS = resolvePolicy(GS_POLICY, COMPLAINT);
    const before = next(intake());
    const d = decideReapplyPolicy(before, { policy: GS, calendar: CN_MAINLAND_CALENDAR, actor: ADMIN });
    const s = next(d);
    expect(s.policy).toEqual({ code: 'GS', version: 1 });
    // What the event carries, for the ledger to copy: the policy in force from now on.
    expect(snapshotOf(before).policy).toEqual({ code: 'SQ', version: 1 });
    expect(snapshotOf(s).policy).toEqual({ code: 'GS', version: 1 });
    expect(s.deadlines).toEqual(before.deadlines);
    expect(eventsOf(d)).toEqual([
      { type: 'ticket.policy_reapplied', actor: ADMIN, data: { code: 'GS', version: 1 } },
    ]);
  });

  it('the policy and calendar the ticket runs on already, again: already applied (no second event)', () => {
    const before = next(intake());
    const same = { policy: SQ, calendar: CN_MAINLAND_CALENDAR, actor: ADMIN };
    const ctx = { ...at(T0 + HOUR), calendarData: CN_MAINLAND_CALENDAR };
    expect(decideReapplyPolicy(before, same, ctx)).toEqual({ kind: 'unchanged' });
    // The ticket's copies came through jsonb, keys in its own order: the same data all the same.
    const reordered = Object.fromEntries(Object.entries(SQ).reverse()) as typeof SQ;
    expect(decideReapplyPolicy(before, same, { ...ctx, policy: reordered })).toEqual({ kind: 'unchanged' });
    // Another calendar (a day an administrator added) or another policy is applied and recorded.
    const edited = { ...CN_MAINLAND_CALENDAR, holidays: [...CN_MAINLAND_CALENDAR.holidays, '2027-12-31'] };
    expect(decideReapplyPolicy(before, { ...same, calendar: edited }, ctx).kind).toBe('changed');
    const GS = resolvePolicy(GS_POLICY, COMPLAINT);
    expect(decideReapplyPolicy(before, { ...same, policy: GS }, ctx).kind).toBe('changed');
    // A course recorded before the amendment replays as it was decided: recorded again.
    expect(decideReapplyPolicy(before, same, { ...ctx, amended: { 'reapply-once': false } }).kind).toBe(
      'changed',
    );
  });

  it('is refused for a closed ticket (ticket_closed)', () => {
    const closed = next(
      intake({
        disposition: { type: 'not_accepted', reason: 'outside_jurisdiction', guidance: '请向属地反映' },
        route: null,
      }),
    );
    expect(
      decideReapplyPolicy(closed, { policy: SQ, calendar: CN_MAINLAND_CALENDAR, actor: ADMIN }),
    ).toMatchObject({
      kind: 'rejected',
      code: 'ticket_closed',
    });
  });
});
