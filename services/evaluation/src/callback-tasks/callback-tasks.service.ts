import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { decodeQueueCursor, isUuid, pageOf, ProblemException, stableUuid } from '@hotline/platform';
import { claimOf, unreachableVerdict } from '@hotline/shared';
import type { CallbackAttemptOutcome, Principal, Verdict } from '@hotline/shared';
import { CallbacksService } from '../callbacks.service';
import { CallbackTasksRepository } from './callback-tasks.repository';
import type { CallbackTaskRow } from './callback-tasks.repository';

/**
 * The workflow update's id for an answer sent without an Idempotency-Key: the task and the answer
 * itself, so the same answer sent twice (a double click) is one, and two different answers sent at
 * once are two, of which the workflow takes the first and refuses the other (409). A task's id
 * alone folded a different answer into the first and told both callers theirs was applied.
 */
function sameAnswer(
  id: string,
  action: string,
  verdict: Verdict | null,
  note: string,
  resolved?: boolean,
): string {
  // The answer as first keyed (without `resolved`) keeps its key: a retry of it stays the same call.
  const answer = createHash('sha256')
    .update(
      JSON.stringify(resolved === undefined ? [action, verdict, note] : [action, verdict, note, resolved]),
    )
    .digest('hex');
  return `task-${id}-${answer.slice(0, 32)}`;
}

/**
 * The operators' manual-callback queue (RULES §4): claim a task, call, record each failed call,
 * then the verdict (it goes to the ticket's workflow like any manual callback) or, by the rule in
 * libs/shared/src/evaluation/callback-task.ts, the citizen as unreachable. Only the holder acts.
 */
@Injectable()
export class CallbackTasksService {
  constructor(
    private readonly tasks: CallbackTasksRepository,
    private readonly callbacks: CallbacksService,
  ) {}

  private view(t: CallbackTaskRow, who: Principal) {
    const claim = claimOf(t, who.userId, Date.now());
    return {
      ...t,
      claimedBy: claim === 'free' ? null : t.claimedBy,
      claim,
      secondsLeft: Math.round((Date.parse(new Date(t.dueAt).toISOString()) - Date.now()) / 1000),
    };
  }

  async list(
    who: Principal,
    q: { status: 'open' | 'done'; mine: boolean; limit: number; offset: number; after?: string },
  ) {
    const after = q.after === undefined ? undefined : decodeQueueCursor(q.after, q.status);
    if (after === null)
      throw new ProblemException(
        'validation_failed',
        'after is not a cursor this queue gave for this status',
        {
          field: 'after',
        },
      );
    if (after && q.offset !== 0)
      throw new ProblemException('validation_failed', 'give either after or offset, not both', {
        field: 'offset',
      });
    const { items, total, nextCursor } = await this.tasks.list({
      status: q.status,
      claimedBy: q.mine ? who.userId : undefined,
      limit: q.limit,
      offset: q.offset,
      after,
    });
    return { ...pageOf({ items: items.map((t) => this.view(t, who)), total }, q), nextCursor };
  }

  private async task(id: string): Promise<CallbackTaskRow> {
    const t = isUuid(id) ? await this.tasks.get(id) : null;
    if (!t) throw new ProblemException('not_found', `no callback task ${id}`);
    return t;
  }

  async detail(who: Principal, id: string) {
    const t = await this.task(id);
    return { ...this.view(t, who), calls: await this.tasks.attempts(id) };
  }

  /** The task, if the caller holds it (a lapsed claim is taken again for them if free). */
  private async held(who: Principal, id: string): Promise<CallbackTaskRow> {
    const t = await this.task(id);
    if (t.status !== 'open') throw new ProblemException('task_done', 'this callback is done');
    const claim = claimOf(t, who.userId, Date.now());
    if (claim === 'theirs')
      throw new ProblemException('task_claimed', `${t.claimedBy} is calling this citizen`);
    if (claim === 'free')
      throw new ProblemException('task_not_claimed', 'claim the task before acting on it');
    return t;
  }

  async claim(who: Principal, id: string) {
    const t = await this.task(id);
    if (t.status !== 'open') throw new ProblemException('task_done', 'this callback is done');
    if (!(await this.tasks.claim(id, who.userId))) {
      const now = await this.task(id);
      if (now.status !== 'open') throw new ProblemException('task_done', 'this callback is done');
      throw new ProblemException('task_claimed', `${now.claimedBy} is calling this citizen`);
    }
    return this.detail(who, id);
  }

  async release(who: Principal, id: string) {
    await this.held(who, id);
    await this.tasks.release(id, who.userId);
    return this.detail(who, id);
  }

  async attempt(
    who: Principal,
    id: string,
    outcome: CallbackAttemptOutcome,
    note: string,
    key: string | null,
  ) {
    await this.held(who, id);
    // A retry with the same key is the same call: recorded once.
    await this.tasks.addAttempt(
      id,
      outcome,
      note,
      who.userId,
      key ? stableUuid(`callback-attempt:${id}:${who.userId}:${key}`) : undefined,
    );
    const detail = await this.detail(who, id);
    return { ...detail, unreachable: unreachableVerdict(detail.calls) };
  }

  async verdict(
    who: Principal,
    id: string,
    verdict: Verdict,
    note: string,
    key: string | null,
    resolved?: boolean,
  ) {
    const t = await this.held(who, id);
    return this.callbacks.record(
      t.ticketNo,
      { mode: 'manual', verdict, note, ...(resolved === undefined ? {} : { resolved }) },
      who,
      key ?? sameAnswer(id, 'verdict', verdict, note, resolved),
    );
  }

  async unreachable(who: Principal, id: string, note: string, key: string | null) {
    const t = await this.held(who, id);
    const rule = unreachableVerdict(await this.tasks.attempts(id));
    if (!rule.ok) throw new ProblemException('conflict', rule.reason);
    return this.callbacks.record(
      t.ticketNo,
      { mode: 'manual', verdict: null, note: note || '多次回访未能联系到市民', unreachable: true },
      who,
      key ?? sameAnswer(id, 'unreachable', null, note),
    );
  }
}
