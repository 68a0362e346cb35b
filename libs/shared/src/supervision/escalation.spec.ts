import { escalationGrounds, refuseEscalation } from './escalation';
import type { UnitOrderRecord } from './escalation';

const now = Date.parse('2026-11-30T02:00:00Z');
const DAY = 86_400_000;
const order = (over: Partial<UnitOrderRecord> = {}): UnitOrderRecord => ({
  trigger: 'overdue_without_feedback',
  raisedAt: now - DAY,
  wentOverdue: false,
  sentBack: false,
  ...over,
});

describe('escalation (SQ art. 21)', () => {
  it('two failed coordinations in 90 days open it; one does not; older ones do not count', () => {
    expect(escalationGrounds([order({ wentOverdue: true })], now)).toEqual([]);
    expect(escalationGrounds([order({ wentOverdue: true }), order({ sentBack: true })], now)).toEqual([
      'coordination_failed',
    ]);
    expect(
      escalationGrounds(
        [order({ wentOverdue: true }), order({ sentBack: true, raisedAt: now - 90 * DAY - 1 })],
        now,
      ),
    ).toEqual([]);
    expect(
      escalationGrounds(
        [order({ wentOverdue: true }), order({ sentBack: true, raisedAt: now - 90 * DAY })],
        now,
      ),
    ).toEqual(['coordination_failed']);
  });

  it('a ticket the centre gave the unit that the leadership group then decided is a failed coordination too', () => {
    const escalated = (daysAgo: number) => ({ decidedAt: now - daysAgo * DAY });
    expect(escalationGrounds([], now, [escalated(1)])).toEqual([]);
    expect(escalationGrounds([], now, [escalated(1), escalated(89)])).toEqual(['coordination_failed']);
    expect(escalationGrounds([order({ wentOverdue: true })], now, [escalated(3)])).toEqual([
      'coordination_failed',
    ]);
    expect(escalationGrounds([order({ wentOverdue: true })], now, [escalated(91)])).toEqual([]);
  });

  it('buck-passing or inaction twice, or one refusal', () => {
    expect(escalationGrounds([order({ trigger: 'buck_passing' })], now)).toEqual([]);
    expect(
      escalationGrounds(
        [order({ trigger: 'buck_passing' }), order({ trigger: 'rectification_lapsed' })],
        now,
      ),
    ).toEqual(['buck_passing_or_inaction']);
    expect(escalationGrounds([order({ trigger: 'refusal' })], now)).toEqual(['refusal']);
  });

  it('no grounds, no measure; a discipline referral only after an interview or circular', () => {
    expect(refuseEscalation('interview', [], [])?.code).toBe('escalation_not_open');
    expect(refuseEscalation('interview', ['refusal'], [])).toBeNull();
    expect(refuseEscalation('discipline_referral', ['refusal'], [])?.message).toMatch(/earlier interview/);
    expect(refuseEscalation('discipline_referral', ['refusal'], ['special_report'])?.code).toBe(
      'escalation_not_open',
    );
    expect(refuseEscalation('discipline_referral', ['refusal'], ['circular'])).toBeNull();
  });
});
