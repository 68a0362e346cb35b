import {
  GS_POLICY,
  decideCallback,
  decideReply,
  decideReturn,
  decideReview,
  decideSign,
  initialState,
  resolvePolicy,
  snapshotOf,
} from '../index';
import type { Decision, TicketState } from '../index';
import {
  COMPLAINT,
  GOOD_REPLY,
  HOUR,
  MIN,
  PARKS,
  REVIEWER as CENTRE,
  SQ,
  T0,
  at,
  clerk,
  deepFreeze,
  dispatched,
  iso,
  next,
} from './testing.fixtures';

// The SQ policy (sign within 1 h) on the mainland calendar.

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
