import {
  decideReply,
  decideReturn,
  decideReturnDecision,
  decideSign,
  decideTimers,
  initialState,
  returnSuggestionProblem,
  snapshotOf,
} from '../index';
import type { Actor, DecideReturnCommand, Decision, ReturnCommand, TicketState } from '../index';
import {
  HOUR,
  LIGHTS,
  MIN,
  PARKS,
  ROADS,
  SQ,
  T0,
  at,
  clerk,
  deepFreeze,
  dispatched,
  iso,
  next,
  signed,
} from './testing.fixtures';

// The SQ policy (return window 12 h after dispatch, sign 1 h, complete 12 h) on the mainland calendar.
const CENTRE: Actor = { kind: 'user', userId: 'dispatcher-1', role: 'operator' };
const REASON = '行道树修剪不属于本单位职责，依据《城市绿化条例》第二十条，应由园林绿化部门负责';

const returnCmd = (over: Partial<ReturnCommand> = {}): ReturnCommand => ({
  unitId: 'roads',
  reason: REASON,
  suggestedUnit: PARKS,
  actor: clerk('roads'),
  ...over,
});
const ret = (s: TicketState, t: number, over: Partial<ReturnCommand> = {}): Decision =>
  decideReturn(s, returnCmd(over), at(t));

const decision = (approve: boolean, over: Partial<DecideReturnCommand> = {}): DecideReturnCommand => ({
  approve,
  redispatchTo: null,
  note: approve ? '同意退回，改派园林绿化局' : '属于本单位职责，请继续办理',
  actor: CENTRE,
  ...over,
});

describe('Return (退回) within 12 h of dispatch, with reason and a suggested unit (SQ art. 10.4)', () => {
  it('accepts a return exactly at the end of the window', () => {
    const d = ret(dispatched(), T0 + 12 * HOUR);
    expect(next(d)).toMatchObject({
      status: 'returned',
      statusBeforeReturn: 'dispatched',
      pendingReturn: { unitId: 'roads', reason: REASON, suggestedUnit: PARKS },
    });
    expect(d.kind === 'changed' && d.events).toEqual([
      {
        type: 'ticket.returned',
        actor: clerk('roads'),
        data: { unitId: 'roads', reason: REASON, suggestedUnitId: 'parks' },
      },
    ]);
  });

  it('refuses a return 1 ms after the window closed (return_window_closed)', () => {
    expect(ret(dispatched(), T0 + 12 * HOUR + 1)).toMatchObject({
      kind: 'rejected',
      code: 'return_window_closed',
    });
  });

  it('accepts a return of a signed ticket, and remembers it was signed', () => {
    expect(next(ret(signed(), T0 + HOUR))).toMatchObject({
      status: 'returned',
      statusBeforeReturn: 'signed',
    });
  });

  it('accepts a return that names no responsible unit; the centre then names one', () => {
    const d = ret(dispatched(), T0 + HOUR, { suggestedUnit: null });
    expect(d.kind === 'changed' && d.events[0].data).toMatchObject({ suggestedUnitId: null });
  });

  it('treats the same return again as already applied', () => {
    const s = next(ret(dispatched(), T0 + HOUR));
    expect(ret(s, T0 + 2 * HOUR)).toEqual({ kind: 'unchanged' });
  });

  it('refuses another return while one awaits the centre (return-once); before it, took it as applied', () => {
    const s = next(ret(dispatched(), T0 + HOUR, { suggestedUnit: null, reason: 'x 不属本单位' }));
    const other = returnCmd({ suggestedUnit: PARKS });
    expect(decideReturn(s, other, at(T0 + 2 * HOUR))).toMatchObject({
      kind: 'rejected',
      code: 'action_rejected',
    });
    expect(decideReturn(s, other, { ...at(T0 + 2 * HOUR), amended: { 'return-once': false } })).toEqual({
      kind: 'unchanged',
    });
  });

  it('refuses a return without a reason (validation_failed)', () => {
    for (const reason of ['   ', '\u200b\u3000'])
      expect(ret(dispatched(), T0 + HOUR, { reason })).toMatchObject({
        kind: 'rejected',
        code: 'validation_failed',
      });
  });

  it('refuses a return by a unit the ticket is not with (action_rejected)', () => {
    expect(ret(dispatched([PARKS]), T0 + HOUR, { unitId: 'parks', actor: clerk('parks') })).toMatchObject({
      kind: 'rejected',
      code: 'action_rejected',
    });
  });

  it('refuses a return of a ticket not dispatched yet (action_rejected)', () => {
    const s = deepFreeze(initialState({ ticketNo: 'SQ-2026-0001', policy: SQ }));
    expect(ret(s, T0)).toMatchObject({ kind: 'rejected', code: 'action_rejected' });
  });

  it('refuses a return once the unit has replied (action_rejected)', () => {
    const content = '经现场核实，该路段井盖破损，我处当日更换了新井盖并设置警示标志，道路恢复通行。';
    const replied = next(
      decideReply(signed(), { unitId: 'roads', content, actor: clerk('roads') }, at(T0 + HOUR)),
    );
    expect(ret(replied, T0 + 2 * HOUR)).toMatchObject({ kind: 'rejected', code: 'action_rejected' });
  });

  it('does not change the state it is given', () => {
    const s = dispatched();
    const before = JSON.stringify(s);
    ret(s, T0 + HOUR);
    expect(JSON.stringify(s)).toBe(before);
  });
});

describe('The centre decides a return', () => {
  const returnedAt = T0 + 2 * HOUR;
  const decidedAt = T0 + 3 * HOUR;
  const returned = (from = dispatched()): TicketState => next(ret(from, returnedAt));

  it('approved: dispatches to the suggested unit, with fresh clocks from the decision', () => {
    const d = decideReturnDecision(returned(), decision(true), at(decidedAt));
    const s = next(d);
    expect(s).toMatchObject({
      status: 'dispatched',
      unitId: 'parks',
      unitName: '园林绿化局',
      formerUnitIds: ['roads'],
      pendingReturn: null,
      signDueAt: iso(decidedAt + HOUR),
      returnWindowEndsAt: iso(decidedAt + 12 * HOUR),
    });
    expect(s.deadlines.complete?.dueAt).toBe(iso(decidedAt + 12 * HOUR));
    expect(d.kind === 'changed' && d.events.map((e) => e.type)).toEqual([
      'ticket.return_decided',
      'ticket.dispatched',
    ]);
    expect(d.kind === 'changed' && d.events[0]).toEqual({
      type: 'ticket.return_decided',
      actor: CENTRE,
      data: { unitId: 'roads', approved: true, note: '同意退回，改派园林绿化局' },
    });
    expect(d.kind === 'changed' && d.events[1].actor).toEqual(CENTRE);
  });

  it('approved: shows the former unit’s desk as withdrawn and the new unit’s as dispatched', () => {
    const s = next(decideReturnDecision(returned(), decision(true), at(decidedAt)));
    expect(snapshotOf(s)).toEqual({
      status: 'dispatched',
      unitId: 'parks',
      assignments: [
        { unitId: 'roads', role: 'lead', status: 'withdrawn' },
        { unitId: 'parks', role: 'lead', status: 'dispatched' },
      ],
      policy: { code: 'SQ', version: 1 },
    });
  });

  it('approved: the centre may dispatch to another unit than the one suggested', () => {
    const s = next(decideReturnDecision(returned(), decision(true, { redispatchTo: LIGHTS }), at(decidedAt)));
    expect(s.unitId).toBe('lights');
  });

  it('approved: the new unit starts clean, the former unit’s missed sign no longer counts against it', () => {
    const late = next(decideTimers(dispatched(), at(T0 + HOUR)));
    expect(late.overdue).toEqual(['sign']);
    const s = next(decideReturnDecision(returned(late), decision(true), at(decidedAt)));
    expect(s.overdue).toEqual([]);
    expect(s.deadlines.sign).toMatchObject({ overdue: false, dueAt: iso(decidedAt + HOUR) });
  });

  it('approved: the former unit can no longer sign, the new unit can', () => {
    const s = next(decideReturnDecision(returned(), decision(true), at(decidedAt)));
    expect(decideSign(s, { unitId: 'roads', actor: clerk('roads') }, at(decidedAt + MIN))).toMatchObject({
      kind: 'rejected',
      code: 'ticket_not_signable',
    });
    expect(signed(s, 'parks', decidedAt + MIN).status).toBe('signed');
  });

  it('approved back to a former unit: it is no longer shown as withdrawn', () => {
    const toParks = next(decideReturnDecision(returned(), decision(true), at(decidedAt)));
    const back = next(
      ret(toParks, decidedAt + HOUR, { unitId: 'parks', suggestedUnit: ROADS, actor: clerk('parks') }),
    );
    const s = next(decideReturnDecision(back, decision(true), at(decidedAt + 2 * HOUR)));
    expect(s.formerUnitIds).toEqual(['parks']);
    expect(snapshotOf(s).assignments).toEqual([
      { unitId: 'parks', role: 'lead', status: 'withdrawn' },
      { unitId: 'roads', role: 'lead', status: 'dispatched' },
    ]);
  });

  it('approval with no unit to dispatch to is refused (validation_failed)', () => {
    const s = next(ret(dispatched(), returnedAt, { suggestedUnit: null }));
    expect(decideReturnDecision(s, decision(true), at(decidedAt))).toMatchObject({
      kind: 'rejected',
      code: 'validation_failed',
    });
  });

  it('refused: the ticket goes back to the unit as it was, dispatched', () => {
    const before = returned();
    const d = decideReturnDecision(before, decision(false), at(decidedAt));
    const s = next(d);
    expect(s).toMatchObject({
      status: 'dispatched',
      unitId: 'roads',
      pendingReturn: null,
      statusBeforeReturn: null,
    });
    // The clocks ran on while the centre decided.
    expect(s.deadlines).toEqual(before.deadlines);
    expect(d.kind === 'changed' && d.events).toEqual([
      {
        type: 'ticket.return_decided',
        actor: CENTRE,
        data: { unitId: 'roads', approved: false, note: '属于本单位职责，请继续办理' },
      },
    ]);
  });

  it('refused: a signed ticket goes back signed', () => {
    expect(next(decideReturnDecision(returned(signed()), decision(false), at(decidedAt))).status).toBe(
      'signed',
    );
  });

  it('refused: the unit may return again while the window is open', () => {
    const s = next(decideReturnDecision(returned(), decision(false), at(decidedAt)));
    expect(next(ret(s, T0 + 12 * HOUR)).status).toBe('returned');
  });

  it('is refused when no return awaits a decision (action_rejected)', () => {
    expect(decideReturnDecision(dispatched(), decision(true), at(decidedAt))).toMatchObject({
      kind: 'rejected',
      code: 'action_rejected',
    });
  });

  it('does not change the state it is given', () => {
    const s = returned();
    const before = JSON.stringify(s);
    decideReturnDecision(s, decision(true), at(decidedAt));
    decideReturnDecision(s, decision(false), at(decidedAt));
    expect(JSON.stringify(s)).toBe(before);
  });

  it('approved to an assisting unit: that unit becomes the lead and signs as the lead', () => {
    const s = next(decideReturnDecision(returned(dispatched([PARKS])), decision(true), at(decidedAt)));
    expect(s.assisting).toEqual([]);
    const d = decideSign(s, { unitId: 'parks', actor: clerk('parks') }, at(decidedAt + MIN));
    expect(d.kind === 'changed' && d.events.map((e) => e.type)).toEqual(['ticket.signed']);
    expect(next(d).status).toBe('signed');
  });

  it('approved to an assisting unit: each unit appears once on the snapshot', () => {
    const s = next(decideReturnDecision(returned(dispatched([PARKS])), decision(true), at(decidedAt)));
    expect(snapshotOf(s).assignments).toEqual([
      { unitId: 'roads', role: 'lead', status: 'withdrawn' },
      { unitId: 'parks', role: 'lead', status: 'dispatched' },
    ]);
  });
});

describe('the unit a return names as responsible (SQ art. 10.4)', () => {
  it('is required: a return suggests the right unit', () => {
    expect(returnSuggestionProblem('roads', null)).toMatch(/names the unit/);
    expect(returnSuggestionProblem('roads', ' ')).toMatch(/names the unit/);
  });
  it('is not the returning hub’s own sub-unit: the hub passes the ticket to it instead', () => {
    expect(returnSuggestionProblem('gulou-gov', 'gulou-hunan', ['gulou-gov'])).toMatch(/sub-dispatch/);
    expect(returnSuggestionProblem('gulou-gov', 'gulou-hunan-matai', ['gulou-hunan', 'gulou-gov'])).toMatch(
      /sub-dispatch/,
    );
    expect(returnSuggestionProblem('transport', 'gulou-hunan', ['gulou-gov'])).toBeNull();
  });
  it('must be another unit than the one returning the ticket', () => {
    expect(returnSuggestionProblem('roads', 'roads')).toMatch(/another unit/);
    expect(returnSuggestionProblem('roads', 'parks')).toBeNull();
  });
});

describe('the centre decides a return twice', () => {
  const returned = (): TicketState => next(ret(dispatched(), T0 + 2 * HOUR));

  it('the same decision again is already applied; another is refused', () => {
    for (const approve of [true, false]) {
      const s = next(decideReturnDecision(returned(), decision(approve), at(T0 + 3 * HOUR)));
      expect(decideReturnDecision(s, decision(approve), at(T0 + 3 * HOUR + 1000))).toEqual({
        kind: 'unchanged',
      });
      expect(decideReturnDecision(s, decision(!approve), at(T0 + 3 * HOUR + 1000))).toMatchObject({
        kind: 'rejected',
        code: 'action_rejected',
      });
    }
  });
});
