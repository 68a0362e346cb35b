import {
  clearDeadlines,
  deadlineAfter,
  decideSign,
  decideTimers,
  earliestDue,
  initialState,
  newClock,
  nextMomentOf,
  nextWake,
  remindersDue,
  startDeadline,
} from '../index';
import type { Clock, TicketState } from '../index';
import { HOUR, MIN, PARKS, SQ, T0, at, dispatched, iso, next } from './testing.fixtures';

// The SQ policy (sign 1 h, complete 12 h, reminders at 50 % and 80 %) on the mainland calendar.
const FRACTIONS = SQ.limits.reminderFractions;

const sign = (s: TicketState, unitId: string, t: number): TicketState =>
  next(decideSign(s, { unitId, actor: { kind: 'user', userId: `clerk-${unitId}`, unitId } }, at(t)));

const clock = (sent: number, overdue = false): Clock => ({
  startAt: iso(T0),
  dueAt: iso(T0 + 10 * HOUR),
  remindersSent: sent,
  overdue,
});

describe('deadlineAfter: a limit laid on the policy calendar', () => {
  it('counts clock hours 24 × 7, through the night and the weekend', () => {
    const fridayEvening = Date.parse('2026-03-06T20:00:00+08:00');
    expect(deadlineAfter(fridayEvening, { amount: 12, unit: 'hours' }, at(T0))).toBe(
      iso(Date.parse('2026-03-07T08:00:00+08:00')),
    );
  });

  it('counts working days to the end of the n-th working day, skipping a public holiday (Qingming 2026)', () => {
    const thursday = Date.parse('2026-04-02T10:00:00+08:00');
    // Fri 3 April, then Sat 4 – Mon 6 April are rest days, so the second working day is Tue 7 April.
    expect(deadlineAfter(thursday, { amount: 2, unit: 'working_days' }, at(T0))).toBe(
      iso(Date.parse('2026-04-07T23:59:59.999+08:00')),
    );
  });

  it('takes the start as epoch ms or as an ISO string alike', () => {
    const d = { amount: 1, unit: 'hours' } as const;
    expect(deadlineAfter(iso(T0), d, at(T0))).toBe(deadlineAfter(T0, d, at(T0)));
  });
});

describe('newClock: a deadline starts with the reminders whose moment already passed counted as sent', () => {
  const start = iso(T0);
  const due = iso(T0 + 10 * HOUR);

  it('sends every reminder on a deadline that starts now', () => {
    expect(newClock(start, due, at(T0))).toEqual({
      startAt: start,
      dueAt: due,
      remindersSent: 0,
      overdue: false,
    });
  });

  it('does not count the 50 % reminder 1 ms before its moment', () => {
    expect(newClock(start, due, at(T0 + 5 * HOUR - 1)).remindersSent).toBe(0);
  });

  it('counts the 50 % reminder as passed exactly at its moment', () => {
    expect(newClock(start, due, at(T0 + 5 * HOUR)).remindersSent).toBe(1);
  });

  it('counts both reminders as passed at the 80 % moment', () => {
    expect(newClock(start, due, at(T0 + 8 * HOUR)).remindersSent).toBe(2);
  });

  it('is never born overdue, even when its due time has passed: the timer marks it', () => {
    expect(newClock(start, due, at(T0 + 11 * HOUR))).toMatchObject({ remindersSent: 2, overdue: false });
  });
});

describe('nextMomentOf: the next reminder, or the due time', () => {
  it('is the 50 % moment while no reminder has gone out', () => {
    expect(nextMomentOf(clock(0), FRACTIONS)).toBe(T0 + 5 * HOUR);
  });

  it('is the 80 % moment after the first reminder', () => {
    expect(nextMomentOf(clock(1), FRACTIONS)).toBe(T0 + 8 * HOUR);
  });

  it('is the due time once every reminder has gone out', () => {
    expect(nextMomentOf(clock(2), FRACTIONS)).toBe(T0 + 10 * HOUR);
  });

  it('is the due time under a policy without reminders', () => {
    expect(nextMomentOf(clock(0), [])).toBe(T0 + 10 * HOUR);
  });
});

describe('remindersDue: moves a clock up to a moment and says how many reminders to send', () => {
  it('sends none 1 ms before the 50 % moment', () => {
    const c = clock(0);
    expect(remindersDue(c, T0 + 5 * HOUR - 1, FRACTIONS)).toBe(0);
    expect(c.remindersSent).toBe(0);
  });

  it('sends the 50 % reminder exactly at its moment', () => {
    const c = clock(0);
    expect(remindersDue(c, T0 + 5 * HOUR, FRACTIONS)).toBe(1);
    expect(c.remindersSent).toBe(1);
  });

  it('sends both when a late timer finds both moments passed before the due time', () => {
    const c = clock(0);
    expect(remindersDue(c, T0 + 9 * HOUR, FRACTIONS)).toBe(2);
    expect(c.remindersSent).toBe(2);
  });

  it('does not send a reminder twice', () => {
    const c = clock(1);
    expect(remindersDue(c, T0 + 5 * HOUR, FRACTIONS)).toBe(0);
    expect(c.remindersSent).toBe(1);
  });

  it('sends no belated reminder at or after the due time, but counts them as passed', () => {
    const c = clock(0);
    expect(remindersDue(c, T0 + 10 * HOUR, FRACTIONS)).toBe(0);
    expect(c.remindersSent).toBe(2);
  });
});

describe('startDeadline and clearDeadlines', () => {
  it('starts a deadline of a kind from epoch ms, replacing one of the same kind', () => {
    const s = initialState({ ticketNo: 'X', policy: SQ });
    startDeadline(s, 'review', T0, iso(T0 + HOUR), at(T0));
    startDeadline(s, 'review', T0 + HOUR, iso(T0 + 2 * HOUR), at(T0 + HOUR));
    expect(s.deadlines).toEqual({
      review: {
        kind: 'review',
        startAt: iso(T0 + HOUR),
        dueAt: iso(T0 + 2 * HOUR),
        remindersSent: 0,
        overdue: false,
      },
    });
  });

  it('clears only the kinds named', () => {
    const s = initialState({ ticketNo: 'X', policy: SQ });
    startDeadline(s, 'sign', T0, iso(T0 + HOUR), at(T0));
    startDeadline(s, 'complete', T0, iso(T0 + 12 * HOUR), at(T0));
    clearDeadlines(s, 'sign', 'review');
    expect(Object.keys(s.deadlines)).toEqual(['complete']);
  });
});

describe('nextWake: the next moment a timer must fire, over every running clock', () => {
  it('is the sign deadline’s 50 % reminder right after dispatch (30 min into the 1 h limit)', () => {
    expect(nextWake(dispatched(), FRACTIONS)).toBe(T0 + 30 * MIN);
  });

  it('after the reminders, is the earlier of the next reminder and the due times', () => {
    const afterFirst = next(decideTimers(dispatched(), at(T0 + 30 * MIN)));
    expect(nextWake(afterFirst, FRACTIONS)).toBe(T0 + 48 * MIN);
    const afterSecond = next(decideTimers(afterFirst, at(T0 + 48 * MIN)));
    expect(nextWake(afterSecond, FRACTIONS)).toBe(T0 + HOUR);
  });

  it('once signed, is the completion deadline’s 50 % reminder (6 h into 12 h)', () => {
    expect(nextWake(sign(dispatched(), 'roads', T0 + 10 * MIN), FRACTIONS)).toBe(T0 + 6 * HOUR);
  });

  it('watches an assisting unit that has not signed, though the lead unit has', () => {
    const leadSigned = sign(dispatched([PARKS]), 'roads', T0 + 10 * MIN);
    expect(nextWake(leadSigned, FRACTIONS)).toBe(T0 + 30 * MIN);
    expect(nextWake(sign(leadSigned, 'parks', T0 + 20 * MIN), FRACTIONS)).toBe(T0 + 6 * HOUR);
  });

  it('ignores deadlines and assisting units already marked overdue', () => {
    const late = next(decideTimers(dispatched([PARKS]), at(T0 + HOUR)));
    expect(late.deadlines.sign?.overdue).toBe(true);
    expect(late.assisting[0].overdue).toBe(true);
    expect(nextWake(late, FRACTIONS)).toBe(T0 + 6 * HOUR);
  });

  it('is null when no clock runs', () => {
    expect(nextWake(initialState({ ticketNo: 'X', policy: SQ }), FRACTIONS)).toBeNull();
  });
});

describe('earliestDue: the DueAt an administrator filters by', () => {
  it('is the sign due time right after dispatch', () => {
    expect(earliestDue(dispatched())).toBe(iso(T0 + HOUR));
  });

  it('is the completion due time once signed', () => {
    expect(earliestDue(sign(dispatched(), 'roads', T0 + 10 * MIN))).toBe(iso(T0 + 12 * HOUR));
  });

  it('skips a deadline that is already overdue', () => {
    expect(earliestDue(next(decideTimers(dispatched(), at(T0 + HOUR))))).toBe(iso(T0 + 12 * HOUR));
  });

  it('is null when no deadline runs', () => {
    expect(earliestDue(initialState({ ticketNo: 'X', policy: SQ }))).toBeNull();
  });
});
