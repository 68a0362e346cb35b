import type { SubDispatchCommand, SubReplyCommand, SubReviewCommand } from './contract';
import { decideProgressNote } from './progress';
import { decideReturn } from './return';
import { nextWake } from './clock';
import { handlingLevel, snapshotOf } from './state';
import { decideTimers } from './timers';
import type { TicketState } from './state';
import {
  decideSubDecline,
  decideSubDispatch,
  decideSubRecall,
  decideSubReply,
  decideSubReview,
  decideSubSign,
  decideSubUnitReply,
} from './sub-dispatch';
import {
  at,
  clerk,
  deepFreeze,
  dispatched,
  eventsOf,
  expectCode,
  GOOD_REPLY,
  GS,
  HOUR,
  MIN,
  next,
  reply,
  signed,
  T0,
} from './testing.fixtures';

// The roads unit is the hub; its two sections are its sub-units.
const EAST = { unitId: 'roads-east', unitName: '市政工程处东区养护所' };
const WEST = { unitId: 'roads-west', unitName: '市政工程处西区养护所' };
const t = T0 + HOUR;

const pass = (s: TicketState, over: Partial<SubDispatchCommand> = {}) =>
  decideSubDispatch(
    deepFreeze(s),
    {
      unitId: 'roads',
      subUnit: EAST,
      subTicketNo: 'DQ-2026-017',
      note: '请核实处理，3小时内报结果。',
      actor: clerk(),
      ...over,
    },
    at(t),
  );
const decline = (s: TicketState, unitId = EAST.unitId, reason = '该路段属西区养护范围') =>
  decideSubDecline(deepFreeze(s), { unitId, reason, actor: clerk(unitId) }, at(t + 10 * MIN));
const subSign = (s: TicketState, unitId = EAST.unitId) =>
  decideSubSign(deepFreeze(s), { unitId, actor: clerk(unitId) }, at(t + 5 * MIN));
/** The state once the unit signed for its pass (as it is where it could not, or had). */
const signedBy = (s: TicketState, unitId: string) => {
  const d = subSign(s, unitId);
  return d.kind === 'changed' ? next(d) : s;
};
/** A sub-unit's result, sent as its clerk does: signed for first. */
const subReply = (s: TicketState, over: Partial<SubReplyCommand> = {}) =>
  decideSubUnitReply(
    deepFreeze(signedBy(s, over.unitId ?? EAST.unitId)),
    { unitId: EAST.unitId, content: GOOD_REPLY, actor: clerk(EAST.unitId), ...over },
    at(t + HOUR),
  );
const leaderReview = (s: TicketState, approve: boolean, over: Partial<SubReviewCommand> = {}) =>
  decideSubReview(
    deepFreeze(s),
    {
      unitId: 'roads',
      approve,
      leaderName: '王处长',
      note: approve ? '' : '请补充现场照片',
      actor: clerk(),
      ...over,
    },
    at(t + 2 * HOUR),
  );

describe('Multi-level handling (RULES §2: a hub re-dispatches to its sub-units)', () => {
  it('passes a signed ticket to a sub-unit, with its number and the hub’s instructions; no deadline moves', () => {
    const s = signed();
    const d = pass(s);
    expect(eventsOf(d)).toEqual([
      {
        type: 'ticket.sub_dispatched',
        actor: clerk(),
        data: {
          unitId: 'roads',
          subUnitId: EAST.unitId,
          subUnitName: EAST.unitName,
          subTicketNo: 'DQ-2026-017',
          note: '请核实处理，3小时内报结果。',
          recalledSubUnitId: null,
          // It signs within the policy's sign limit, as the lead does (SQ: 1 h).
          signDueAt: new Date(t + HOUR).toISOString(),
        },
      },
    ]);
    const after = next(d);
    expect(after.status).toBe('signed');
    expect(after.deadlines).toEqual(s.deadlines);
    expect(snapshotOf(after).assignments).toEqual([
      { unitId: 'roads', role: 'lead', status: 'signed' },
      { unitId: EAST.unitId, role: 'sub', status: 'dispatched' },
    ]);
    // The same pass again (a retried request) is already applied.
    expect(pass(after)).toEqual({ kind: 'unchanged' });
    // The same sub-unit and number with other instructions, another time or other files is not
    // taken as if it had been, even a time past the hub's own.
    for (const over of [
      { note: '请于今日内上门核实。' },
      { dueAt: new Date(t + 2 * HOUR).toISOString() },
      { dueAt: new Date(t + 30 * 24 * HOUR).toISOString() },
      { attachments: [{ attachmentId: 'slip-2', name: '审批单.pdf', kind: 'approval_slip' as const }] },
    ])
      expect(pass(after, over)).toMatchObject({ kind: 'rejected', code: 'sub_dispatch_open' });
    // A course recorded before the rule replays as it was decided; a pass recorded before
    // signatures is compared by its time.
    const other = { note: '请于今日内上门核实。' };
    const before = { ...at(t), amended: { 'pass-once': false as const } };
    expect(
      decideSubDispatch(
        after,
        { unitId: 'roads', subUnit: EAST, subTicketNo: 'DQ-2026-017', actor: clerk(), ...other },
        before,
      ),
    ).toEqual({ kind: 'unchanged' });
    const legacy: TicketState = {
      ...after,
      subDispatches: after.subDispatches!.map(({ signature: _, ...p }) => p),
    };
    expect(pass(legacy, other)).toEqual({ kind: 'unchanged' });
  });

  it('a unit that had the ticket as lead before, passed it now, appears once: as the sub-unit', () => {
    const s = { ...signed(), formerUnitIds: [EAST.unitId] };
    expect(snapshotOf(s).assignments).toContainEqual({
      unitId: EAST.unitId,
      role: 'lead',
      status: 'withdrawn',
    });
    const passed = snapshotOf(next(pass(s))).assignments.filter((a) => a.unitId === EAST.unitId);
    expect(passed).toEqual([{ unitId: EAST.unitId, role: 'sub', status: 'dispatched' }]);
  });

  it('only the lead unit passes it, once signed, while handling it; never to itself or an assisting unit', () => {
    expectCode(pass(dispatched()), 'ticket_not_signed');
    expectCode(pass(signed(), { unitId: 'parks', actor: clerk('parks') }), 'action_rejected');
    expectCode(pass(next(reply(signed(), t))), 'action_rejected');
    expectCode(pass(signed(), { subUnit: { unitId: 'roads', unitName: '市政工程处' } }), 'validation_failed');
    const withParks = signed(dispatched([{ unitId: 'parks', unitName: '园林绿化局' }]));
    expectCode(
      pass(withParks, { subUnit: { unitId: 'parks', unitName: '园林绿化局' } }),
      'validation_failed',
    );
  });

  it('passing it to another sub-unit recalls an unanswered pass; a result awaiting review must be reviewed first', () => {
    const once = next(pass(signed()));
    const moved = next(pass(once, { subUnit: WEST, subTicketNo: null }));
    expect(moved.subDispatches!.map((d) => [d.subUnitId, d.status])).toEqual([
      [EAST.unitId, 'recalled'],
      [WEST.unitId, 'dispatched'],
    ]);
    expect(snapshotOf(moved).assignments).toContainEqual({
      unitId: EAST.unitId,
      role: 'sub',
      status: 'withdrawn',
    });
    const answered = next(subReply(once));
    expectCode(pass(answered, { subUnit: WEST }), 'sub_dispatch_open');
  });

  it('while a sub-unit has it, the hub neither replies itself nor returns it', () => {
    const s = next(pass(signed()));
    expectCode(reply(s, t + HOUR), 'sub_dispatch_open');
    expectCode(
      decideReturn(
        s,
        { unitId: 'roads', reason: '不属本单位职责', suggestedUnit: null, actor: clerk() },
        at(t),
      ),
      'sub_dispatch_open',
    );
  });

  it('the hub takes back a pass not answered, and may then reply itself; a result sent is reviewed instead', () => {
    const recall = (s: TicketState, reason = '该街道未按时接单，改由本单位直接办理') =>
      decideSubRecall(deepFreeze(s), { unitId: 'roads', reason, actor: clerk() }, at(t + 30 * MIN));
    const s = next(pass(signed()));
    const d = recall(s);
    expect(eventsOf(d)).toEqual([
      {
        type: 'ticket.sub_recalled',
        actor: clerk(),
        data: { unitId: 'roads', subUnitId: EAST.unitId, reason: '该街道未按时接单，改由本单位直接办理' },
      },
    ]);
    const back = next(d);
    expect(recall(back)).toEqual({ kind: 'unchanged' });
    expect(snapshotOf(back).assignments).toContainEqual({
      unitId: EAST.unitId,
      role: 'sub',
      status: 'withdrawn',
    });
    expect(eventsOf(reply(back, t + HOUR)).map((e) => e.type)).toEqual(['ticket.replied']);
    expectCode(subReply(back), 'action_rejected');
    expectCode(recall(s, ' '), 'validation_failed');
    expectCode(recall(signed()), 'action_rejected');
    expectCode(recall(next(subReply(s))), 'sub_dispatch_open');
    expectCode(
      decideSubRecall(s, { unitId: EAST.unitId, reason: '收回', actor: clerk(EAST.unitId) }, at(t)),
      'action_rejected',
    );
  });

  it('once a sub-unit sent its result, it neither declines nor answers again, and is told why', () => {
    const sent = next(subReply(next(pass(signed()))));
    expect(decline(sent)).toMatchObject({
      kind: 'rejected',
      code: 'action_rejected',
      message: expect.stringContaining('has sent its result'),
    });
  });

  it('a sub-unit declines it back to the hub, with a reason; the declines are counted for supervision', () => {
    const s = next(pass(signed()));
    const d = decline(s);
    expect(eventsOf(d)).toEqual([
      {
        type: 'ticket.sub_declined',
        actor: clerk(EAST.unitId),
        data: { unitId: 'roads', subUnitId: EAST.unitId, reason: '该路段属西区养护范围', declines: 1 },
      },
    ]);
    const back = next(d);
    expect(snapshotOf(back).assignments).toContainEqual({
      unitId: EAST.unitId,
      role: 'sub',
      status: 'withdrawn',
    });
    expect(decline(back)).toEqual({ kind: 'unchanged' });
    // Passed on to the west section, which declines it too: the second decline on the ticket.
    const west = next(pass(back, { subUnit: WEST, subTicketNo: null }));
    expect(eventsOf(decline(west, WEST.unitId, '属东区范围'))[0]).toMatchObject({ data: { declines: 2 } });
    expectCode(decline(west), 'action_rejected');
    expectCode(decline(s, EAST.unitId, '  '), 'validation_failed');
  });

  it('the sub-unit signs for its pass (签收, 接单): on its desk as signed; signing again is that signature', () => {
    const s = next(pass(signed()));
    const d = subSign(s);
    expect(eventsOf(d)).toEqual([
      {
        type: 'ticket.sub_signed',
        actor: clerk(EAST.unitId),
        data: { unitId: 'roads', subUnitId: EAST.unitId, subTicketNo: 'DQ-2026-017', late: false },
      },
    ]);
    const taken = next(d);
    expect(taken.subDispatches![0].signedAt).toBe(new Date(t + 5 * MIN).toISOString());
    expect(snapshotOf(taken).assignments).toContainEqual({
      unitId: EAST.unitId,
      role: 'sub',
      status: 'signed',
    });
    expect(snapshotOf(s).assignments).toContainEqual({
      unitId: EAST.unitId,
      role: 'sub',
      status: 'dispatched',
    });
    expect(subSign(taken)).toEqual({ kind: 'unchanged' });
    // Its result sent, a retried signature still changes nothing.
    expect(subSign(next(subReply(taken)))).toEqual({ kind: 'unchanged' });
  });

  it('before it signs, a sub-unit neither sends its result nor passes it on; it may decline it', () => {
    const s = next(pass(signed()));
    const result = { unitId: EAST.unitId, content: GOOD_REPLY, actor: clerk(EAST.unitId) };
    expectCode(decideSubUnitReply(deepFreeze(s), result, at(t + HOUR)), 'ticket_not_signed');
    const onward = pass(s, {
      unitId: EAST.unitId,
      actor: clerk(EAST.unitId),
      subUnit: { unitId: 'roads-east-1', unitName: '东区养护所一班' },
      subTicketNo: null,
    });
    expectCode(onward, 'ticket_not_signed');
    expect(decline(s).kind).toBe('changed');
    // Signed, it does both.
    const taken = next(subSign(s));
    expect(decideSubUnitReply(deepFreeze(taken), result, at(t + HOUR)).kind).toBe('changed');
  });

  it('only the sub-unit the ticket was passed to signs for it, while the pass is open', () => {
    const s = next(pass(signed()));
    expectCode(subSign(s, WEST.unitId), 'action_rejected');
    expectCode(subSign(s, 'roads'), 'action_rejected');
    expectCode(subSign(signed()), 'action_rejected');
    expectCode(subSign(next(decline(s))), 'action_rejected');
    // Passed again to the same sub-unit with another number of its own: a new pass, signed anew.
    const again = next(pass(next(subSign(s)), { subTicketNo: 'DQ-2026-018' }));
    expect(snapshotOf(again).assignments).toContainEqual({
      unitId: EAST.unitId,
      role: 'sub',
      status: 'dispatched',
    });
    expect(subSign(again).kind).toBe('changed');
  });

  it('sent back by the hub leader, the sub-unit stays signed and answers again', () => {
    const answered = next(subReply(next(pass(signed()))));
    const sentBack = next(leaderReview(answered, false));
    expect(sentBack.subDispatches![0].signedAt).not.toBeNull();
    expect(subSign(sentBack)).toEqual({ kind: 'unchanged' });
    const result = { unitId: EAST.unitId, content: `${GOOD_REPLY}（补充）`, actor: clerk(EAST.unitId) };
    expect(decideSubUnitReply(deepFreeze(sentBack), result, at(t + 3 * HOUR)).kind).toBe('changed');
  });

  it('the same send-back again is already applied; another, with nothing left to review, is refused', () => {
    const answered = next(subReply(next(pass(signed()))));
    const sentBack = next(leaderReview(answered, false));
    expect(leaderReview(sentBack, false)).toEqual({ kind: 'unchanged' });
    expect(leaderReview(sentBack, false, { note: ' 请补充现场照片 ' })).toEqual({ kind: 'unchanged' });
    expectCode(leaderReview(sentBack, false, { note: '另请补充测量数据' }), 'action_rejected');
    expectCode(leaderReview(sentBack, true), 'action_rejected');
    // Answered again, the result awaits review: the same send-back is a new one.
    const result = { unitId: EAST.unitId, content: `${GOOD_REPLY}（补充）`, actor: clerk(EAST.unitId) };
    const answeredAgain = next(decideSubUnitReply(deepFreeze(sentBack), result, at(t + 3 * HOUR)));
    expect(eventsOf(leaderReview(answeredAgain, false)).map((e) => e.type)).toEqual([
      'ticket.sub_reply_reviewed',
    ]);
  });

  it('a course recorded before signing was asked replays as it was decided: a result and a pass without signing', () => {
    const s = next(pass(signed()));
    const before = { ...at(t + HOUR), amended: { 'sub-unit-signs': false } };
    const result = { unitId: EAST.unitId, content: GOOD_REPLY, actor: clerk(EAST.unitId) };
    expect(eventsOf(decideSubUnitReply(deepFreeze(s), result, before))).toEqual(
      eventsOf(decideSubReply(deepFreeze(s), result, before)),
    );
    const onward = decideSubDispatch(
      deepFreeze(s),
      {
        unitId: EAST.unitId,
        subUnit: { unitId: 'roads-east-1', unitName: '东区养护所一班' },
        subTicketNo: null,
        note: '请办理。',
        actor: clerk(EAST.unitId),
      },
      before,
    );
    expect(onward.kind).toBe('changed');
  });

  it('the sub-unit notes its progress while the ticket is on its desk, not after sending its result', () => {
    const s = next(pass(signed()));
    const note = (st: TicketState, unitId: string) =>
      decideProgressNote(
        deepFreeze(st),
        { unitId, content: '已约物业现场查看。', actor: clerk(unitId) },
        at(t),
      );
    expect(eventsOf(note(s, EAST.unitId))).toEqual([
      {
        type: 'ticket.progress_noted',
        actor: clerk(EAST.unitId),
        data: { unitId: EAST.unitId, content: '已约物业现场查看。' },
      },
    ]);
    expectCode(note(s, WEST.unitId), 'action_rejected');
    expectCode(note(next(subReply(s)), EAST.unitId), 'action_rejected');
    // The hub notes its own progress meanwhile, as before.
    expect(eventsOf(note(s, 'roads'))).toHaveLength(1);
  });

  it('only the sub-unit it was passed to answers it', () => {
    const s = next(pass(signed()));
    expectCode(subReply(s, { unitId: WEST.unitId, actor: clerk(WEST.unitId) }), 'action_rejected');
    expectCode(decline(s, WEST.unitId), 'action_rejected');
    expectCode(subReply(signed()), 'action_rejected');
    expectCode(subReply(s, { content: ' ' }), 'validation_failed');
  });

  it('the sub-unit’s result waits for the hub leader: sent back, it answers again; approved, it is the hub’s reply', () => {
    const answered = next(subReply(next(pass(signed()))));
    expect(subReply(answered)).toEqual({ kind: 'unchanged' });
    expect(answered.status).toBe('signed');
    expect(snapshotOf(answered).assignments).toContainEqual({
      unitId: EAST.unitId,
      role: 'sub',
      status: 'replied',
    });

    const sentBack = leaderReview(answered, false);
    expect(eventsOf(sentBack)).toEqual([
      {
        type: 'ticket.sub_reply_reviewed',
        actor: clerk(),
        data: {
          unitId: 'roads',
          subUnitId: EAST.unitId,
          approved: false,
          leaderName: '王处长',
          note: '请补充现场照片',
        },
      },
    ]);
    const again = next(subReply(next(sentBack), { content: `${GOOD_REPLY}（附现场照片）` }));

    const approved = leaderReview(again, true);
    expect(eventsOf(approved).map((e) => e.type)).toEqual(['ticket.sub_reply_reviewed', 'ticket.replied']);
    expect(eventsOf(approved)[1]).toMatchObject({
      actor: clerk(),
      data: { unitId: 'roads', content: `${GOOD_REPLY}（附现场照片）` },
    });
    const after = next(approved);
    expect(after.status).toBe('replied');
    expect(snapshotOf(after).assignments).toEqual([
      { unitId: 'roads', role: 'lead', status: 'replied' },
      { unitId: EAST.unitId, role: 'sub', status: 'closed' },
    ]);
    expect(leaderReview(after, true)).toEqual({ kind: 'unchanged' });
  });

  it('the leader’s approval is held to the closure standard: a deficient result stays with the hub, on record', () => {
    const answered = next(subReply(next(pass(signed())), { content: '正在办理中' }));
    const d = leaderReview(answered, true);
    expect(d).toMatchObject({ kind: 'rejected', code: 'reply_not_closable' });
    expect(d.kind === 'rejected' && d.record?.map((e) => e.type)).toEqual(['ticket.reply_rejected']);
  });

  it('the approved result is held to the hub’s service promises (closure standard art. 5.5)', () => {
    const content = '经核实，该路段井盖破损，因养护人员紧张，我所暂时无法上门维修，已设置警示标志。';
    const answered = next(subReply(next(pass(signed())), { content }));
    const d = leaderReview(answered, true, { servicePromises: ['24小时内上门维修'] });
    expect(d).toMatchObject({ kind: 'rejected', code: 'reply_not_closable' });
    expect(d).toMatchObject({ details: { defects: [{ code: 'contradicts_service_promise' }] } });
    expect(leaderReview(answered, true).kind).toBe('changed');
  });

  it('a review from the leader’s own account says so on the record (byLeader); a clerk’s does not', () => {
    const answered = next(subReply(next(pass(signed()))));
    expect(eventsOf(leaderReview(answered, false, { byLeader: true }))[0]!.data).toMatchObject({
      byLeader: true,
    });
    expect(eventsOf(leaderReview(answered, false))[0]!.data).not.toHaveProperty('byLeader');
  });

  it('the review names its leader, is the hub’s, and needs a result to review', () => {
    const answered = next(subReply(next(pass(signed()))));
    expectCode(leaderReview(answered, true, { leaderName: ' ' }), 'validation_failed');
    expectCode(
      leaderReview(answered, true, { unitId: EAST.unitId, actor: clerk(EAST.unitId) }),
      'action_rejected',
    );
    expectCode(leaderReview(next(pass(signed())), true), 'action_rejected');
  });
});

describe('Three and four levels (GS 三级/四级承办单位: a sub-unit that is a hub passes it on in turn)', () => {
  // roads (the lead) → its east section → the section's first team → the team's night crew.
  const TEAM = { unitId: 'roads-east-1', unitName: '东区养护所一班' };
  const CREW = { unitId: 'roads-east-1-night', unitName: '一班夜间抢修组' };
  const FIFTH = { unitId: 'roads-east-1-night-a', unitName: '抢修组甲小组' };
  const by = (unitId: string) => ({ unitId, actor: clerk(unitId) });
  const passOn = (s: TicketState, from: string, to: { unitId: string; unitName: string }) =>
    pass(signedBy(s, from), { ...by(from), subUnit: to, subTicketNo: null, note: '请办理。' });
  const chain = (s: TicketState) => (s.subDispatches ?? []).map((d) => [d.hubUnitId, d.subUnitId, d.status]);
  const review = (s: TicketState, unitId: string, approve: boolean) =>
    leaderReview(s, approve, { ...by(unitId), leaderName: '李所长', note: approve ? '' : '请补充照片' });
  const toTeam = () => next(passOn(next(pass(signed())), EAST.unitId, TEAM));

  it('the sub-unit passes it to its own sub-unit, down to the fourth level; each level is on its desk', () => {
    const d = passOn(next(pass(signed())), EAST.unitId, TEAM);
    expect(eventsOf(d)).toEqual([
      {
        type: 'ticket.sub_dispatched',
        actor: clerk(EAST.unitId),
        data: {
          unitId: EAST.unitId,
          subUnitId: TEAM.unitId,
          subUnitName: TEAM.unitName,
          subTicketNo: null,
          note: '请办理。',
          recalledSubUnitId: null,
          signDueAt: expect.any(String),
        },
      },
    ]);
    const third = next(d);
    expect(snapshotOf(third).assignments).toEqual([
      { unitId: 'roads', role: 'lead', status: 'signed' },
      { unitId: EAST.unitId, role: 'sub', status: 'signed' },
      { unitId: TEAM.unitId, role: 'sub', status: 'dispatched' },
    ]);
    const fourth = next(passOn(third, TEAM.unitId, CREW));
    const units = ['roads', EAST.unitId, TEAM.unitId, CREW.unitId, WEST.unitId];
    expect(units.map((u) => handlingLevel(fourth, u))).toEqual([1, 2, 3, 4, 0]);
    expectCode(passOn(fourth, CREW.unitId, FIFTH), 'validation_failed');
    // The lead still waits for its pass: it neither replies nor returns meanwhile.
    expectCode(reply(fourth, t + HOUR), 'sub_dispatch_open');
    // The same pass again (a retried request) is the same pass.
    expect(passOn(third, EAST.unitId, TEAM)).toEqual({ kind: 'unchanged' });
  });

  it('only the unit the ticket is with passes it on: not one above it, not one that sent its result', () => {
    const third = toTeam();
    expectCode(passOn(third, TEAM.unitId, EAST), 'validation_failed');
    expectCode(passOn(third, TEAM.unitId, { unitId: 'roads', unitName: '市政工程处' }), 'validation_failed');
    expectCode(passOn(third, WEST.unitId, CREW), 'action_rejected');
    expectCode(passOn(next(subReply(next(pass(signed())))), EAST.unitId, TEAM), 'action_rejected');
    // A hub with a result awaiting its review reviews it before passing the ticket elsewhere.
    const answered = next(subReply(third, by(TEAM.unitId)));
    expectCode(passOn(answered, EAST.unitId, CREW), 'sub_dispatch_open');
  });

  it('the result climbs level by level, each through its hub leader’s review, and the lead replies', () => {
    const third = toTeam();
    // The middle hub does not answer for its sub-unit while the ticket is with it.
    expectCode(subReply(third), 'sub_dispatch_open');
    const answered = next(subReply(third, { ...by(TEAM.unitId), content: `${GOOD_REPLY}（一班）` }));
    expectCode(review(answered, 'roads', true), 'action_rejected'); // not the lead's to review yet

    const sentBack = next(review(answered, EAST.unitId, false));
    expect(chain(sentBack).at(-1)).toEqual([EAST.unitId, TEAM.unitId, 'dispatched']);
    const again = next(subReply(sentBack, { ...by(TEAM.unitId), content: `${GOOD_REPLY}（一班，附照片）` }));

    const approved = review(again, EAST.unitId, true);
    expect(eventsOf(approved)).toEqual([
      {
        type: 'ticket.sub_reply_reviewed',
        actor: clerk(EAST.unitId),
        data: { unitId: EAST.unitId, subUnitId: TEAM.unitId, approved: true, leaderName: '李所长', note: '' },
      },
      {
        type: 'ticket.sub_replied',
        actor: clerk(EAST.unitId),
        data: {
          unitId: 'roads',
          subUnitId: EAST.unitId,
          content: `${GOOD_REPLY}（一班，附照片）`,
          responsibleDepartment: null,
          plannedCompletionDate: null,
          isPlan: false,
        },
      },
    ]);
    const up = next(approved);
    expect(up.status).toBe('signed');
    expect(chain(up)).toEqual([
      ['roads', EAST.unitId, 'replied'],
      [EAST.unitId, TEAM.unitId, 'approved'],
    ]);
    expect(review(up, EAST.unitId, true)).toEqual({ kind: 'unchanged' });

    const replied = review(up, 'roads', true);
    expect(eventsOf(replied).map((e) => e.type)).toEqual(['ticket.sub_reply_reviewed', 'ticket.replied']);
    expect(eventsOf(replied)[1]).toMatchObject({
      data: { unitId: 'roads', content: `${GOOD_REPLY}（一班，附照片）` },
    });
    const done = next(replied);
    expect(done.status).toBe('replied');
    expect(snapshotOf(done).assignments).toEqual([
      { unitId: 'roads', role: 'lead', status: 'replied' },
      { unitId: EAST.unitId, role: 'sub', status: 'closed' },
      { unitId: TEAM.unitId, role: 'sub', status: 'closed' },
    ]);
    expect(review(done, EAST.unitId, true)).toEqual({ kind: 'unchanged' });
  });

  it('a pass recalled, declined or replaced takes every pass below it with it', () => {
    const fourth = next(passOn(toTeam(), TEAM.unitId, CREW));
    const recall = (s: TicketState, unitId: string) =>
      decideSubRecall(deepFreeze(s), { ...by(unitId), reason: '收回自办' }, at(t + 30 * MIN));

    const byLead = next(recall(fourth, 'roads'));
    expect(chain(byLead).map((c) => c[2])).toEqual(['recalled', 'recalled', 'recalled']);
    expect(
      snapshotOf(byLead)
        .assignments.filter((a) => a.role === 'sub')
        .map((a) => a.status),
    ).toEqual(['withdrawn', 'withdrawn', 'withdrawn']);
    expect(recall(byLead, 'roads')).toEqual({ kind: 'unchanged' });

    const byMiddle = recall(fourth, EAST.unitId);
    expect(eventsOf(byMiddle)[0]).toMatchObject({ data: { unitId: EAST.unitId, subUnitId: TEAM.unitId } });
    expect(chain(next(byMiddle)).map((c) => c[2])).toEqual(['dispatched', 'recalled', 'recalled']);
    expectCode(recall(fourth, CREW.unitId), 'action_rejected'); // passed to no one

    const declined = decline(fourth, EAST.unitId, '不属本所辖区');
    expect(eventsOf(declined)[0]).toMatchObject({
      data: { unitId: 'roads', subUnitId: EAST.unitId, declines: 1 },
    });
    expect(chain(next(declined)).map((c) => c[2])).toEqual(['declined', 'recalled', 'recalled']);

    const teamDeclines = next(decline(fourth, CREW.unitId, '非夜间事项'));
    expect(chain(teamDeclines).map((c) => c[2])).toEqual(['dispatched', 'dispatched', 'declined']);
    expect(decline(teamDeclines, CREW.unitId, '非夜间事项')).toEqual({ kind: 'unchanged' });
    // Back with the team, which may answer itself now.
    expect(eventsOf(subReply(teamDeclines, by(TEAM.unitId))).map((e) => e.type)).toEqual([
      'ticket.sub_replied',
    ]);

    const elsewhere = next(pass(fourth, { subUnit: WEST, subTicketNo: null }));
    expect(chain(elsewhere).map((c) => c[2])).toEqual(['recalled', 'recalled', 'recalled', 'dispatched']);
  });

  it('a middle hub notes its progress while its sub-unit handles the ticket', () => {
    const third = toTeam();
    const note = (unitId: string) =>
      decideProgressNote(
        deepFreeze(third),
        { unitId, content: '已督促一班处理。', actor: clerk(unitId) },
        at(t),
      );
    expect(eventsOf(note(EAST.unitId))).toHaveLength(1);
    expect(eventsOf(note(TEAM.unitId))).toHaveLength(1);
    expectCode(note(CREW.unitId), 'action_rejected');
  });
});

describe('A hub’s time for its sub-unit’s result (dueAt)', () => {
  const TEAM = { unitId: 'roads-east-1', unitName: '东区养护所一班' };
  const iso = (ms: number) => new Date(ms).toISOString();
  const timersAt = (st: TicketState, when: number) => decideTimers(deepFreeze(st), at(when));

  it('is the hub’s to give within its own time: after now, not past its reply deadline', () => {
    const s = signed();
    const leadDue = Date.parse(s.deadlines.complete!.dueAt);
    const d = pass(s, { dueAt: iso(t + 3 * HOUR) });
    expect(eventsOf(d)[0]).toMatchObject({ data: { dueAt: iso(t + 3 * HOUR) } });
    expect(next(d).subDispatches!.at(-1)).toMatchObject({ dueAt: iso(t + 3 * HOUR) });
    // Without one, the event is as it always was (no dueAt key).
    expect(eventsOf(pass(s))[0]!.data).not.toHaveProperty('dueAt');
    expect(pass(s, { dueAt: iso(t) })).toMatchObject({
      kind: 'rejected',
      code: 'validation_failed',
      details: { field: 'dueAt' },
    });
    expect(pass(s, { dueAt: iso(leadDue + MIN) })).toMatchObject({
      kind: 'rejected',
      code: 'validation_failed',
    });
    expect(pass(s, { dueAt: iso(leadDue) }).kind).toBe('changed');
    expectCode(pass(s, { dueAt: 'tomorrow' }), 'validation_failed');
  });

  it('a middle hub gives its sub-unit no more than the time it was given', () => {
    const mid = next(pass(signed(), { dueAt: iso(t + 3 * HOUR) }));
    const onward = (dueAt: string) =>
      pass(signedBy(mid, EAST.unitId), {
        unitId: EAST.unitId,
        actor: clerk(EAST.unitId),
        subUnit: TEAM,
        subTicketNo: null,
        dueAt,
      });
    expect(onward(iso(t + 2 * HOUR)).kind).toBe('changed');
    expectCode(onward(iso(t + 4 * HOUR)), 'validation_failed');
  });

  it('the clock reminds the sub-unit at the policy’s fractions of that time, then marks it overdue once, for its hub', () => {
    // Signed for (its sign time is its own clock: below).
    const s = signedBy(next(pass(signed(), { dueAt: iso(t + 3 * HOUR) })), EAST.unitId);
    const fractions = [0.5, 0.8]; // SQ: at 50 % and 80 % of the time given
    const reminded = {
      type: 'ticket.sub_reminded',
      actor: expect.anything(),
      data: { unitId: 'roads', subUnitId: EAST.unitId, dueAt: iso(t + 3 * HOUR) },
    };
    expect(nextWake(s, fractions)).toBe(t + 1.5 * HOUR);
    expect(timersAt(s, t + 1.5 * HOUR - 1).kind).toBe('unchanged');
    const first = timersAt(s, t + 1.5 * HOUR);
    expect(eventsOf(first)).toEqual([reminded]);
    expect(nextWake(next(first), fractions)).toBe(t + 2.4 * HOUR);
    const second = next(timersAt(next(first), t + 2.4 * HOUR));
    expect(second.subDispatches!.at(-1)!.remindersSent).toBe(2);
    expect(nextWake(second, fractions)).toBe(t + 3 * HOUR);
    expect(timersAt(second, t + 3 * HOUR - 1).kind).toBe('unchanged');
    // A clock that wakes late sends the reminders still before the time, none after it.
    expect(eventsOf(timersAt(s, t + 2.5 * HOUR))).toEqual([reminded, reminded]);
    expect(eventsOf(timersAt(s, t + 3 * HOUR)).map((e) => e.type)).toEqual(['ticket.sub_overdue']);
    const late = timersAt(second, t + 3 * HOUR);
    expect(eventsOf(late).filter((e) => e.type === 'ticket.sub_overdue')).toEqual([
      {
        type: 'ticket.sub_overdue',
        actor: expect.anything(),
        data: { unitId: 'roads', subUnitId: EAST.unitId, dueAt: iso(t + 3 * HOUR) },
      },
    ]);
    const marked = next(late);
    expect(marked.subDispatches!.at(-1)!.overdue).toBe(true);
    expect(eventsOf(timersAt(marked, t + 4 * HOUR)).filter((e) => e.type === 'ticket.sub_overdue')).toEqual(
      [],
    );
    // The result sent in time: neither reminded nor marked.
    const answered = next(subReply(s));
    expect(
      eventsOf(timersAt(answered, t + 3 * HOUR)).filter((e) => e.type.startsWith('ticket.sub_')),
    ).toEqual([]);
  });

  it('a course recorded before the reminders woke only at the time itself, and replays so', () => {
    const s = signedBy(next(pass(signed(), { dueAt: iso(t + 3 * HOUR) })), EAST.unitId);
    const before = { 'sub-pass-reminders': false };
    expect(nextWake(s, [0.5, 0.8], before)).toBe(t + 3 * HOUR);
    expect(decideTimers(deepFreeze(s), { ...at(t + 2.5 * HOUR), amended: before }).kind).toBe('unchanged');
    expect(eventsOf(decideTimers(deepFreeze(s), { ...at(t + 3 * HOUR), amended: before }))).toEqual([
      expect.objectContaining({ type: 'ticket.sub_overdue' }),
    ]);
  });
});

describe('A sub-unit’s sign time (签收时限: sign within the policy’s limit, as the lead does)', () => {
  const iso = (ms: number) => new Date(ms).toISOString();
  const timersAt = (st: TicketState, when: number) => decideTimers(deepFreeze(st), at(when));
  const fractions = [0.5, 0.8]; // SQ: at 50 % and 80 % of the hour
  const signDue = iso(t + HOUR);
  const clockEvent = (type: 'ticket.reminded' | 'ticket.overdue') => ({
    type,
    actor: expect.anything(),
    data: { deadline: 'sign', dueAt: signDue, unitId: EAST.unitId },
  });

  it('runs from the pass: the sub-unit is reminded at the policy’s fractions, then marked overdue once', () => {
    const s = next(pass(signed()));
    expect(s.subDispatches!.at(-1)).toMatchObject({ signDueAt: signDue });
    expect(nextWake(s, fractions)).toBe(t + 0.5 * HOUR);
    expect(timersAt(s, t + 0.5 * HOUR - 1).kind).toBe('unchanged');
    const first = timersAt(s, t + 0.5 * HOUR);
    expect(eventsOf(first)).toEqual([clockEvent('ticket.reminded')]);
    expect(nextWake(next(first), fractions)).toBe(t + 0.8 * HOUR);
    const second = next(timersAt(next(first), t + 0.8 * HOUR));
    expect(second.subDispatches!.at(-1)!.signRemindersSent).toBe(2);
    expect(nextWake(second, fractions)).toBe(t + HOUR);
    const late = timersAt(second, t + HOUR);
    expect(eventsOf(late)).toEqual([clockEvent('ticket.overdue')]);
    const marked = next(late);
    expect(marked.subDispatches!.at(-1)!.signOverdue).toBe(true);
    expect(timersAt(marked, t + 2 * HOUR).kind).toBe('unchanged');
    // Marked, it may still sign, and then handles the ticket as any sub-unit.
    expect(signedBy(marked, EAST.unitId).subDispatches!.at(-1)!.signedAt).toBeTruthy();
  });

  it('a sub-unit that signs past it signs late: accepted, and on the record as late', () => {
    const s = next(pass(signed()));
    const sign = (ms: number) =>
      eventsOf(decideSubSign(deepFreeze(s), { unitId: EAST.unitId, actor: clerk(EAST.unitId) }, at(ms)))[0]!;
    expect(sign(t + HOUR).data).toMatchObject({ late: false });
    expect(sign(t + HOUR + 1).data).toMatchObject({ late: true });
  });

  it('stops once the sub-unit signs, declines or is recalled', () => {
    const s = next(pass(signed()));
    for (const settled of [
      signedBy(s, EAST.unitId),
      next(decline(s)),
      next(
        decideSubRecall(deepFreeze(s), { unitId: 'roads', reason: '改由本处办理', actor: clerk() }, at(t)),
      ),
    ]) {
      expect(nextWake(settled, fractions) === null || nextWake(settled, fractions)! > t + HOUR).toBe(true);
      const clock = eventsOf(timersAt(settled, t + HOUR));
      expect(clock.filter((e) => e.type === 'ticket.reminded' || e.type === 'ticket.overdue')).toEqual([]);
    }
  });

  it('is the policy’s: a day under GS, on its calendar', () => {
    const s = signed(dispatched([], GS));
    const d = decideSubDispatch(
      deepFreeze(s),
      { unitId: 'roads', subUnit: EAST, subTicketNo: null, note: '请办理', actor: clerk() },
      at(t, GS),
    );
    expect(next(d).subDispatches!.at(-1)!.signDueAt).toBe(iso(t + 24 * HOUR));
  });

  it('is no later than the time the hub gave for the result (amendment sub-sign-within-due)', () => {
    const cmd = {
      unitId: 'roads',
      subUnit: EAST,
      subTicketNo: null,
      note: '请办理',
      dueAt: iso(t + 20 * MIN),
      actor: clerk(),
    };
    const d = decideSubDispatch(deepFreeze(signed()), cmd, at(t));
    expect(eventsOf(d)[0]!.data).toMatchObject({ dueAt: iso(t + 20 * MIN), signDueAt: iso(t + 20 * MIN) });
    // A course recorded before it replays with the sign limit as it ran.
    const before = decideSubDispatch(deepFreeze(signed()), cmd, {
      ...at(t),
      amended: { 'sub-sign-within-due': false },
    });
    expect(eventsOf(before)[0]!.data).toMatchObject({ signDueAt: iso(t + HOUR) });
  });

  it('a course recorded before sub-units had a sign time replays as it was decided: none runs', () => {
    const before = { ...at(t), amended: { 'sub-unit-sign-time': false } };
    const d = decideSubDispatch(
      deepFreeze(signed()),
      { unitId: 'roads', subUnit: EAST, subTicketNo: null, note: '请办理', actor: clerk() },
      before,
    );
    expect(eventsOf(d)[0]!.data).not.toHaveProperty('signDueAt');
    const s = next(d);
    expect(s.subDispatches!.at(-1)).not.toHaveProperty('signDueAt');
    expect(timersAt(s, t + HOUR).kind).toBe('unchanged');
    // Its signature, however late, says nothing of lateness: it had no sign time.
    const signature = decideSubSign(
      deepFreeze(s),
      { unitId: EAST.unitId, actor: clerk(EAST.unitId) },
      at(t + 9 * HOUR),
    );
    expect(eventsOf(signature)[0]!.data).not.toHaveProperty('late');
  });
});
