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

describe('markPlanDue: the clock of one day', () => {
  it('hands its day to the repository, so a plan withdrawn or tracked again on another day is not its own', async () => {
    const asked: [string, string | undefined][] = [];
    const acts = createPlanDeadlineActivities({
      plans: {
        due: async (no: string, dueAt?: string) => {
          asked.push([no, dueAt]);
          return false;
        },
      },
      attempt: () => 1,
    });
    await acts.markPlanDue({ ticketNo: '20261206000001', dueAt: '2027-03-31T16:00:00.000Z' });
    // A clock recorded before the day was handed over still marks the ticket's plan.
    await acts.markPlanDue({ ticketNo: '20261206000002' });
    expect(asked).toEqual([
      ['20261206000001', '2027-03-31T16:00:00.000Z'],
      ['20261206000002', undefined],
    ]);
  });
});
