import {
  decideCallback,
  decideExtensionDecision,
  decideExtensionRequest,
  decideReply,
  decideReturn,
  initialState,
  snapshotOf,
} from '../index';
import type { Duration, TicketState } from '../index';
import {
  GOOD_REPLY,
  HOUR,
  OPERATOR,
  PARKS,
  REVIEWER,
  SQ,
  T0,
  at,
  clerk,
  deepFreeze,
  dispatched,
  eventsOf,
  expectCode,
  iso,
  next,
  replied,
  reply,
  review,
  signed,
} from './testing.fixtures';

// SQ: complete 12 h, the centre reviews a reply within 4 h, the SMS callback waits 24 h, rectification 12 h.

const callback = (
  s: TicketState,
  t: number,
  mode: 'sms' | 'manual',
  verdict: 'unsatisfied' | 'satisfied',
): TicketState => next(decideCallback(s, { mode, verdict, note: '', actor: OPERATOR }, at(t)));

describe('Reply (答复) by the lead unit', () => {
  it('is accepted from the signed unit: the ticket waits for the centre’s review (4 h)', () => {
    const d = reply(signed(), T0 + 2 * HOUR);
    const s = next(d);
    expect(s).toMatchObject({
      status: 'replied',
      repliedAt: iso(T0 + 2 * HOUR),
      replyContent: GOOD_REPLY,
      remainingAtReplyMs: 10 * HOUR,
    });
    expect(s.deadlines).toEqual({
      review: {
        kind: 'review',
        startAt: iso(T0 + 2 * HOUR),
        dueAt: iso(T0 + 6 * HOUR),
        remindersSent: 0,
        overdue: false,
      },
    });
    expect(d.kind === 'changed' && d.events).toEqual([
      {
        type: 'ticket.replied',
        actor: clerk(),
        data: {
          unitId: 'roads',
          content: GOOD_REPLY,
          responsibleDepartment: null,
          isPlan: false,
          plannedCompletionDate: null,
        },
      },
    ]);
  });

  it('keeps no time left when the unit replies after its deadline', () => {
    expect(next(reply(signed(), T0 + 13 * HOUR)).remainingAtReplyMs).toBe(0);
  });

  it('shows the lead unit’s desk as replied', () => {
    expect(snapshotOf(replied()).assignments).toEqual([{ unitId: 'roads', role: 'lead', status: 'replied' }]);
  });

  it('is refused before the unit signed (ticket_not_repliable)', () => {
    expectCode(reply(dispatched(), T0 + HOUR), 'ticket_not_repliable');
  });

  it('is refused while a return awaits the centre (ticket_not_repliable)', () => {
    const returned = next(
      decideReturn(
        signed(),
        { unitId: 'roads', reason: '非本单位职责', suggestedUnit: PARKS, actor: clerk() },
        at(T0 + HOUR),
      ),
    );
    expectCode(reply(returned, T0 + 2 * HOUR), 'ticket_not_repliable');
  });

  it('is refused without content (validation_failed: a 400, the key given back)', () => {
    expectCode(reply(signed(), T0 + HOUR, { content: ' \n ' }), 'validation_failed');
  });

  it('is refused from a unit the ticket is not with, even an assisting unit (action_rejected)', () => {
    const s = signed(dispatched([PARKS]));
    expectCode(reply(s, T0 + HOUR, { unitId: 'parks', actor: clerk('parks') }), 'action_rejected');
  });

  it('is refused before any dispatch (action_rejected)', () => {
    expectCode(reply(deepFreeze(initialState({ ticketNo: 'X', policy: SQ })), T0), 'action_rejected');
  });

  it('records what the unit sent with its reply: the department responsible, a plan and its day', () => {
    const plan = '经核实，该路段管线改造已列入计划，由市政工程处负责，将于5月30日前完成修复。';
    const d = reply(signed(), T0 + HOUR, {
      content: plan,
      responsibleDepartment: '市政工程处',
      isPlan: true,
      plannedCompletionDate: '2026-05-30',
    });
    expect(d.kind === 'changed' && d.events[0].data).toEqual({
      unitId: 'roads',
      content: plan,
      responsibleDepartment: '市政工程处',
      isPlan: true,
      plannedCompletionDate: '2026-05-30',
    });
  });

  it('is already applied when the unit sends the same reply again', () => {
    expect(reply(replied(), T0 + 3 * HOUR)).toEqual({ kind: 'unchanged' });
  });

  it('refuses another reply once replied: other text, another plan date, other files', () => {
    const done = replied();
    for (const over of [
      { content: `${GOOD_REPLY}另补充。` },
      { isPlan: true, plannedCompletionDate: '2026-05-30' },
      { responsibleDepartment: '市政工程处' },
      { attachments: [{ attachmentId: 'a-1', name: '照片.jpg', kind: 'evidence' as const }] },
    ])
      expect(reply(done, T0 + 3 * HOUR, over)).toMatchObject({
        kind: 'rejected',
        code: 'ticket_not_repliable',
        message: expect.stringContaining('another reply'),
      });
    // A course recorded before the rule replays as it was decided; a ticket replied before the
    // reply's signature was kept is compared by its text.
    const before = { ...at(T0 + 3 * HOUR), amended: { 'reply-once': false } };
    expect(decideReply(done, { unitId: 'roads', content: '另一份', actor: clerk() }, before)).toEqual({
      kind: 'unchanged',
    });
    const legacy: TicketState = { ...done, replySignature: undefined };
    expect(reply(legacy, T0 + 3 * HOUR)).toEqual({ kind: 'unchanged' });
    expect(reply(legacy, T0 + 3 * HOUR, { content: '另一份' })).toMatchObject({ kind: 'rejected' });
  });

  it('does not change the state it is given', () => {
    const s = signed();
    const before = JSON.stringify(s);
    reply(s, T0 + HOUR);
    reply(s, T0 + HOUR, { content: '已处理' });
    expect(JSON.stringify(s)).toBe(before);
  });
});

describe('The closure standard (办结标准, SZ art. 5): a reply that may not close is refused, and recorded', () => {
  it('refuses a bare "已处理" and records the refusal with its defects', () => {
    const d = reply(signed(), T0 + HOUR, { content: '已处理' });
    expectCode(d, 'reply_not_closable');
    if (d.kind !== 'rejected') throw new Error('expected a refusal');
    expect(d.details).toEqual({
      defects: [{ code: 'handled_without_content', message: expect.any(String) }],
    });
    expect(d.record).toEqual([
      {
        type: 'ticket.reply_rejected',
        actor: clerk(),
        data: { unitId: 'roads', defects: ['handled_without_content'], content: '已处理' },
      },
    ]);
    expect(d.message).toBe((d.details?.defects as { message: string }[])[0].message);
  });

  it('refuses a reply saying the matter is still being handled', () => {
    const d = reply(signed(), T0 + HOUR, {
      content: '您反映的井盖破损问题我处正在处理中，请耐心等待处理结果。',
    });
    expect(d.kind === 'rejected' && d.record?.[0].data).toMatchObject({ defects: ['still_in_progress'] });
  });

  it('refuses a plan without a completion date, and accepts it with one', () => {
    const plan = '经现场核实，该路段需整体翻修，我处已列入道路维修计划，届时将封闭施工并提前公告。';
    const d = reply(signed(), T0 + HOUR, { content: plan, isPlan: true });
    expect(d.kind === 'rejected' && d.record?.[0].data).toMatchObject({ defects: ['no_plan_or_date'] });
    expect(
      reply(signed(), T0 + HOUR, { content: plan, isPlan: true, plannedCompletionDate: '2026-05-30' }).kind,
    ).toBe('changed');
  });

  it('refuses a reply that names no responsible department when asked for one', () => {
    const d = reply(signed(), T0 + HOUR, { responsibleDepartment: ' ' });
    expect(d.kind === 'rejected' && d.record?.[0].data).toMatchObject({
      defects: ['no_responsible_department'],
    });
  });

  it('leaves the ticket as it was when the reply is refused', () => {
    expect(reply(signed(), T0 + HOUR, { content: '已处理' })).not.toHaveProperty('state');
  });
});

describe('The centre’s review (答复认定)', () => {
  it('approved: the citizen is asked by SMS, with 24 h to answer', () => {
    const d = review(replied(), T0 + 3 * HOUR, true);
    const s = next(d);
    expect(s).toMatchObject({ status: 'callback', callbackMode: 'sms', callbackRound: 1 });
    expect(s.deadlines).toEqual({
      callback_sms: {
        kind: 'callback_sms',
        startAt: iso(T0 + 3 * HOUR),
        dueAt: iso(T0 + 27 * HOUR),
        remindersSent: 0,
        overdue: false,
      },
    });
    expect(d.kind === 'changed' && d.events).toEqual([
      {
        type: 'ticket.reply_reviewed',
        actor: REVIEWER,
        data: { unitId: 'roads', approved: true, note: '', completeDueAt: null },
      },
      {
        type: 'ticket.callback_requested',
        actor: { kind: 'system' },
        data: { mode: 'sms', dueAt: iso(T0 + 27 * HOUR), round: 1 },
      },
    ]);
  });

  it('approved: the lead unit’s desk shows the ticket as replied while the citizen is asked', () => {
    expect(snapshotOf(next(review(replied(), T0 + 3 * HOUR, true)))).toEqual({
      status: 'callback',
      unitId: 'roads',
      assignments: [{ unitId: 'roads', role: 'lead', status: 'replied' }],
      policy: { code: 'SQ', version: 1 },
    });
  });

  it('sent back: the unit has again the time it had left when it replied (10 h from now)', () => {
    const d = review(replied(), T0 + 5 * HOUR, false);
    const s = next(d);
    expect(s.status).toBe('signed');
    expect(s.deadlines).toEqual({
      complete: {
        kind: 'complete',
        startAt: iso(T0 + 5 * HOUR),
        dueAt: iso(T0 + 15 * HOUR),
        remindersSent: 0,
        overdue: false,
      },
    });
    expect(d.kind === 'changed' && d.events).toEqual([
      {
        type: 'ticket.reply_reviewed',
        actor: REVIEWER,
        data: {
          unitId: 'roads',
          approved: false,
          note: '请补充整改照片和验收情况',
          completeDueAt: iso(T0 + 15 * HOUR),
        },
      },
    ]);
  });

  it('sent back: the extension cap moves with the deadline, by the time the reply spent with the centre', () => {
    const s = next(review(replied(), T0 + 5 * HOUR, false));
    expect(s.extensionBaseDueAt).toBe(iso(T0 + 15 * HOUR));
  });

  it('sent back: the unit replies again, and may be approved', () => {
    const back = next(review(replied(), T0 + 5 * HOUR, false));
    const again = next(reply(back, T0 + 6 * HOUR, { content: `${GOOD_REPLY}附整改照片三张。` }));
    expect(again.remainingAtReplyMs).toBe(9 * HOUR);
    expect(next(review(again, T0 + 7 * HOUR, true)).status).toBe('callback');
  });

  it('sent back in a rectification round: back to rectifying', () => {
    let s = next(review(replied(), T0 + 3 * HOUR, true));
    s = callback(s, T0 + 4 * HOUR, 'sms', 'unsatisfied');
    s = callback(s, T0 + 5 * HOUR, 'manual', 'unsatisfied');
    expect(s.status).toBe('rectifying');
    s = next(reply(s, T0 + 7 * HOUR)); // 10 h left of the 12 h rectification limit
    const back = next(review(s, T0 + 8 * HOUR, false));
    expect(back.status).toBe('rectifying');
    expect(back.deadlines.complete?.dueAt).toBe(iso(T0 + 18 * HOUR));
  });

  /** Signed by roads, which asks the centre for `requested` more an hour after T0. */
  const askedExtension = (requested: Duration): TicketState =>
    next(
      decideExtensionRequest(
        signed(),
        { unitId: 'roads', requested, reason: '需协调', actor: clerk() },
        at(T0 + HOUR),
      ),
    );

  it('sent back when an extension had been granted: the unit keeps its extended time', () => {
    let s = askedExtension({ amount: 12, unit: 'hours' });
    s = next(
      decideExtensionDecision(s, { approve: true, granted: null, note: '', actor: REVIEWER }, at(T0 + HOUR)),
    );
    s = next(reply(s, T0 + 2 * HOUR)); // due T0 + 24 h: 22 h left
    expect(next(review(s, T0 + 4 * HOUR, false)).deadlines.complete?.dueAt).toBe(iso(T0 + 26 * HOUR));
  });

  it('a reply while an extension request awaits the centre withdraws it, on the record', () => {
    const d = reply(askedExtension({ amount: 1, unit: 'days' }), T0 + 2 * HOUR);
    expect(eventsOf(d)[0]).toMatchObject({
      type: 'ticket.replied',
      data: { withdrawnExtension: { unitId: 'roads', requested: { amount: 1, unit: 'days' } } },
    });
    expect(next(d).pendingExtension).toBeNull();
    // Without a request pending, the reply says nothing of one.
    expect(eventsOf(reply(signed(), T0 + 2 * HOUR))[0].data).not.toHaveProperty('withdrawnExtension');
  });

  it('refuses to send a reply back without a note for the unit (validation_failed)', () => {
    expectCode(review(replied(), T0 + 3 * HOUR, false, '  '), 'validation_failed');
    expectCode(review(replied(), T0 + 3 * HOUR, false, '\u200b\u3164'), 'validation_failed');
  });

  it('refuses a review when there is no reply to review (action_rejected)', () => {
    expectCode(review(signed(), T0 + 3 * HOUR, true), 'action_rejected');
    // After a review, another one (a different decision) finds no reply; the same one is a repeat.
    expectCode(review(next(review(replied(), T0 + 3 * HOUR, true)), T0 + 4 * HOUR, false), 'action_rejected');
  });

  it('does not change the state it is given', () => {
    const s = replied();
    const before = JSON.stringify(s);
    review(s, T0 + 3 * HOUR, true);
    review(s, T0 + 3 * HOUR, false);
    expect(JSON.stringify(s)).toBe(before);
  });
});

describe('the centre reviews a reply twice', () => {
  it('the same review again is already applied; another is refused', () => {
    const approved = next(review(replied(), T0 + 3 * HOUR, true));
    expect(review(approved, T0 + 3 * HOUR + 1000, true)).toEqual({ kind: 'unchanged' });
    expect(review(approved, T0 + 3 * HOUR + 1000, false)).toMatchObject({
      kind: 'rejected',
      code: 'action_rejected',
    });
    const sentBack = next(review(replied(), T0 + 3 * HOUR, false));
    expect(review(sentBack, T0 + 3 * HOUR + 1000, false)).toEqual({ kind: 'unchanged' });
    expect(review(sentBack, T0 + 3 * HOUR + 1000, false, '另一条意见')).toMatchObject({ kind: 'rejected' });
  });
});

describe('a reply and the unit’s service promises (服务承诺, closure standard art. 5.5)', () => {
  const BROKEN = '经核实，因近期维修人员紧张，我处暂时无法上门维修，请您自行将井盖破损情况拍照上传。';
  it('does not close when it contradicts a promise the command carries; it is recorded as refused', () => {
    const d = reply(signed(), T0 + 2 * HOUR, { content: BROKEN, servicePromises: ['24小时内上门维修'] });
    expectCode(d, 'reply_not_closable');
    expect(d).toMatchObject({
      details: { defects: [{ code: 'contradicts_service_promise' }] },
      record: [{ type: 'ticket.reply_rejected', data: { defects: ['contradicts_service_promise'] } }],
    });
  });
  it('closes without promises (a command recorded before units had them), or keeping them', () => {
    expect(reply(signed(), T0 + 2 * HOUR, { content: BROKEN }).kind).toBe('changed');
    expect(reply(signed(), T0 + 2 * HOUR, { servicePromises: ['24小时内上门维修'] }).kind).toBe('changed');
  });
});

describe('the promise reading amended (promise-v2)', () => {
  const content = '经核实，因近期维修人员紧张，我处暂时没法上门维修，已设置警示标志并告知您。';
  const cmd = { unitId: 'roads', content, servicePromises: ['24小时内上门维修'], actor: clerk() };
  it('reads "没法" as breaking the promise; a reply decided before it replays as it was taken', () => {
    expectCode(decideReply(signed(), cmd, at(T0 + 2 * HOUR)), 'reply_not_closable');
    expect(decideReply(signed(), cmd, { ...at(T0 + 2 * HOUR), amended: { 'promise-v2': false } }).kind).toBe(
      'changed',
    );
  });
});

describe('the promise reading amended (closure-v3)', () => {
  const content = '经核实，该路灯线路老化，我处已于当日更换线路恢复照明，后续3个工作日内上门维修加固灯杆。';
  const cmd = { unitId: 'roads', content, servicePromises: ['24小时内上门维修'], actor: clerk() };
  it('reads more time than promised as breaking the promise; a reply decided before it replays as it was taken', () => {
    const d = decideReply(signed(), cmd, at(T0 + 2 * HOUR));
    expectCode(d, 'reply_not_closable');
    expect(JSON.stringify(d)).toContain('contradicts_service_promise');
    expect(decideReply(signed(), cmd, { ...at(T0 + 2 * HOUR), amended: { 'closure-v3': false } }).kind).toBe(
      'changed',
    );
    // Within the time promised, it closes.
    expect(
      decideReply(signed(), { ...cmd, content: content.replace('3个工作日', '12小时') }, at(T0 + 2 * HOUR))
        .kind,
    ).toBe('changed');
  });
});

describe('"需协调" in a reply as amended (closure-v3)', () => {
  const cmd = {
    unitId: 'roads',
    content: '经核实，该路段需协调管线迁改，拟于2026年12月20日前完成地砖更换。',
    responsibleDepartment: '市交通运输局养护科',
    isPlan: true,
    plannedCompletionDate: '2026-12-20',
    actor: clerk(),
  };
  it('takes a dated plan that arranges work with others; a reply decided before it replays as refused', () => {
    expect(decideReply(signed(), cmd, at(T0 + 2 * HOUR)).kind).toBe('changed');
    const before = decideReply(signed(), cmd, { ...at(T0 + 2 * HOUR), amended: { 'closure-v3': false } });
    expectCode(before, 'reply_not_closable');
    expect(JSON.stringify(before)).toContain('no_responsible_department');
  });
  it('still refuses duties needing coordination', () => {
    const unclear = { ...cmd, content: '经核实，该路段养护职责需协调明确，拟于2026年12月20日前完成。' };
    expectCode(decideReply(signed(), unclear, at(T0 + 2 * HOUR)), 'reply_not_closable');
  });
});
