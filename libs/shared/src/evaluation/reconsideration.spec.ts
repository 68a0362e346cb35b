import { WorkingCalendar } from '../domain/calendar';
import { CN_MAINLAND_CALENDAR } from '../domain/calendar-data';
import type { Duration } from '../domain/calendar';
import { reconsiderationClock, refuseDecision, refuseReconsideration } from './reconsideration';
import type { ReconsiderationTicket } from './reconsideration';

const cal = new WorkingCalendar(CN_MAINLAND_CALENDAR);
const wd = (amount: number): Duration => ({ amount, unit: 'working_days' });
const d = (amount: number): Duration => ({ amount, unit: 'days' });
const CLOSED = '2026-03-02T02:00:00.000Z'; // Monday 10:00 China time
const ticket = (over: Partial<ReconsiderationTicket> = {}): ReconsiderationTicket => ({
  status: 'closed',
  kind: 'complaint',
  closedAt: CLOSED,
  limits: { reconsideration: wd(10), reconsiderationRequestWindow: d(15) },
  alreadyRequested: false,
  ...over,
});
const DAY = 24 * 3_600_000;

describe('reconsideration (GS)', () => {
  it('a closed complaint under a policy with reconsideration, within 15 days of closure', () => {
    expect(refuseReconsideration(ticket(), Date.parse(CLOSED) + 15 * DAY, cal)).toBeNull();
    expect(refuseReconsideration(ticket(), Date.parse(CLOSED) + 15 * DAY + 1, cal)?.message).toMatch(
      /window/,
    );
  });

  it('refused: not a complaint, not closed, a policy without it (SQ), asked twice', () => {
    const now = Date.parse(CLOSED) + DAY;
    expect(refuseReconsideration(ticket({ kind: 'consultation' }), now, cal)?.code).toBe('action_rejected');
    expect(refuseReconsideration(ticket({ status: 'signed', closedAt: null }), now, cal)?.code).toBe(
      'action_rejected',
    );
    expect(
      refuseReconsideration(
        ticket({ limits: { reconsideration: null, reconsiderationRequestWindow: null } }),
        now,
        cal,
      )?.message,
    ).toMatch(/no reconsideration/);
    expect(refuseReconsideration(ticket({ limits: {} }), now, cal)?.code).toBe('action_rejected');
    expect(refuseReconsideration(ticket({ alreadyRequested: true }), now, cal)?.code).toBe('conflict');
  });

  it('decides within 10 working days, reminded at the fractions', () => {
    const requested = Date.parse('2026-03-06T02:00:00Z'); // Friday
    const { decideBy, remindAt } = reconsiderationClock(requested, wd(10), [0.5, 0.8], cal);
    expect(decideBy).toBeGreaterThan(requested + 14 * DAY - 1); // two weekends in between
    expect(remindAt).toEqual([0.5, 0.8].map((f) => requested + Math.round(f * (decideBy - requested))));
  });

  it('a decision: upheld or revised, with its text; only once', () => {
    expect(refuseDecision({ outcome: 'upheld', decision: '维持原处理意见', userId: 'r' }, false)).toBeNull();
    expect(refuseDecision({ outcome: 'maybe' as never, decision: '维持', userId: 'r' }, false)?.code).toBe(
      'validation_failed',
    );
    expect(refuseDecision({ outcome: 'revised', decision: ' ', userId: 'r' }, false)?.code).toBe(
      'validation_failed',
    );
    expect(refuseDecision({ outcome: 'revised', decision: '撤销原意见', userId: 'r' }, true)?.code).toBe(
      'conflict',
    );
  });
});
