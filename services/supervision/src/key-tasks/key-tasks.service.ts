import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Client } from '@temporalio/client';
import {
  CONFIG,
  isUuid,
  pageOf,
  ProblemException,
  stableUuid,
  startWorkflowOnce,
  TEMPORAL_CLIENT,
} from '@hotline/platform';
import { closesOff, listedUnit, refuseProgressReport, refuseReportReview } from '@hotline/shared';
import type { KeyTaskSource, PlatformConfig, Principal } from '@hotline/shared';
import { TicketFactsRepository } from '../ticket-facts.repository';
import { KeyTasksRepository } from './key-tasks.repository';

/**
 * Key-task supervision (督查督办系统, GS), the rule in libs/shared/src/supervision/key-tasks.ts:
 * the centre registers a task with its indicators (each keeping its date in an
 * IndicatorDeadlineWorkflow); the lead and assisting units report progress; the centre reviews;
 * 100 % accepted closes an indicator off (销号), the last one the task.
 */
@Injectable()
export class KeyTasksService {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(CONFIG) private readonly config: PlatformConfig,
    private readonly repo: KeyTasksRepository,
    private readonly facts: TicketFactsRepository,
  ) {}

  async create(
    who: Principal,
    cmd: {
      source: KeyTaskSource;
      title: string;
      description: string;
      leadUnitId: string;
      assistingUnitIds?: string[];
      indicators: { name: string; target: string; dueAt: string }[];
    },
  ) {
    const assisting = [...new Set(cmd.assistingUnitIds ?? [])];
    if (assisting.includes(cmd.leadUnitId))
      throw new ProblemException('validation_failed', 'the lead unit is not also an assisting unit');
    for (const u of [cmd.leadUnitId, ...assisting])
      if (!(await this.facts.unitExists(u))) throw new ProblemException('unknown_unit', `no unit ${u}`);
    const now = Date.now();
    if (cmd.indicators.some((i) => Date.parse(i.dueAt) <= now))
      throw new ProblemException('validation_failed', 'every indicator is due in the future');
    const id = randomUUID();
    const indicators = cmd.indicators.map((i) => ({
      ...i,
      id: randomUUID(),
      dueAt: new Date(i.dueAt).toISOString(),
    }));
    await this.repo.transaction(async (m) => {
      await this.repo.create(
        m,
        {
          id,
          source: cmd.source,
          title: cmd.title.trim(),
          description: cmd.description.trim(),
          leadUnitId: cmd.leadUnitId,
          assistingUnitIds: assisting,
          createdBy: who.userId,
        },
        indicators,
      );
      // The clocks start before the commit: a failed start rolls the task back (a clock without its
      // task marks nothing: the activity finds no indicator).
      for (const i of indicators)
        await startWorkflowOnce(this.temporal, 'IndicatorDeadlineWorkflow', {
          workflowId: `indicator-deadline-${i.id}`,
          taskQueue: this.config.temporalTaskQueue,
          args: [{ indicatorId: i.id, dueAt: i.dueAt }],
          staticSummary: `重点任务指标 ${i.name}`,
        });
    });
    return this.get(who, id);
  }

  async get(who: Principal, id: string) {
    const t = isUuid(id) ? await this.repo.find(id) : null;
    if (
      !t ||
      (who.role === 'unit_clerk' &&
        who.unitId !== t.leadUnitId &&
        !t.assistingUnitIds.includes(who.unitId ?? ''))
    )
      throw new ProblemException('not_found', `no key task ${id}`);
    return t;
  }

  async list(who: Principal, q: { unitId?: string; status?: string; limit: number; offset: number }) {
    const unitId = listedUnit(who, q.unitId);
    return pageOf(await this.repo.list({ ...q, unitId }), q);
  }

  private async indicator(who: Principal, taskId: string, indicatorId: string) {
    const t = await this.get(who, taskId);
    const ind = t.indicators.find((i) => i.id === indicatorId);
    if (!ind) throw new ProblemException('not_found', `no indicator ${indicatorId} in task ${taskId}`);
    return { t, ind };
  }

  /**
   * A unit's progress report. With an Idempotency-Key, a repeat from the same clerk is the same
   * report: recorded once, answered with the task as it stands (even after the indicator was
   * closed off on it); without one, every call is a new report.
   */
  async report(
    who: Principal,
    taskId: string,
    indicatorId: string,
    progress: string,
    percent: number,
    key: string | null,
  ) {
    const { t, ind } = await this.indicator(who, taskId, indicatorId);
    const id = key ? stableUuid(`task-report:${who.userId}:${indicatorId}:${key}`) : randomUUID();
    if (key && (await this.repo.reportExists(id))) return this.get(who, taskId);
    const refusal = refuseProgressReport(t, ind, who.unitId);
    if (refusal) throw new ProblemException(refusal.code, refusal.message);
    await this.repo.report({
      id,
      indicatorId,
      unitId: who.unitId!,
      progress: progress.trim(),
      percent,
      by: who.userId,
    });
    return this.get(who, taskId);
  }

  async review(
    who: Principal,
    taskId: string,
    indicatorId: string,
    accepted: boolean,
    comment?: string,
    reportId?: string,
  ) {
    const { ind } = await this.indicator(who, taskId, indicatorId);
    let pending = await this.repo.pendingReport(indicatorId);
    if (reportId) {
      // The report the reviewer read: none other, even one sent since.
      const named = await this.repo.reportOf(indicatorId, reportId);
      if (!named)
        throw new ProblemException('not_found', `no report ${reportId} on indicator ${indicatorId}`);
      if (named.accepted !== null) {
        // The same review again (a retry) is the one made; another is refused.
        if (named.accepted === accepted) return this.get(who, taskId);
        throw new ProblemException('conflict', `report ${reportId} was reviewed already, the other way`);
      }
      pending = named;
    }
    const refusal = refuseReportReview(ind, pending, { accepted, comment });
    if (refusal) throw new ProblemException(refusal.code, refusal.message);
    const done = await this.repo.review({
      indicatorId,
      reportId: pending!.id,
      accepted,
      comment: comment?.trim() || null,
      by: who.userId,
      closeOff: closesOff(accepted, pending!.percent),
      percent: pending!.percent,
    });
    if (!done)
      throw new ProblemException(
        'conflict',
        'that report was reviewed meanwhile, by another review sent at once',
      );
    return this.get(who, taskId);
  }
}
