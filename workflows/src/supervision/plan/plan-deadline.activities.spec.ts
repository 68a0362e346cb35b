import { ApplicationFailure } from '@temporalio/common';
import { createPlanDeadlineActivities, MISSING_PLAN_ATTEMPTS } from './plan-deadline.activities';

describe('markPlanDue', () => {
  const run = (lapsed: boolean | null, attempt: number) =>
    createPlanDeadlineActivities({
      plans: { due: async () => lapsed },
      attempt: () => attempt,
    }).markPlanDue({ ticketNo: '20261206000001' });

  it('says what the repository did: lapsed now, or reported done before its day ended', async () => {
    await expect(run(true, 1)).resolves.toBe(true);
    await expect(run(false, 1)).resolves.toBe(false);
  });

  it('asks again for a plan not visible yet (its projection still committing), then gives up quietly', async () => {
    for (let a = 1; a < MISSING_PLAN_ATTEMPTS; a++) {
      const err = await run(null, a).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ApplicationFailure);
      expect(err).toMatchObject({ type: 'plan_not_found', nonRetryable: false });
    }
    await expect(run(null, MISSING_PLAN_ATTEMPTS)).resolves.toBe(false);
  });
});
