import { ApplicationFailure } from '@temporalio/common';
import { ExpertCaseWithdrawnError } from '@hotline/platform';
import type { OutboundSms } from '@hotline/platform';
import { createExpertActivities } from './expert-evaluation.activities';
import type { ExpertActivityDeps } from './expert-evaluation.activities';

/** The expert evaluation's SMS, with the repository and the sender faked: what goes to whom, once. */
describe('expert evaluation activities', () => {
  const PHONE = '13800000001';
  function setup(over: Partial<ExpertActivityDeps['experts']> = {}) {
    const sent: OutboundSms[] = [];
    const experts: ExpertActivityDeps['experts'] = {
      assign: async () => ({ evaluatorId: 'e1', userId: 'u1', phone: PHONE, fresh: true }),
      markReminded: async () => ({ phone: PHONE, decideBy: '2026-11-25T10:00:00.000Z' }),
      withdraw: async () => ({ phone: PHONE }),
      recordVerdict: async () => undefined as never,
      heldWhenWithdrawn: async () => ({ phone: PHONE }),
      ...over,
    };
    const acts = createExpertActivities({
      experts,
      sms: {
        sendOnce: async (sms) => {
          sent.push(sms);
          return { messageId: 'm', duplicate: false, status: 'sent' };
        },
      },
    });
    return { acts, sent };
  }
  const about = { ticketNo: '20261203000001', attempt: 2 };
  const pick = (s: OutboundSms) => [s.key, s.purpose, s.template, s.to, s.params];

  it('texts each step under a key naming the case, the attempt and what it says', async () => {
    const { acts, sent } = setup();
    await acts.assignExpert({
      ...about,
      unitId: 'transport',
      tried: [],
      assignedAt: '2026-11-23T02:00:00.000Z',
      decideBy: '2026-11-25T10:00:00.000Z',
    });
    await acts.remindExpert(about);
    await acts.withdrawExpert({ ...about, reason: 'timed_out', note: '' });
    await acts.withdrawExpert({ ...about, reason: 'returned_unsuited', note: '不符' });
    await acts.notifyExpertCaseWithdrawn(about);
    const no = about.ticketNo;
    // The return as unsuited, the evaluator's own act, texts nothing.
    expect(sent.map(pick)).toEqual([
      [
        `expert:${no}:2:assigned`,
        'evaluator_assigned',
        'evaluator_assigned',
        PHONE,
        { ticketNo: no, decideBy: '11月25日18:00' },
      ],
      [
        `expert:${no}:2:reminder`,
        'evaluator_reminder',
        'evaluator_reminder',
        PHONE,
        { ticketNo: no, decideBy: '11月25日18:00' },
      ],
      [`expert:${no}:2:withdrawn`, 'evaluator_withdrawn', 'evaluator_withdrawn', PHONE, { ticketNo: no }],
      [
        `expert:${no}:2:case_withdrawn`,
        'evaluator_case_withdrawn',
        'evaluator_case_withdrawn',
        PHONE,
        { ticketNo: no },
      ],
    ]);
  });

  it('tells nobody when the attempt did not end with the case, or its evaluator has no phone', async () => {
    const none = setup({ heldWhenWithdrawn: async () => null });
    await none.acts.notifyExpertCaseWithdrawn(about);
    expect(none.sent).toEqual([]);
    const noPhone = setup({ heldWhenWithdrawn: async () => ({ phone: null }) });
    await noPhone.acts.notifyExpertCaseWithdrawn(about);
    expect(noPhone.sent).toEqual([]);
  });

  it('refuses to assign a withdrawn case for good (not retried)', async () => {
    const { acts } = setup({
      assign: async () => {
        throw new ExpertCaseWithdrawnError(about.ticketNo);
      },
    });
    const err = await acts
      .assignExpert({ ...about, unitId: 'transport', tried: [], assignedAt: '', decideBy: '' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ type: 'case_withdrawn', nonRetryable: true });
  });
});
