import { ApplicationFailure } from '@temporalio/common';
import {
  createIndicatorDeadlineActivities,
  MISSING_INDICATOR_ATTEMPTS,
} from './indicator-deadline.activities';

describe('markIndicatorDue', () => {
  const run = (marked: boolean | null, attempt: number) =>
    createIndicatorDeadlineActivities({
      indicators: { due: async () => marked },
      attempt: () => attempt,
    }).markIndicatorDue({ indicatorId: 'i-1' });

  it('says what the repository did: marked overdue, or closed off before its date', async () => {
    await expect(run(true, 1)).resolves.toBe(true);
    await expect(run(false, 1)).resolves.toBe(false);
  });

  it('asks again for an indicator not visible yet (its task still committing), then gives up quietly', async () => {
    for (let a = 1; a < MISSING_INDICATOR_ATTEMPTS; a++) {
      const err = await run(null, a).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ApplicationFailure);
      expect(err).toMatchObject({ type: 'indicator_not_found', nonRetryable: false });
    }
    await expect(run(null, MISSING_INDICATOR_ATTEMPTS)).resolves.toBe(false);
  });
});
