import { decideCallback, decideSign, decideTimers } from '../index';
import type { Decision, TicketState, TicketWorkflowInput, UnitRef } from '../index';
import {
  HOUR,
  MIN,
  PARKS,
  SYSTEM,
  T0,
  at,
  clerk,
  dispatched,
  eventsOf,
  intake as intakeDecision,
  iso,
  next,
  replied,
  review,
} from './testing.fixtures';

// SQ: sign 1 h, complete 12 h, review 4 h, SMS wait 24 h, manual callback 24 h, dispatch 12 h;
// reminders at 50 % and 80 % of the time allowed.

const intake = (over: Partial<TicketWorkflowInput> = {}): TicketState => next(intakeDecision(over));
const sign = (s: TicketState, unitId: string, t: number): TicketState =>
  next(decideSign(s, { unitId, actor: clerk(unitId) }, at(t)));
const signed = (assisting: UnitRef[] = []): TicketState =>
  sign(dispatched(assisting), 'roads', T0 + 10 * MIN);
/** The reply approved at T0 + 3 h: the SMS waits until T0 + 27 h. */
const smsAsked = (s = replied()): TicketState => next(review(s, T0 + 3 * HOUR, true));
const SMS_AT = T0 + 3 * HOUR;

const timers = (s: TicketState, t: number): Decision => decideTimers(s, at(t));

const reminded = (deadline: string, dueAt: number, unitId: string | null) => ({
  type: 'ticket.reminded',
  actor: SYSTEM,
  data: { deadline, dueAt: iso(dueAt), unitId },
});
const overdue = (deadline: string, dueAt: number, unitId: string | null) => ({
  type: 'ticket.overdue',
  actor: SYSTEM,
  data: { deadline, dueAt: iso(dueAt), unitId },
});

describe('Reminders (催办) at 50 % and 80 % of the time allowed', () => {
  it('sends nothing 1 ms before the first reminder, and says nothing changed', () => {
    expect(timers(dispatched(), T0 + 30 * MIN - 1)).toEqual({ kind: 'unchanged' });
  });

  it('reminds the unit to sign at 50 % of the sign limit (30 min)', () => {
    const d = timers(dispatched(), T0 + 30 * MIN);
    expect(eventsOf(d)).toEqual([reminded('sign', T0 + HOUR, 'roads')]);
    expect(next(d).deadlines.sign?.remindersSent).toBe(1);
  });

  it('does not send the same reminder twice', () => {
    const once = next(timers(dispatched(), T0 + 30 * MIN));
    expect(timers(once, T0 + 30 * MIN)).toEqual({ kind: 'unchanged' });
    expect(timers(once, T0 + 48 * MIN - 1)).toEqual({ kind: 'unchanged' });
  });

  it('reminds again at 80 % (48 min)', () => {
    const once = next(timers(dispatched(), T0 + 30 * MIN));
    expect(eventsOf(timers(once, T0 + 48 * MIN))).toEqual([reminded('sign', T0 + HOUR, 'roads')]);
  });

  it('sends both reminders when a late timer finds both moments passed before the due time', () => {
    expect(eventsOf(timers(dispatched(), T0 + 50 * MIN))).toEqual([
      reminded('sign', T0 + HOUR, 'roads'),
      reminded('sign', T0 + HOUR, 'roads'),
    ]);
  });

  it('reminds the signed unit to complete at 6 h and 9.6 h of its 12 h', () => {
    const first = timers(signed(), T0 + 6 * HOUR);
    expect(eventsOf(first)).toEqual([reminded('complete', T0 + 12 * HOUR, 'roads')]);
    expect(eventsOf(timers(next(first), T0 + 9.6 * HOUR))).toEqual([
      reminded('complete', T0 + 12 * HOUR, 'roads'),
    ]);
  });

  it('reminds the centre of a reply waiting for review, and of a ticket waiting to be dispatched by hand', () => {
    expect(eventsOf(timers(replied(), T0 + 4 * HOUR))).toEqual([reminded('review', T0 + 6 * HOUR, 'roads')]);
    expect(eventsOf(timers(intake({ route: null }), T0 + 6 * HOUR))).toEqual([
      reminded('dispatch', T0 + 12 * HOUR, null),
    ]);
  });

  it('does not remind the citizen of the SMS: the wait’s reminder moments pass silently', () => {
    const d = timers(smsAsked(), SMS_AT + 12 * HOUR);
    expect(eventsOf(d)).toEqual([]);
    expect(next(d).deadlines.callback_sms?.remindersSent).toBe(1);
  });
});

describe('Overdue (超时) at the due time: marked, reported, and the ticket carries on', () => {
  it('marks the sign deadline overdue exactly at its due time, without belated reminders', () => {
    const d = timers(dispatched(), T0 + HOUR);
    expect(eventsOf(d)).toEqual([overdue('sign', T0 + HOUR, 'roads')]);
    const s = next(d);
    expect(s.overdue).toEqual(['sign']);
    expect(s.deadlines.sign).toMatchObject({ overdue: true, remindersSent: 2 });
    expect(s.status).toBe('dispatched');
  });

  it('is not marked 1 ms before the due time', () => {
    const reminded2 = next(timers(dispatched(), T0 + 50 * MIN));
    expect(timers(reminded2, T0 + HOUR - 1)).toEqual({ kind: 'unchanged' });
  });

  it('is reported once', () => {
    const late = next(timers(dispatched(), T0 + HOUR));
    expect(timers(late, T0 + 2 * HOUR)).toEqual({ kind: 'unchanged' });
  });

  it('lets the unit sign after the sign deadline ran out, as a late sign', () => {
    const late = next(timers(dispatched(), T0 + HOUR));
    expect(sign(late, 'roads', T0 + 2 * HOUR)).toMatchObject({ status: 'signed', signedLate: true });
  });

  it('marks the completion deadline overdue at 12 h; the unit may still reply', () => {
    const d = timers(next(timers(signed(), T0 + 9.6 * HOUR)), T0 + 12 * HOUR);
    expect(eventsOf(d)).toEqual([overdue('complete', T0 + 12 * HOUR, 'roads')]);
    const s = next(d);
    expect(s).toMatchObject({ status: 'signed', overdue: ['complete'] });
    expect(replied(s, T0 + 13 * HOUR).status).toBe('replied');
  });

  it('marks every deadline that ran out, in one transition', () => {
    const d = timers(dispatched(), T0 + 12 * HOUR);
    expect(eventsOf(d)).toEqual([
      overdue('sign', T0 + HOUR, 'roads'),
      overdue('complete', T0 + 12 * HOUR, 'roads'),
    ]);
    expect(next(d).overdue).toEqual(['sign', 'complete']);
  });

  it('marks the manual callback overdue at 24 h; the ticket still waits for the operator', () => {
    const manual = next(
      decideCallback(
        smsAsked(),
        { mode: 'sms', verdict: 'unsatisfied', note: '', actor: SYSTEM },
        at(SMS_AT + HOUR),
      ),
    );
    const d = timers(manual, SMS_AT + 25 * HOUR);
    expect(eventsOf(d).map((e) => e.type)).toEqual(['ticket.overdue']);
    expect(eventsOf(d)[0].data).toMatchObject({ deadline: 'callback_manual' });
    expect(next(d)).toMatchObject({
      status: 'callback',
      callbackMode: 'manual',
      overdue: ['callback_manual'],
    });
  });
});

describe('The SMS wait runs out (24 h): recorded as unanswered, and an operator calls', () => {
  it('records the SMS as unanswered and asks for a manual callback within 24 h', () => {
    const end = SMS_AT + 24 * HOUR;
    const d = timers(smsAsked(), end);
    expect(eventsOf(d)).toEqual([
      {
        type: 'ticket.callback_answered',
        actor: SYSTEM,
        data: { mode: 'sms', verdict: null, round: 1, note: '' },
      },
      {
        type: 'ticket.callback_requested',
        actor: SYSTEM,
        data: { mode: 'manual', dueAt: iso(end + 24 * HOUR), round: 1 },
      },
    ]);
    const s = next(d);
    expect(s).toMatchObject({ status: 'callback', callbackMode: 'manual', overdue: [] });
    expect(Object.keys(s.deadlines)).toEqual(['callback_manual']);
  });

  it('does nothing 1 ms before the wait ends (past its silent reminders)', () => {
    const quiet = next(timers(smsAsked(), SMS_AT + 20 * HOUR));
    expect(timers(quiet, SMS_AT + 24 * HOUR - 1)).toEqual({ kind: 'unchanged' });
  });
});

describe('An assisting unit’s own sign deadline', () => {
  it('reminds the assisting unit and the lead unit each of its own sign deadline', () => {
    expect(eventsOf(timers(dispatched([PARKS]), T0 + 30 * MIN))).toEqual([
      reminded('sign', T0 + HOUR, 'roads'),
      reminded('sign', T0 + HOUR, 'parks'),
    ]);
  });

  it('reminds an assisting unit that has not signed though the lead unit has', () => {
    const d = timers(signed([PARKS]), T0 + 30 * MIN);
    expect(eventsOf(d)).toEqual([reminded('sign', T0 + HOUR, 'parks')]);
    expect(next(d).assisting[0].remindersSent).toBe(1);
  });

  it('marks the assisting unit overdue at its due time, once', () => {
    const d = timers(signed([PARKS]), T0 + HOUR);
    expect(eventsOf(d)).toEqual([overdue('sign', T0 + HOUR, 'parks')]);
    const s = next(d);
    expect(s.assisting[0]).toMatchObject({ overdue: true, remindersSent: 2 });
    expect(timers(s, T0 + 2 * HOUR)).toEqual({ kind: 'unchanged' });
  });

  it('leaves an assisting unit that has signed alone', () => {
    const both = sign(signed([PARKS]), 'parks', T0 + 20 * MIN);
    expect(timers(both, T0 + HOUR)).toEqual({ kind: 'unchanged' });
  });

  it('leaves an assisting unit alone once the ticket is closed', () => {
    const closed = next(
      decideCallback(
        smsAsked(replied(signed([PARKS]))),
        { mode: 'sms', verdict: 'satisfied', note: '', actor: SYSTEM },
        at(SMS_AT + HOUR),
      ),
    );
    expect(closed.assisting[0].signedAt).toBeNull();
    expect(timers(closed, SMS_AT + 30 * HOUR)).toEqual({ kind: 'unchanged' });
  });
});

describe('decideTimers is pure', () => {
  it('does not change the state it is given', () => {
    const s = dispatched([PARKS]);
    const before = JSON.stringify(s);
    timers(s, T0 + 30 * MIN);
    timers(s, T0 + 12 * HOUR);
    expect(JSON.stringify(s)).toBe(before);
  });

  it('finds nothing to do on a ticket just dispatched', () => {
    expect(timers(dispatched([PARKS]), T0)).toEqual({ kind: 'unchanged' });
  });
});
