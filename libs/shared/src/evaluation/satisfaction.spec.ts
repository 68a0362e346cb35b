import { countedChange, countedVerdict, periodStart, satisfactionRate } from './satisfaction';
import type { CallbackVerdict } from './satisfaction';

const sms = (round: number, verdict: CallbackVerdict['verdict']): CallbackVerdict => ({
  round,
  mode: 'sms',
  verdict,
});
const manual = (round: number, verdict: CallbackVerdict['verdict']): CallbackVerdict => ({
  round,
  mode: 'manual',
  verdict,
});

describe('satisfaction: which verdict counts', () => {
  it('the expert’s verdict beats the vote and every callback', () => {
    expect(
      countedVerdict({
        callbacks: [sms(1, 'unsatisfied'), manual(1, 'unsatisfied')],
        vote: 'unsatisfied',
        expert: 'satisfied',
      }),
    ).toEqual({ verdict: 'satisfied', source: 'expert' });
  });

  it('the vote beats the callbacks', () => {
    expect(countedVerdict({ callbacks: [sms(1, 'satisfied')], vote: 'unsatisfied', expert: null })).toEqual({
      verdict: 'unsatisfied',
      source: 'vote',
    });
  });

  it('in a round the manual callback beats the SMS; the latest round beats earlier ones', () => {
    expect(
      countedVerdict({
        callbacks: [sms(1, 'unsatisfied'), manual(1, 'basically_satisfied')],
        vote: null,
        expert: null,
      }),
    ).toEqual({
      verdict: 'basically_satisfied',
      source: 'manual',
    });
    expect(
      countedVerdict({
        callbacks: [manual(1, 'unsatisfied'), sms(1, 'unsatisfied'), sms(2, 'satisfied')],
        vote: null,
        expert: null,
      }),
    ).toEqual({ verdict: 'satisfied', source: 'sms' });
    expect(
      countedVerdict({
        callbacks: [sms(2, 'unsatisfied'), manual(2, 'unsatisfied'), manual(1, 'satisfied')],
        vote: null,
        expert: null,
      }),
    ).toEqual({ verdict: 'unsatisfied', source: 'manual' });
  });

  it('no answer is no verdict: unanswered SMS and unreachable calls do not count', () => {
    expect(
      countedVerdict({ callbacks: [sms(1, null), manual(1, null)], vote: null, expert: null }),
    ).toBeNull();
    expect(
      countedVerdict({ callbacks: [sms(1, 'satisfied'), manual(1, null)], vote: null, expert: null }),
    ).toEqual({
      verdict: 'satisfied',
      source: 'sms',
    });
    expect(countedVerdict({ callbacks: [], vote: null, expert: null })).toBeNull();
  });

  it('a ticket closed unreachable has no callback verdict, its SMS answer unconfirmed; an expert or a vote still counts', () => {
    const callbacks = [sms(1, 'unsatisfied'), manual(1, null)];
    expect(countedVerdict({ callbacks, vote: null, expert: null, unreachable: true })).toBeNull();
    expect(countedVerdict({ callbacks, vote: 'satisfied', expert: null, unreachable: true })).toEqual({
      verdict: 'satisfied',
      source: 'vote',
    });
    expect(countedVerdict({ callbacks, vote: null, expert: 'unsatisfied', unreachable: true })).toEqual({
      verdict: 'unsatisfied',
      source: 'expert',
    });
  });
});

describe('satisfaction: the rate', () => {
  it('(satisfied + basically satisfied) / evaluated, against 90 %', () => {
    expect(satisfactionRate({ satisfied: 8, basically_satisfied: 1, unsatisfied: 1 })).toEqual({
      evaluated: 10,
      rate: 0.9,
      meetsTarget: true,
    });
    expect(satisfactionRate({ satisfied: 17, basically_satisfied: 0, unsatisfied: 2 }).meetsTarget).toBe(
      false,
    );
    expect(satisfactionRate({ satisfied: 0, basically_satisfied: 0, unsatisfied: 0 })).toEqual({
      evaluated: 0,
      rate: null,
      meetsTarget: null,
    });
  });
});

describe('satisfaction: periods in China time', () => {
  it('days turn at midnight UTC+8', () => {
    expect(periodStart('2026-11-22T15:59:59Z', 'day')).toBe('2026-11-22');
    expect(periodStart('2026-11-22T16:00:00Z', 'day')).toBe('2026-11-23');
  });
  it('weeks start on Monday (ISO), across a month and a year', () => {
    expect(periodStart('2026-11-22T15:59:59Z', 'week')).toBe('2026-11-16'); // Sunday night
    expect(periodStart('2026-11-22T16:00:00Z', 'week')).toBe('2026-11-23'); // Monday 00:00
    expect(periodStart('2027-01-01T04:00:00Z', 'week')).toBe('2026-12-28');
  });
  it('months, quarters and years', () => {
    expect(periodStart('2026-09-30T16:00:00Z', 'month')).toBe('2026-10-01');
    expect(periodStart('2026-09-30T15:00:00Z', 'quarter')).toBe('2026-07-01');
    expect(periodStart('2026-12-31T16:00:00Z', 'year')).toBe('2027-01-01');
  });
});

describe('satisfaction: what the facts do to the verdict counted', () => {
  const answered = (verdict: 'satisfied' | 'unsatisfied', mode: 'sms' | 'manual' = 'sms', round = 1) => ({
    round,
    mode,
    verdict,
  });
  const facts = (callbacks: CallbackVerdict[], closed = true, known = true) => ({
    callbacks,
    vote: null,
    expert: null,
    closed,
    known,
  });

  it('counts nothing until the ticket is closed and known', () => {
    expect(countedChange(facts([answered('satisfied')], false), null, false)).toEqual({ kind: 'unchanged' });
    expect(countedChange(facts([answered('satisfied')], true, false), null, false)).toEqual({
      kind: 'unchanged',
    });
    expect(countedChange(facts([answered('satisfied')]), null, false)).toEqual({
      kind: 'recorded',
      verdict: 'satisfied',
      source: 'sms',
      correction: false,
    });
  });

  it('records a change only, and says whether a correction made it', () => {
    const counted = { verdict: 'unsatisfied' as const, source: 'sms' as const };
    expect(countedChange(facts([answered('unsatisfied')]), counted, false)).toEqual({ kind: 'unchanged' });
    expect(countedChange(facts([answered('unsatisfied')]), counted, true)).toEqual({ kind: 'unchanged' });
    expect(
      countedChange(facts([answered('unsatisfied'), answered('satisfied', 'manual')]), counted, false),
    ).toEqual({ kind: 'recorded', verdict: 'satisfied', source: 'manual', correction: false });
    expect(countedChange(facts([answered('satisfied')]), counted, true)).toEqual({
      kind: 'recorded',
      verdict: 'satisfied',
      source: 'sms',
      correction: true,
    });
  });

  it('withdraws the verdict counted when a correction leaves none: the close or the answers voided', () => {
    const counted = { verdict: 'unsatisfied' as const, source: 'sms' as const };
    expect(countedChange(facts([answered('unsatisfied')], false), counted, true)).toEqual({
      kind: 'withdrawn',
      reason: 'record_corrected',
    });
    expect(countedChange(facts([]), counted, true)).toEqual({
      kind: 'withdrawn',
      reason: 'record_corrected',
    });
    // Without a correction nothing takes a verdict back, and with nothing counted there is nothing to withdraw.
    expect(countedChange(facts([], false), counted, false)).toEqual({ kind: 'unchanged' });
    expect(countedChange(facts([], false), null, true)).toEqual({ kind: 'unchanged' });
  });

  it('decided again because the rule changed: an unreachable ticket’s SMS answer is withdrawn (rule_changed)', () => {
    const counted = { verdict: 'unsatisfied' as const, source: 'sms' as const };
    const unreachable = { ...facts([answered('unsatisfied')]), unreachable: true };
    expect(countedChange(unreachable, null, false)).toEqual({ kind: 'unchanged' });
    expect(countedChange(unreachable, counted, false)).toEqual({ kind: 'unchanged' });
    expect(countedChange(unreachable, counted, false, true)).toEqual({
      kind: 'withdrawn',
      reason: 'rule_changed',
    });
    // A ticket the rule did not change is decided the same.
    expect(countedChange(facts([answered('unsatisfied')]), counted, false, true)).toEqual({
      kind: 'unchanged',
    });
  });
});
