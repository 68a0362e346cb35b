import { decidePlanCompletion, orderForLapsedPlan, planClockId, planDueAt, trackedPlanDay } from './plans';

describe('tracked plans (跟踪计划)', () => {
  it('tracks only a structured plan with a real day', () => {
    expect(trackedPlanDay({ isPlan: true, plannedCompletionDate: '2027-03-31' })).toBe('2027-03-31');
    expect(trackedPlanDay({ isPlan: false, plannedCompletionDate: '2027-03-31' })).toBeNull();
    expect(trackedPlanDay({ plannedCompletionDate: '2027-03-31' })).toBeNull();
    expect(trackedPlanDay({ isPlan: true, plannedCompletionDate: null })).toBeNull();
    expect(trackedPlanDay({ isPlan: true })).toBeNull();
    expect(trackedPlanDay({ isPlan: true, plannedCompletionDate: '2027/03/31' })).toBeNull();
    expect(trackedPlanDay({ isPlan: true, plannedCompletionDate: '2027-02-30' })).toBeNull();
  });

  it('lapses at the end of its day in China: midnight UTC+8, 16:00 UTC', () => {
    expect(planDueAt('2027-03-31')).toBe('2027-03-31T16:00:00.000Z');
    // The last instant of the day is still inside it; the next is not.
    expect(Date.parse(planDueAt('2026-12-31'))).toBe(Date.parse('2027-01-01T00:00:00+08:00'));
    expect(() => planDueAt('2027-13-01')).toThrow(RangeError);
  });

  it('a lapsed plan raises an order: not done in the promised time, after closure, naming the day', () => {
    const o = orderForLapsedPlan({ unitId: 'transport', plannedCompletionDate: '2027-03-31' });
    expect(o).toMatchObject({
      kind: 'order',
      trigger: 'not_done_in_promised_time',
      stage: 'post_closure',
      unitId: 'transport',
    });
    expect(o.instruction).toContain('2027-03-31');
  });

  it('the unit reports its own plan done, once; another unit’s or none is not found', () => {
    const plan = { unitId: 'transport', status: 'tracking' as const };
    expect(decidePlanCompletion(plan, 'transport')).toBe('done');
    expect(decidePlanCompletion({ ...plan, status: 'lapsed' }, 'transport')).toBe('done');
    expect(decidePlanCompletion({ ...plan, status: 'done' }, 'transport')).toBe('already_done');
    expect(decidePlanCompletion(plan, 'housing')).toBe('not_found');
    expect(decidePlanCompletion(null, 'transport')).toBe('not_found');
    expect(decidePlanCompletion({ ...plan, status: 'withdrawn' }, 'transport')).toBe('withdrawn');
    expect(decidePlanCompletion({ ...plan, status: 'withdrawn' }, 'housing')).toBe('not_found');
  });

  it('keeps one clock per ticket and day', () => {
    expect(planClockId('20261206000001', '2027-03-31')).toBe('plan-deadline-20261206000001-2027-03-31');
    expect(planClockId('20261206000001', '2027-04-01')).not.toBe(planClockId('20261206000001', '2027-03-31'));
  });
});
