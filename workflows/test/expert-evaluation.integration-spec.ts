import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  chooseEvaluator,
  CN_MAINLAND_CALENDAR,
  SQ_POLICY,
  WorkingCalendar,
  expertDeadlines,
} from '@hotline/shared';
import type { EvaluatorCandidate, ExpertLimits } from '@hotline/shared';
import type { ExpertActivities } from '../src/evaluation/expert/expert-evaluation.activities';
import type {
  ExpertCaseState,
  ExpertEvaluationInput,
} from '../src/evaluation/expert/expert-evaluation.workflow';
import { rejection, skipTo, timeSkipping, until as reach } from './helpers';

/**
 * ExpertEvaluationWorkflow under time skipping (PA §3): the reminder at 24 h, the decision within
 * 2 working days, automatic withdrawal and reassignment, the immediate return, the final verdict.
 * Activities are fakes over the real selection rule.
 */
const MIN = 60_000;
const HOUR = 60 * MIN;
const limits: ExpertLimits = {
  evaluatorDecision: SQ_POLICY.defaults.evaluatorDecision,
  evaluatorReminderAfter: SQ_POLICY.defaults.evaluatorReminderAfter,
};
const calendar = new WorkingCalendar(CN_MAINLAND_CALENDAR);

describe('ExpertEvaluationWorkflow (time-skipping)', () => {
  let env: TestWorkflowEnvironment;
  const taskQueue = `expert-${randomUUID()}`;

  /** The pool, per case (ticket): each test gets its own. */
  const pools = new Map<string, EvaluatorCandidate[]>();
  const log: {
    ticketNo: string;
    what: string;
    attempt: number;
    evaluatorId?: string;
    at: number;
    extra?: string;
  }[] = [];
  const assignedAt = new Map<string, number>();
  /** Cases withdrawn in the record (their request voided): the next assignment refuses. */
  const withdrawn = new Set<string>();

  const activities: ExpertActivities = {
    async assignExpert(input) {
      if (withdrawn.has(input.ticketNo))
        throw ApplicationFailure.create({ type: 'case_withdrawn', message: 'withdrawn', nonRetryable: true });
      const pool = pools.get(input.ticketNo) ?? [];
      const chosen = chooseEvaluator(pool, {
        unitId: input.unitId,
        tried: input.tried,
        now: Date.parse(input.assignedAt),
      });
      if (!chosen) return null;
      chosen.openCases++;
      assignedAt.set(`${input.ticketNo}:${input.attempt}`, Date.parse(input.assignedAt));
      log.push({
        ticketNo: input.ticketNo,
        what: 'assigned',
        attempt: input.attempt,
        evaluatorId: chosen.evaluatorId,
        at: Date.parse(input.assignedAt),
        extra: input.decideBy,
      });
      return { evaluatorId: chosen.evaluatorId, userId: `user-${chosen.evaluatorId}` };
    },
    async remindExpert(input) {
      log.push({
        ticketNo: input.ticketNo,
        what: 'reminded',
        attempt: input.attempt,
        at: await env.currentTimeMs(),
      });
    },
    async withdrawExpert(input) {
      log.push({
        ticketNo: input.ticketNo,
        what: `withdrawn:${input.reason}`,
        attempt: input.attempt,
        at: await env.currentTimeMs(),
        extra: input.note,
      });
    },
    async notifyExpertCaseWithdrawn(input) {
      log.push({
        ticketNo: input.ticketNo,
        what: 'told:case_withdrawn',
        attempt: input.attempt,
        at: await env.currentTimeMs(),
      });
    },
    async recordExpertVerdict(input) {
      log.push({
        ticketNo: input.ticketNo,
        what: `verdict:${input.verdict}`,
        attempt: input.attempt,
        at: await env.currentTimeMs(),
        extra: input.reason,
      });
    },
  };

  let stop: () => Promise<void>;
  beforeAll(async () => {
    ({ env, stop } = await timeSkipping(taskQueue, activities));
  });
  afterAll(async () => {
    await stop?.();
  });

  const today = new Date().toISOString().slice(0, 10);
  const evaluator = (id: string, over: Partial<EvaluatorCandidate> = {}): EvaluatorCandidate => ({
    evaluatorId: id,
    available: true,
    termStart: '2025-01-01',
    termEnd: '2099-01-01',
    tiedUnitIds: [],
    openCases: 0,
    lastAssignedAt: null,
    ...over,
  });

  let seq = 0;
  async function open(
    pool: EvaluatorCandidate[],
    over: Partial<ExpertEvaluationInput> = {},
  ): Promise<{ h: WorkflowHandle; ticketNo: string }> {
    const ticketNo = `2032010${String(++seq).padStart(7, '0')}`;
    pools.set(ticketNo, pool);
    const input: ExpertEvaluationInput = {
      ticketNo,
      unitId: 'transport',
      limits,
      calendar: CN_MAINLAND_CALENDAR,
      ...over,
    };
    const h = await env.client.workflow.start('ExpertEvaluationWorkflow', {
      workflowId: `expert-evaluation-${ticketNo}`,
      taskQueue,
      args: [input],
    });
    return { h, ticketNo };
  }

  const until = (h: WorkflowHandle, ok: (s: ExpertCaseState) => boolean): Promise<ExpertCaseState> =>
    reach('the expected case state', async () => {
      const s = await h.query<ExpertCaseState>('expertCase');
      return ok(s) && s;
    });

  const at = (t0: number, ms: number) => skipTo(env, t0, ms);

  const mine = (ticketNo: string) => log.filter((e) => e.ticketNo === ticketNo).map((e) => e.what);
  const decide = (
    h: WorkflowHandle,
    userId: string,
    verdict = 'basically_satisfied',
    reason = '答复基本解决诉求',
  ) => h.executeUpdate('decideExpertCase', { args: [{ userId, verdict, reason }] });
  const giveBack = (h: WorkflowHandle, userId: string, reason = '与本人专业不符') =>
    h.executeUpdate('returnExpertCase', { args: [{ userId, reason }] });

  it('assigns at once to the least loaded eligible evaluator: never a tied one, never one out of term', async () => {
    const { h, ticketNo } = await open([
      evaluator('e-tied', { tiedUnitIds: ['transport'] }),
      evaluator('e-lapsed', { termStart: '2023-01-01', termEnd: today }),
      evaluator('e-busy', { openCases: 3 }),
      evaluator('e-free', { openCases: 0 }),
      evaluator('e-away', { available: false }),
    ]);
    const s = await until(h, (x) => x.status === 'assigned');
    expect(s.holder).toEqual({ evaluatorId: 'e-free', userId: 'user-e-free' });
    expect(mine(ticketNo)).toEqual(['assigned']);
  });

  it('reminds 24 h after assignment, not a minute before', async () => {
    const { h, ticketNo } = await open([evaluator('e1')]);
    await until(h, (x) => x.status === 'assigned');
    const t0 = assignedAt.get(`${ticketNo}:1`)!;
    await at(t0, 24 * HOUR - MIN);
    expect(mine(ticketNo)).toEqual(['assigned']);
    await at(t0, 24 * HOUR + MIN);
    await until(h, () => mine(ticketNo).includes('reminded'));
    expect(log.find((e) => e.ticketNo === ticketNo && e.what === 'reminded')!.at - t0).toBeGreaterThanOrEqual(
      24 * HOUR,
    );
  });

  it('accepts the verdict just inside 2 working days; it is final', async () => {
    const { h, ticketNo } = await open([evaluator('e1'), evaluator('e2')]);
    const s = await until(h, (x) => x.status === 'assigned');
    const t0 = assignedAt.get(`${ticketNo}:1`)!;
    const { decideBy } = expertDeadlines(t0, limits, calendar);
    expect(s.decideBy).toBe(new Date(decideBy).toISOString());
    await at(t0, decideBy - t0 - MIN);
    expect(await decide(h, s.holder!.userId)).toEqual({ ticketNo, status: 'decided' });
    const done = await h.result();
    expect(done).toMatchObject({ status: 'decided', verdict: 'basically_satisfied', attempt: 1 });
    expect(mine(ticketNo)).toEqual(['assigned', 'reminded', 'verdict:basically_satisfied']);
  });

  it('withdraws the case automatically just after 2 working days and assigns the next evaluator', async () => {
    const { h, ticketNo } = await open([evaluator('e1'), evaluator('e2', { openCases: 1 })]);
    const s1 = await until(h, (x) => x.status === 'assigned');
    expect(s1.holder!.evaluatorId).toBe('e1');
    const t0 = assignedAt.get(`${ticketNo}:1`)!;
    const { decideBy } = expertDeadlines(t0, limits, calendar);
    await at(t0, decideBy - t0 - MIN);
    expect(mine(ticketNo)).toEqual(['assigned', 'reminded']);
    await at(t0, decideBy - t0 + MIN);
    const s2 = await until(h, (x) => x.attempt === 2);
    expect(mine(ticketNo)).toEqual(['assigned', 'reminded', 'withdrawn:timed_out', 'assigned']);
    expect(s2).toMatchObject({ status: 'assigned', tried: ['e1'], holder: { evaluatorId: 'e2' } });
    // The withdrawn evaluator can no longer decide.
    expect(await rejection(decide(h, 'user-e1'))).toBe('expert_case_not_found');
    await decide(h, 'user-e2', 'unsatisfied', '答复未回应核心诉求');
    expect(await h.result()).toMatchObject({ status: 'decided', verdict: 'unsatisfied' });
  });

  it('a return as unsuited reassigns at once; the returning evaluator is not chosen again', async () => {
    const { h, ticketNo } = await open([evaluator('e1'), evaluator('e2', { openCases: 5 })]);
    await until(h, (x) => x.status === 'assigned');
    await giveBack(h, 'user-e1');
    const s = await until(h, (x) => x.attempt === 2 && x.status === 'assigned');
    expect(s.holder!.evaluatorId).toBe('e2');
    expect(mine(ticketNo)).toEqual(['assigned', 'withdrawn:returned_unsuited', 'assigned']);
    expect(log.find((e) => e.ticketNo === ticketNo && e.what === 'withdrawn:returned_unsuited')!.extra).toBe(
      '与本人专业不符',
    );
  });

  it('given back with nobody else eligible, the case waits; its former holder is told it is not theirs, not that it was decided', async () => {
    const { h } = await open([evaluator('e1')]);
    await until(h, (x) => x.status === 'assigned');
    await giveBack(h, 'user-e1');
    await until(h, (x) => x.status === 'waiting_for_evaluator');
    expect(await rejection(decide(h, 'user-e1', 'satisfied'))).toBe('expert_case_not_found');
  });

  it('refuses another user, a missing reason, a bad verdict; after the verdict the case is over', async () => {
    const { h } = await open([evaluator('e1')]);
    await until(h, (x) => x.status === 'assigned');
    expect(await rejection(decide(h, 'user-e2'))).toBe('expert_case_not_found');
    expect(await rejection(decide(h, 'user-e1', 'satisfied', ' '))).toBe('validation_failed');
    expect(await rejection(decide(h, 'user-e1', 'great'))).toBe('validation_failed');
    await decide(h, 'user-e1', 'satisfied');
    // Final: the case's workflow has ended with the verdict; nothing reaches it any more (the
    // service answers expert_case_closed from the record).
    expect(await h.result()).toMatchObject({ status: 'decided', verdict: 'satisfied' });
    await expect(decide(h, 'user-e1', 'unsatisfied')).rejects.toThrow();
  });

  it('with nobody eligible the case waits, and is assigned when an evaluator becomes available', async () => {
    const pool = [evaluator('e1', { available: false })];
    const { h, ticketNo } = await open(pool);
    await until(h, (x) => x.status === 'waiting_for_evaluator');
    expect(mine(ticketNo)).toEqual([]);
    pool[0].available = true;
    await h.signal('evaluatorAvailable');
    const s = await until(h, (x) => x.status === 'assigned');
    expect(s).toMatchObject({ attempt: 1, holder: { evaluatorId: 'e1' } });
  });

  it('with nobody eligible and nobody telling, it looks again within the hour', async () => {
    const pool = [evaluator('e1', { available: false })];
    const { h } = await open(pool);
    await until(h, (x) => x.status === 'waiting_for_evaluator');
    pool[0].available = true;
    await env.sleep(61 * MIN);
    await until(h, (x) => x.status === 'assigned');
  });

  it('ends, withdrawn, when its record says the case was withdrawn and the run was not called off', async () => {
    const { h, ticketNo } = await open([]);
    await until(h, (x) => x.status === 'waiting_for_evaluator');
    withdrawn.add(ticketNo);
    pools.set(ticketNo, [evaluator('e-late')]);
    await h.signal('evaluatorAvailable');
    const s = await h.result();
    expect(s).toMatchObject({ status: 'withdrawn', holder: null, verdict: null });
    expect(mine(ticketNo)).toEqual([]);
  });

  it('called off while an evaluator holds the case: tells that evaluator, and ends cancelled', async () => {
    const { h, ticketNo } = await open([evaluator('e-held')]);
    await until(h, (x) => x.status === 'assigned');
    await h.cancel();
    await expect(h.result()).rejects.toThrow();
    expect((await h.describe()).status.name).toBe('CANCELLED');
    expect(log.filter((e) => e.ticketNo === ticketNo).map((e) => `${e.what}#${e.attempt}`)).toEqual([
      'assigned#1',
      'told:case_withdrawn#1',
    ]);
  });

  it('called off while the case waits for an evaluator: nobody to tell', async () => {
    const { h, ticketNo } = await open([]);
    await until(h, (x) => x.status === 'waiting_for_evaluator');
    await h.cancel();
    await expect(h.result()).rejects.toThrow();
    expect(mine(ticketNo)).toEqual([]);
  });

  it('not called off: the attempt that ended with the case is told when the next assignment refuses', async () => {
    const { h, ticketNo } = await open([evaluator('e-first')]);
    const s0 = await until(h, (x) => x.status === 'assigned');
    withdrawn.add(ticketNo);
    await at(Date.parse(s0.decideBy!), 1000);
    const s = await h.result();
    expect(s).toMatchObject({ status: 'withdrawn', holder: null });
    expect(mine(ticketNo)).toEqual(['assigned', 'reminded', 'withdrawn:timed_out', 'told:case_withdrawn']);
  });

  it('numbers its attempts after those the case had before it was withdrawn and opened again', async () => {
    const { h, ticketNo } = await open([evaluator('e1')], { attemptsBefore: 2 });
    const s = await until(h, (x) => x.status === 'assigned');
    expect(s.attempt).toBe(3);
    expect(log.filter((e) => e.ticketNo === ticketNo).map((e) => e.attempt)).toEqual([3]);
  });
});
