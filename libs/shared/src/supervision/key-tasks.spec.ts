import { orderForOverdueIndicator } from './orders';
import { closesOff, refuseProgressReport, refuseReportReview } from './key-tasks';

describe('key-task supervision (GS)', () => {
  const task = { leadUnitId: 'transport', assistingUnitIds: ['housing'] };
  it('the lead and assisting units report; another unit finds no task; a closed-off indicator takes none', () => {
    expect(refuseProgressReport(task, { status: 'open' }, 'transport')).toBeNull();
    expect(refuseProgressReport(task, { status: 'reported' }, 'housing')).toBeNull();
    expect(refuseProgressReport(task, { status: 'open' }, 'water')?.code).toBe('not_found');
    expect(refuseProgressReport(task, { status: 'open' }, null)?.code).toBe('not_found');
    expect(refuseProgressReport(task, { status: 'closed_off' }, 'transport')?.code).toBe('action_rejected');
  });
  it('review needs a pending report; a send-back a comment; 100 % accepted closes off', () => {
    expect(refuseReportReview({ status: 'reported' }, { percent: 50 }, { accepted: true })).toBeNull();
    expect(refuseReportReview({ status: 'open' }, null, { accepted: true })?.code).toBe('action_rejected');
    expect(refuseReportReview({ status: 'reported' }, { percent: 50 }, { accepted: false })?.code).toBe(
      'validation_failed',
    );
    expect(refuseReportReview({ status: 'closed_off' }, { percent: 100 }, { accepted: true })?.code).toBe(
      'action_rejected',
    );
    expect(closesOff(true, 100)).toBe(true);
    expect(closesOff(true, 99)).toBe(false);
    expect(closesOff(false, 100)).toBe(false);
  });
  it('an overdue indicator raises an order on its unit, in Chinese', () => {
    expect(
      orderForOverdueIndicator({ unitId: 'transport', taskTitle: '背街小巷改造', indicatorName: '完成20条' }),
    ).toMatchObject({
      kind: 'order',
      trigger: 'indicator_overdue',
      unitId: 'transport',
    });
  });
});
