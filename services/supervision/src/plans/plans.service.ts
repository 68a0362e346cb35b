import { Inject, Injectable } from '@nestjs/common';
import { Client } from '@temporalio/client';
import type { EntityManager } from 'typeorm';
import {
  CONFIG,
  pageOf,
  ProblemException,
  startWorkflowOnce,
  TEMPORAL_CLIENT,
  TrackedPlanRepository,
} from '@hotline/platform';
import type { TrackedPlanRow } from '@hotline/platform';
import { decidePlanCompletion, listedUnit, planClockId } from '@hotline/shared';
import type { PlatformConfig, Principal } from '@hotline/shared';

/**
 * Tracked plans (跟踪计划, RULES §3): a ticket closed on a reply with an accepted plan is tracked
 * until its unit reports the plan done; at the end of the plan's day its PlanDeadlineWorkflow
 * lapses a plan not done, and the order follows (PlanDueProjection). A unit's clerk sees only its
 * unit's plans (another's is 404).
 */
@Injectable()
export class PlansService {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(CONFIG) private readonly config: PlatformConfig,
    private readonly plans: TrackedPlanRepository,
  ) {}

  /**
   * Tracks the plan of a ticket that just closed, in the projection's transaction. Its clock starts
   * before the commit (a failed start rolls the event back for redelivery; a clock whose plan never
   * commits finds nothing to mark), as the key tasks' indicators do.
   */
  async trackOnClose(ticketNo: string, m: EntityManager): Promise<void> {
    const plan = await this.plans.trackOnClose(ticketNo, m);
    if (!plan) return;
    // One clock per ticket and day: a plan tracked again on its day finds its clock still running
    // (or, its day past, starts one that marks it at once); another day gets a clock of its own.
    await startWorkflowOnce(
      this.temporal,
      'PlanDeadlineWorkflow',
      {
        workflowId: planClockId(ticketNo, plan.plannedCompletionDate),
        taskQueue: this.config.temporalTaskQueue,
        args: [{ ticketNo, dueAt: new Date(plan.dueAt).toISOString() }],
        staticSummary: `跟踪计划 ${plan.unitId} 工单 ${ticketNo} 计划完成 ${plan.plannedCompletionDate}`,
      },
      { reuse: 'allow' },
    );
  }

  /**
   * A ledger correction voided a close of the ticket: the plan tracked on it, if still tracking, is
   * withdrawn, and the close that stands (if any, from the facts just rebuilt) tracks its own plan.
   * The withdrawn plan's clock finds nothing of its day to mark.
   */
  async retrackOnCorrection(ticketNo: string, m: EntityManager): Promise<void> {
    await this.plans.withdraw(ticketNo, m);
    await this.trackOnClose(ticketNo, m);
  }

  async get(who: Principal, ticketNo: string): Promise<TrackedPlanRow> {
    const plan = await this.plans.find(ticketNo);
    if (!plan || (who.role === 'unit_clerk' && plan.unitId !== who.unitId))
      throw new ProblemException('not_found', `no tracked plan of ticket ${ticketNo}`);
    return plan;
  }

  async list(who: Principal, q: { unitId?: string; status?: string; limit: number; offset: number }) {
    const unitId = listedUnit(who, q.unitId);
    return pageOf(await this.plans.list({ ...q, unitId }), q);
  }

  /** The unit reports its plan done; the same report again (or any after it) changes nothing. */
  async complete(
    who: Principal,
    ticketNo: string,
    note: string,
  ): Promise<TrackedPlanRow & { alreadyApplied: boolean }> {
    const plan = await this.plans.find(ticketNo);
    const decision = decidePlanCompletion(plan, who.unitId ?? '');
    if (decision === 'not_found')
      throw new ProblemException('not_found', `no tracked plan of ticket ${ticketNo}`);
    if (decision === 'withdrawn')
      throw new ProblemException(
        'action_rejected',
        `ticket ${ticketNo}'s plan is withdrawn: the close it was tracked on was voided, the ticket is open again`,
      );
    const changed = decision === 'done' && (await this.plans.complete(ticketNo, who.userId, note.trim()));
    return { ...(await this.plans.find(ticketNo))!, alreadyApplied: !changed };
  }
}
