import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Client } from '@temporalio/client';
import {
  actorOf,
  CONFIG,
  executeWorkflowUpdate,
  pageOf,
  PolicyRepository,
  ProblemException,
  ReconsiderationRepository,
  requireTicket,
  startWorkflowOnce,
  TEMPORAL_CLIENT,
  TicketLedgerRepository,
} from '@hotline/platform';
import { reconsiderationClock, refuseReconsideration, WorkingCalendar } from '@hotline/shared';
import type { PlatformConfig, Principal, ReconsiderationOutcome } from '@hotline/shared';

const workflowId = (ticketNo: string) => `reconsideration-${ticketNo}`;

/**
 * Reconsideration (复查, GS): the centre registers the complainant's request (the rule decides
 * whether it may be asked), its workflow keeps the 10-working-day clock, and the decision goes to
 * the workflow as an update.
 */
@Injectable()
export class ReconsiderationsService {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(CONFIG) private readonly config: PlatformConfig,
    private readonly reconsiderations: ReconsiderationRepository,
    private readonly ledger: TicketLedgerRepository,
    private readonly policies: PolicyRepository,
  ) {}

  async request(who: Principal, ticketNo: string, reason: string) {
    await requireTicket(this.ledger, ticketNo);
    const ticket = (await this.ledger.findCore(ticketNo))!;
    const closed = (await this.ledger.history(ticketNo)).find((e) => e.type === 'ticket.closed');
    const now = Date.now();
    const calendarData = await this.policies.calendarSnapshot(
      ticket.policy?.calendarId ?? 'cn-mainland',
      new Date(now),
    );
    const calendar = new WorkingCalendar(calendarData);
    const limits = ticket.policy?.limits ?? {};
    const refusal = refuseReconsideration(
      {
        status: ticket.status,
        kind: ticket.kind,
        closedAt: closed ? new Date(closed.occurredAt).toISOString() : null,
        limits,
        alreadyRequested: (await this.reconsiderations.find(ticketNo)) !== null,
      },
      now,
      calendar,
    );
    if (refusal) throw new ProblemException(refusal.code, refusal.message);
    const limit = ticket.policy!.limits.reconsideration!;
    const fractions = ticket.policy!.limits.reminderFractions;
    const requestedAt = new Date(now).toISOString();
    const { decideBy } = reconsiderationClock(now, limit, fractions, calendar);
    const started = await startWorkflowOnce(this.temporal, 'ReconsiderationWorkflow', {
      workflowId: workflowId(ticketNo),
      taskQueue: this.config.temporalTaskQueue,
      args: [{ ticketNo, requestedAt, limit, reminderFractions: fractions, calendar: calendarData }],
      staticSummary: `复查 工单 ${ticketNo}`,
    });
    if (!started)
      throw new ProblemException('conflict', 'reconsideration was already requested for this ticket');
    await this.reconsiderations.request({
      ticketNo,
      id: randomUUID(),
      unitId: ticket.unitId ?? '-',
      reason,
      by: actorOf(who),
      requestedAt,
      decideBy: new Date(decideBy).toISOString(),
    });
    return this.get(ticketNo);
  }

  async decide(
    who: Principal,
    ticketNo: string,
    outcome: ReconsiderationOutcome,
    decision: string,
    key: string | null,
  ) {
    const r = await this.get(ticketNo);
    // With a key, a repeat of the decision is answered by Temporal (the update's first outcome).
    if (r.status === 'decided' && !key)
      throw new ProblemException('conflict', 'the reconsideration is decided');
    await executeWorkflowUpdate(
      this.temporal,
      workflowId(ticketNo),
      'decideReconsideration',
      { outcome, decision, userId: who.userId },
      {
        updateId: key ? `decideReconsideration:${who.userId}:${key}` : undefined,
        gone: () => new ProblemException('conflict', 'the reconsideration is decided'),
      },
    );
    return this.get(ticketNo);
  }

  async get(ticketNo: string) {
    const r = await this.reconsiderations.find(ticketNo);
    if (!r) throw new ProblemException('not_found', `no reconsideration for ticket ${ticketNo}`);
    return r;
  }

  async list(q: { status?: string; limit: number; offset: number }) {
    return pageOf(await this.reconsiderations.list(q), q);
  }
}
