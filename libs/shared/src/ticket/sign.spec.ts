import {
  CN_MAINLAND_CALENDAR,
  GS_POLICY,
  SQ_POLICY,
  WorkingCalendar,
  decideCallback,
  decideIntake,
  decideReply,
  decideReturn,
  decideReview,
  decideSign,
  initialState,
  resolvePolicy,
  snapshotOf,
} from '../index';
import type {
  Actor,
  Decision,
  DecisionContext,
  ResolvedPolicy,
  TicketState,
  TicketWorkflowInput,
  UnitRef,
} from '../index';

// The SQ policy (sign within 1 h) on the mainland calendar.
const MIN = 60 * 1000;
const HOUR = 60 * MIN;
const calendar = new WorkingCalendar(CN_MAINLAND_CALENDAR);
const COMPLAINT = { regionCode: 'gulou', category: 'road', kind: 'complaint', channel: 'phone' } as const;
const SQ = resolvePolicy(SQ_POLICY, COMPLAINT);
const at = (now: number, policy: ResolvedPolicy = SQ): DecisionContext => ({ now, policy, calendar });
/** Monday 2 March 2026, 09:00 China time: an ordinary working day. */
const T0 = Date.parse('2026-03-02T09:00:00+08:00');
const iso = (ms: number): string => new Date(ms).toISOString();
const ROADS: UnitRef = { unitId: 'roads', unitName: '市政工程处' };
const PARKS: UnitRef = { unitId: 'parks', unitName: '园林绿化局' };
const clerk = (unitId: string): Actor => ({
  kind: 'user',
  userId: `clerk-${unitId}`,
  role: 'unit_clerk',
  unitId,
});
const CENTRE: Actor = { kind: 'user', userId: 'reviewer-1', role: 'reviewer' };
const GOOD_REPLY = '经现场核实，该路段井盖破损，我处当日更换了新井盖并设置警示标志，道路恢复通行。';

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** The state a decision made, frozen: a later decision that changed it in place would throw. */
function next(d: Decision): TicketState {
  if (d.kind !== 'changed') throw new Error(`expected a change, got ${JSON.stringify(d)}`);
  return deepFreeze(d.state);
}

/** A phone complaint the matter catalog routes to the roads unit at T0. */
function dispatched(assisting: UnitRef[] = [], policy = SQ): TicketState {
  const input: TicketWorkflowInput = {
    ticketNo: 'SQ-2026-0001',
    ...COMPLAINT,
    createdAt: iso(T0),
    policy,
    calendar: CN_MAINLAND_CALENDAR,
    disposition: { type: 'dispatch' },
    route: { ...ROADS, catalogEntryId: 'road-repair' },
    assisting,
  };
  return next(decideIntake(deepFreeze(initialState(input)), input, at(T0, policy)));
}

const sign = (s: TicketState, unitId: string, t: number, policy = SQ): Decision =>
  decideSign(s, { unitId, actor: clerk(unitId) }, at(t, policy));

describe('Sign (签收) within the policy’s sign limit (SQ art. 10.3: 1 h)', () => {
  it('is on time exactly at the due millisecond', () => {
    const d = sign(dispatched(), 'roads', T0 + HOUR);
    expect(next(d)).toMatchObject({ status: 'signed', signedAt: iso(T0 + HOUR), signedLate: false });
    expect(d.kind === 'changed' && d.events).toEqual([
      { type: 'ticket.signed', actor: clerk('roads'), data: { unitId: 'roads', late: false } },
    ]);
  });

  it('is late 1 ms after the due time: accepted, and recorded as late (a scored violation, not a refusal)', () => {
    const d = sign(dispatched(), 'roads', T0 + HOUR + 1);
    expect(next(d)).toMatchObject({ status: 'signed', signedLate: true });
    expect(d.kind === 'changed' && d.events[0].data).toEqual({ unitId: 'roads', late: true });
  });

  it('ends the sign deadline and keeps the completion deadline running', () => {
    const s = next(sign(dispatched(), 'roads', T0 + 10 * MIN));
    expect(Object.keys(s.deadlines)).toEqual(['complete']);
    expect(s.deadlines.complete?.dueAt).toBe(iso(T0 + 12 * HOUR));
  });

  it('follows the ticket’s policy: a GS complaint is confirmed within 24 h', () => {
    const GS = resolvePolicy(GS_POLICY, COMPLAINT);
    expect(next(sign(dispatched([], GS), 'roads', T0 + 24 * HOUR, GS)).signedLate).toBe(false);
    expect(next(sign(dispatched([], GS), 'roads', T0 + 24 * HOUR + 1, GS)).signedLate).toBe(true);
  });

  it('treats a second sign as already applied', () => {
    const s = next(sign(dispatched(), 'roads', T0 + 10 * MIN));
    expect(sign(s, 'roads', T0 + 20 * MIN)).toEqual({ kind: 'unchanged' });
  });

  it('refuses a unit the ticket was not dispatched to (ticket_not_signable)', () => {
    expect(sign(dispatched(), 'parks', T0 + 10 * MIN)).toMatchObject({
      kind: 'rejected',
      code: 'ticket_not_signable',
    });
  });

  it('refuses a ticket not dispatched yet (ticket_not_signable)', () => {
    const s = deepFreeze(initialState({ ticketNo: 'SQ-2026-0001', policy: SQ }));
    expect(sign(s, 'roads', T0)).toMatchObject({ kind: 'rejected', code: 'ticket_not_signable' });
  });

  it('refuses a ticket the unit returned while the centre decides (ticket_not_signable)', () => {
    const returned = next(
      decideReturn(
        dispatched(),
        { unitId: 'roads', reason: '不属于本单位职责', suggestedUnit: PARKS, actor: clerk('roads') },
        at(T0 + 5 * MIN),
      ),
    );
    expect(sign(returned, 'roads', T0 + 10 * MIN)).toMatchObject({
      kind: 'rejected',
      code: 'ticket_not_signable',
    });
  });

  it('does not change the state it is given', () => {
    const s = dispatched([PARKS]);
    const before = JSON.stringify(s);
    sign(s, 'roads', T0 + HOUR + 1);
    sign(s, 'parks', T0 + HOUR + 1);
    expect(JSON.stringify(s)).toBe(before);
  });
});

describe('An assisting unit (协办单位) signs for itself within its own sign deadline', () => {
  it('signs on time exactly at its due time; the lead unit’s ticket stays dispatched', () => {
    const d = sign(dispatched([PARKS]), 'parks', T0 + HOUR);
    const s = next(d);
    expect(s.status).toBe('dispatched');
    expect(s.signedAt).toBeNull();
    expect(s.assisting[0]).toMatchObject({ unitId: 'parks', signedAt: iso(T0 + HOUR), late: false });
    expect(d.kind === 'changed' && d.events).toEqual([
      { type: 'ticket.assistance_signed', actor: clerk('parks'), data: { unitId: 'parks', late: false } },
    ]);
    expect(snapshotOf(s).assignments).toEqual([
      { unitId: 'roads', role: 'lead', status: 'dispatched' },
      { unitId: 'parks', role: 'assisting', status: 'signed' },
    ]);
  });

  it('signs late 1 ms after its due time, and is recorded as late', () => {
    const d = sign(dispatched([PARKS]), 'parks', T0 + HOUR + 1);
    expect(next(d).assisting[0].late).toBe(true);
    expect(d.kind === 'changed' && d.events[0].data).toEqual({ unitId: 'parks', late: true });
  });

  it('is not signed for by the lead unit’s sign', () => {
    const s = next(sign(dispatched([PARKS]), 'roads', T0 + 10 * MIN));
    expect(s.assisting[0].signedAt).toBeNull();
  });

  it('treats its second sign as already applied', () => {
    const s = next(sign(dispatched([PARKS]), 'parks', T0 + 10 * MIN));
    expect(sign(s, 'parks', T0 + 20 * MIN)).toEqual({ kind: 'unchanged' });
  });

  it('changes nothing by signing a ticket that is already closed', () => {
    let s = next(sign(dispatched([PARKS]), 'roads', T0 + 10 * MIN));
    s = next(decideReply(s, { unitId: 'roads', content: GOOD_REPLY, actor: clerk('roads') }, at(T0 + HOUR)));
    s = next(decideReview(s, { approve: true, note: '', actor: CENTRE }, at(T0 + 2 * HOUR)));
    s = next(
      decideCallback(s, { mode: 'sms', verdict: 'satisfied', note: '', actor: CENTRE }, at(T0 + 3 * HOUR)),
    );
    expect(s.status).toBe('closed');
    expect(sign(s, 'parks', T0 + 4 * HOUR)).toEqual({ kind: 'unchanged' });
  });
});
