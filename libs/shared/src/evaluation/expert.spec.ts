import { WorkingCalendar } from '../domain/calendar';
import { CN_MAINLAND_CALENDAR } from '../domain/calendar-data';
import type { Duration } from '../domain/calendar';

const hours = (amount: number): Duration => ({ amount, unit: 'hours' });
const workingDays = (amount: number): Duration => ({ amount, unit: 'working_days' });
import type { EvaluatorCandidate } from './expert';
import { chinaDay, chooseEvaluator, expertDeadlines, inTerm, refuseExpertAction, termEndOf } from './expert';

const ev = (id: string, over: Partial<EvaluatorCandidate> = {}): EvaluatorCandidate => ({
  evaluatorId: id,
  available: true,
  termStart: '2025-01-01',
  termEnd: '2027-01-01',
  tiedUnitIds: [],
  openCases: 0,
  lastAssignedAt: null,
  ...over,
});
const NOW = Date.parse('2026-03-10T02:00:00Z');
const ctx = { unitId: 'transport', tried: [] as string[], now: NOW };

describe('expert evaluators: terms', () => {
  it('a term lasts two years and lapses by itself on its end day (China time)', () => {
    expect(termEndOf('2025-03-10')).toBe('2027-03-10');
    expect(termEndOf('2024-02-29')).toBe('2026-03-01');
    const c = { termStart: '2024-03-10', termEnd: termEndOf('2024-03-10') };
    expect(inTerm(c, Date.parse('2026-03-09T15:59:59Z'))).toBe(true); // 23:59:59 on 9 March in China
    expect(inTerm(c, Date.parse('2026-03-09T16:00:00Z'))).toBe(false); // midnight: lapsed
    expect(inTerm(c, Date.parse('2024-03-09T15:59:59Z'))).toBe(false); // the day before it starts
    expect(chinaDay(Date.parse('2026-03-09T16:00:00Z'))).toBe('2026-03-10');
  });
});

describe('expert evaluators: who gets the case', () => {
  it('never a tied, unavailable, lapsed or already tried evaluator', () => {
    const pool = [
      ev('tied', { tiedUnitIds: ['transport'] }),
      ev('away', { available: false }),
      ev('lapsed', { termEnd: '2026-03-10' }),
      ev('future', { termStart: '2026-04-01', termEnd: '2028-04-01' }),
      ev('tried'),
    ];
    expect(chooseEvaluator(pool, { ...ctx, tried: ['tried'] })).toBeNull();
    expect(chooseEvaluator(pool, ctx)?.evaluatorId).toBe('tried');
  });

  it('the least loaded first, then the one assigned longest ago (never assigned first), then by id', () => {
    expect(chooseEvaluator([ev('a', { openCases: 2 }), ev('b', { openCases: 1 })], ctx)?.evaluatorId).toBe(
      'b',
    );
    expect(
      chooseEvaluator(
        [
          ev('a', { lastAssignedAt: '2026-03-09T00:00:00.000Z' }),
          ev('b', { lastAssignedAt: '2026-03-01T00:00:00.000Z' }),
        ],
        ctx,
      )?.evaluatorId,
    ).toBe('b');
    expect(
      chooseEvaluator([ev('a', { lastAssignedAt: '2026-03-01T00:00:00.000Z' }), ev('b')], ctx)?.evaluatorId,
    ).toBe('b');
    expect(chooseEvaluator([ev('z'), ev('m')], ctx)?.evaluatorId).toBe('m');
  });
});

describe('expert evaluators: the clock', () => {
  const cal = new WorkingCalendar(CN_MAINLAND_CALENDAR);
  const limits = { evaluatorDecision: workingDays(2), evaluatorReminderAfter: hours(24) };

  it('reminds 24 h after assignment; decides within 2 working days, skipping the weekend', () => {
    // Friday 2026-03-13 10:00 China time.
    const friday = Date.parse('2026-03-13T02:00:00Z');
    const { remindAt, decideBy } = expertDeadlines(friday, limits, cal);
    expect(new Date(remindAt).toISOString()).toBe('2026-03-14T02:00:00.000Z');
    const due = new Date(decideBy);
    // Two working days on: not Saturday or Sunday, and after Monday.
    expect(due.getTime()).toBeGreaterThan(Date.parse('2026-03-16T02:00:00Z'));
    expect([0, 6]).not.toContain(new Date(decideBy + 8 * 3_600_000).getUTCDay());
  });

  it('a Tuesday assignment is due by Thursday', () => {
    const tuesday = Date.parse('2026-03-10T02:00:00Z');
    const { decideBy } = expertDeadlines(tuesday, limits, cal);
    expect(chinaDay(decideBy)).toBe('2026-03-12');
  });
});

describe('expert evaluators: what the holder may do', () => {
  const holder = { userId: 'u1' };
  it('only the holder, with a verdict of the three and a reason; nothing once decided', () => {
    expect(
      refuseExpertAction(holder, false, { userId: 'u1', verdict: 'satisfied', reason: '已解决' }),
    ).toBeNull();
    expect(
      refuseExpertAction(holder, false, { userId: 'u2', verdict: 'satisfied', reason: '已解决' })?.code,
    ).toBe('expert_case_not_found');
    expect(refuseExpertAction(null, false, { userId: 'u1', reason: '不适合' })?.code).toBe(
      'expert_case_not_found',
    );
    expect(refuseExpertAction(holder, false, { userId: 'u1', verdict: 'ok', reason: '已解决' })?.code).toBe(
      'validation_failed',
    );
    expect(refuseExpertAction(holder, false, { userId: 'u1', verdict: 'satisfied', reason: ' ' })?.code).toBe(
      'validation_failed',
    );
    expect(refuseExpertAction(holder, false, { userId: 'u1', reason: 'x'.repeat(2001) })?.code).toBe(
      'validation_failed',
    );
    expect(
      refuseExpertAction(holder, true, { userId: 'u1', verdict: 'satisfied', reason: '已解决' })?.code,
    ).toBe('expert_case_closed');
  });
});
