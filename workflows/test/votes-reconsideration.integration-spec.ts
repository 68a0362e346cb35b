import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { CN_MAINLAND_CALENDAR, reconsiderationClock, WorkingCalendar } from '@hotline/shared';
import type { Duration, VoteResult } from '@hotline/shared';
import type { VoteActivities } from '../src/evaluation/vote/public-vote.activities';
import type { ReconsiderationActivities } from '../src/evaluation/reconsideration/reconsideration.activities';
import type { PublicVoteInput } from '../src/evaluation/vote/public-vote.workflow';
import type {
  ReconsiderationInput,
  ReconsiderationState,
} from '../src/evaluation/reconsideration/reconsideration.workflow';
import { rejection, skipTo, timeSkipping } from './helpers';

/**
 * The public vote's window (SZ: 15 days, closed by a timer) and reconsideration's clock (GS: 10
 * working days, reminders at the policy's fractions, overdue at the limit) under time skipping,
 * both sides of every boundary. Activities are fakes.
 */
const MIN = 60_000;
const DAY = 24 * 60 * MIN;

describe('PublicVoteWorkflow and ReconsiderationWorkflow (time-skipping)', () => {
  let env: TestWorkflowEnvironment;
  const taskQueue = `votes-${randomUUID()}`;
  const log: { ticketNo: string; what: string; at: number; data?: unknown }[] = [];
  const note = async (ticketNo: string, what: string, data?: unknown) =>
    void log.push({ ticketNo, what, at: await env.currentTimeMs(), data });

  const activities: VoteActivities & ReconsiderationActivities = {
    openVote: (i) => note(i.ticketNo, 'opened', i.closesAt),
    recordVote: (i) => note(i.ticketNo, `vote:${i.voterId}:${i.verdict}`),
    closeVote: (i) => note(i.ticketNo, 'closed', i.result),
    remindReconsideration: (i) => note(i.ticketNo, `reminded:${i.n}`),
    markReconsiderationOverdue: (i) => note(i.ticketNo, 'overdue'),
    recordReconsiderationDecision: (i) => note(i.ticketNo, `decided:${i.outcome}:${i.late}`),
  };

  let stop: () => Promise<void>;
  beforeAll(async () => {
    ({ env, stop } = await timeSkipping(taskQueue, activities));
  });
  afterAll(async () => {
    await stop?.();
  });

  let seq = 0;
  const ticketNo = () => `2033010${String(++seq).padStart(7, '0')}`;
  const whats = (no: string) => log.filter((e) => e.ticketNo === no).map((e) => e.what);
  const at = (t0: number, ms: number) => skipTo(env, t0, ms);
  async function until(p: () => boolean) {
    for (let i = 0; i < 200 && !p(); i++) await new Promise((r) => setTimeout(r, 25));
    if (!p()) throw new Error('not reached');
  }

  describe('the public vote', () => {
    async function openWindow(posterId: string | null = 'poster') {
      const no = ticketNo();
      const t0 = await env.currentTimeMs();
      const input: PublicVoteInput = {
        ticketNo: no,
        unitId: 'transport',
        posterId,
        opensAt: new Date(t0).toISOString(),
        closesAt: new Date(t0 + 15 * DAY).toISOString(),
      };
      const h = await env.client.workflow.start('PublicVoteWorkflow', {
        workflowId: `public-vote-${no}`,
        taskQueue,
        args: [input],
      });
      await until(() => whats(no).includes('opened'));
      return { h, no, t0 };
    }
    const vote = (h: WorkflowHandle, voterId: string, verdict: string, staff = false) =>
      h.executeUpdate('castVote', { args: [{ voterId, verdict, staff }] });

    it('takes a vote a minute before the 15-day close and refuses one a minute after; the close is a timer', async () => {
      const { h, no, t0 } = await openWindow();
      await at(t0, 15 * DAY - MIN);
      expect(await vote(h, 'u1', 'unsatisfied')).toMatchObject({
        voterId: 'u1',
        isPoster: false,
        changed: false,
      });
      expect(whats(no)).not.toContain('closed');
      await at(t0, 15 * DAY + MIN);
      const result: VoteResult = await h.result();
      expect(result).toEqual({
        result: 'satisfied',
        posterVerdict: 'satisfied',
        posterDefaulted: true,
        others: { satisfied: 0, basically_satisfied: 0, unsatisfied: 1 },
      });
      expect(log.find((e) => e.ticketNo === no && e.what === 'closed')!.at - t0).toBeGreaterThanOrEqual(
        15 * DAY,
      );
      await expect(vote(h, 'u2', 'satisfied')).rejects.toThrow(); // the window's workflow is over
    });

    it('one vote per user, the poster changes once, staff refused; the poster’s verdict is the result', async () => {
      const { h, no, t0 } = await openWindow('poster');
      expect(await vote(h, 'poster', 'unsatisfied')).toMatchObject({ isPoster: true });
      expect(await vote(h, 'poster', 'basically_satisfied')).toMatchObject({ changed: true });
      expect(await rejection(vote(h, 'poster', 'satisfied'))).toBe('vote_change_used');
      expect(await vote(h, 'u1', 'satisfied')).toMatchObject({ changed: false });
      expect(await rejection(vote(h, 'u1', 'unsatisfied'))).toBe('already_voted');
      expect(await rejection(vote(h, 'clerk', 'satisfied', true))).toBe('staff_cannot_vote');
      // An account registered as staff after voting: its vote is dropped, and it votes no more.
      expect(await vote(h, 'u9', 'unsatisfied')).toMatchObject({ isPoster: false });
      await h.signal('staffRegistered', 'u9');
      expect(await rejection(vote(h, 'u9', 'unsatisfied', true))).toBe('staff_cannot_vote');
      await at(t0, 15 * DAY + MIN);
      expect(await h.result()).toEqual({
        result: 'basically_satisfied',
        posterVerdict: 'basically_satisfied',
        posterDefaulted: false,
        others: { satisfied: 1, basically_satisfied: 0, unsatisfied: 0 },
      });
      expect(whats(no).filter((w) => w.startsWith('vote:'))).toEqual([
        'vote:poster:unsatisfied',
        'vote:poster:basically_satisfied',
        'vote:u1:satisfied',
        'vote:u9:unsatisfied',
      ]);
    });
  });

  describe('reconsideration', () => {
    const limit: Duration = { amount: 10, unit: 'working_days' };
    async function requested() {
      const no = ticketNo();
      const t0 = await env.currentTimeMs();
      const input: ReconsiderationInput = {
        ticketNo: no,
        requestedAt: new Date(t0).toISOString(),
        limit,
        reminderFractions: [0.5, 0.8],
        calendar: CN_MAINLAND_CALENDAR,
      };
      const h = await env.client.workflow.start('ReconsiderationWorkflow', {
        workflowId: `reconsideration-${no}`,
        taskQueue,
        args: [input],
      });
      const clock = reconsiderationClock(t0, limit, [0.5, 0.8], new WorkingCalendar(CN_MAINLAND_CALENDAR));
      return { h, no, t0, ...clock };
    }
    const decide = (h: WorkflowHandle, outcome = 'upheld', decision = '经复查，维持原处理意见。') =>
      h.executeUpdate<ReconsiderationState, [unknown]>('decideReconsideration', {
        args: [{ outcome, decision, userId: 'reviewer' }],
      });

    it('reminds at half and four fifths of 10 working days, each not a minute early; overdue at the limit, not before', async () => {
      const { no, t0, remindAt, decideBy } = await requested();
      await at(t0, remindAt[0] - t0 - MIN);
      expect(whats(no)).toEqual([]);
      await at(t0, remindAt[0] - t0 + MIN);
      await until(() => whats(no).includes('reminded:1'));
      await at(t0, remindAt[1] - t0 - MIN);
      expect(whats(no)).toEqual(['reminded:1']);
      await at(t0, remindAt[1] - t0 + MIN);
      await until(() => whats(no).includes('reminded:2'));
      await at(t0, decideBy - t0 - MIN);
      expect(whats(no)).toEqual(['reminded:1', 'reminded:2']);
      await at(t0, decideBy - t0 + MIN);
      await until(() => whats(no).includes('overdue'));
    });

    it('a decision just inside the limit is on time; just after it, late but taken; only one decision', async () => {
      const early = await requested();
      await at(early.t0, early.decideBy - early.t0 - MIN);
      expect(await decide(early.h)).toMatchObject({ decided: true, late: false, overdue: false });
      expect(await early.h.result()).toMatchObject({ decided: true });

      const late = await requested();
      await at(late.t0, late.decideBy - late.t0 + MIN);
      await until(() => whats(late.no).includes('overdue'));
      expect(await rejection(decide(late.h, 'maybe'))).toBe('validation_failed');
      expect(await rejection(decide(late.h, 'revised', ' '))).toBe('validation_failed');
      expect(await decide(late.h, 'revised', '经复查，撤销原处理意见，重新交办。')).toMatchObject({
        decided: true,
        late: true,
        overdue: true,
      });
      expect(whats(late.no)).toEqual(['reminded:1', 'reminded:2', 'overdue', 'decided:revised:true']);
      await expect(decide(late.h)).rejects.toThrow();
    });
  });
});
