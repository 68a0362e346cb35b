import { Inject, Injectable } from '@nestjs/common';
import { Client, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { AssignmentRepository, ProblemException, TEMPORAL_CLIENT } from '@hotline/platform';
import type { UnitTicketRow } from '@hotline/platform';
import {
  complainantViewFor,
  isErrorCode,
  TICKET_STATUS_LABELS,
  TICKET_UPDATES,
  ticketWorkflowId,
} from '@hotline/shared';
import type { Principal, ReplyCommand, SignCommand, UnitActionResult } from '@hotline/shared';

/**
 * A unit's view of its tickets and its actions on them. A unit sees only what was dispatched to
 * it: anything else is a 404, never a 403, so it cannot even learn that a ticket exists.
 */
@Injectable()
export class UnitTicketsService {
  constructor(
    private readonly assignments: AssignmentRepository,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
  ) {}

  async list(who: Principal, filter: { status?: string; limit: number; offset: number }) {
    const { items, total } = await this.assignments.listForUnit(this.unitOf(who), filter);
    return { items: items.map((r) => this.view(who, r)), total, limit: filter.limit, offset: filter.offset };
  }

  async get(who: Principal, ticketNo: string) {
    return this.view(who, await this.own(who, ticketNo));
  }

  async sign(who: Principal, ticketNo: string, idempotencyKey: string | null): Promise<UnitActionResult> {
    const unitId = this.unitOf(who);
    if ((await this.own(who, ticketNo)).assignmentStatus === 'closed') return this.closed(ticketNo);
    const cmd: SignCommand = { unitId, actor: { kind: 'user', userId: who.userId, role: who.role, unitId } };
    return this.update(ticketNo, TICKET_UPDATES.sign, cmd, idempotencyKey ?? `sign:${unitId}`);
  }

  async reply(who: Principal, ticketNo: string, content: string, idempotencyKey: string | null) {
    const unitId = this.unitOf(who);
    if ((await this.own(who, ticketNo)).assignmentStatus === 'closed') return this.closed(ticketNo);
    const cmd: ReplyCommand = {
      unitId,
      content,
      actor: { kind: 'user', userId: who.userId, role: who.role, unitId },
    };
    return this.update(ticketNo, TICKET_UPDATES.reply, cmd, idempotencyKey ?? `reply:${unitId}`);
  }

  /** A closed ticket was signed and replied to already: repeating either changes nothing. */
  private closed(ticketNo: string): UnitActionResult {
    return { ticketNo, status: 'closed', alreadyApplied: true };
  }

  private unitOf(who: Principal): string {
    if (!who.unitId) throw new ProblemException('forbidden', 'only a unit clerk acts for a unit');
    return who.unitId;
  }

  private async own(who: Principal, ticketNo: string): Promise<UnitTicketRow> {
    const row = await this.assignments.findForUnit(ticketNo, this.unitOf(who));
    if (!row) throw new ProblemException('ticket_not_found', `no ticket ${ticketNo} for your unit`);
    return row;
  }

  /**
   * Sends the action to the ticket's workflow as an update. The update id makes a repeated call
   * (a retry, a double click) return the first result instead of acting twice.
   */
  private async update(
    ticketNo: string,
    name: string,
    cmd: unknown,
    updateId: string,
  ): Promise<UnitActionResult> {
    const handle = this.temporal.workflow.getHandle(ticketWorkflowId(ticketNo));
    try {
      return await handle.executeUpdate<UnitActionResult, [unknown]>(name, {
        args: [cmd],
        updateId: `${name}:${updateId}`,
      });
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError) {
        const cause = err.cause;
        const code =
          cause instanceof ApplicationFailure && isErrorCode(cause.type) ? cause.type : 'action_rejected';
        throw new ProblemException(code, cause?.message ?? 'the action was rejected');
      }
      if (err instanceof WorkflowNotFoundError)
        throw new ProblemException('ticket_closed', `ticket ${ticketNo} is no longer open for unit actions`);
      throw new ProblemException(
        'dependency_unavailable',
        `the workflow service did not answer: ${(err as Error).message}`,
      );
    }
  }

  private view(who: Principal, r: UnitTicketRow) {
    const { complainantName, complainantPhone, ...rest } = r;
    return {
      ...rest,
      statusLabel: TICKET_STATUS_LABELS[r.status],
      ...complainantViewFor(who, { complainantName, complainantPhone, confidential: r.confidential }),
    };
  }
}
