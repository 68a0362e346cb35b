import { Inject, Injectable } from '@nestjs/common';
import { Client } from '@temporalio/client';
import {
  actorOf,
  AssignmentRepository,
  CatalogRepository,
  executeTicketUpdate,
  ProblemException,
  TEMPORAL_CLIENT,
} from '@hotline/platform';
import type { UnitTicketRow } from '@hotline/platform';
import { complainantViewFor, TICKET_STATUS_LABELS } from '@hotline/shared';
import type {
  Duration,
  Principal,
  ReplyCommand,
  RequestExtensionCommand,
  ReturnCommand,
  SignCommand,
  UnitActionResult,
} from '@hotline/shared';

export interface ReplyInput {
  content: string;
  responsibleDepartment?: string;
  plannedCompletionDate?: string;
  isPlan?: boolean;
}

/**
 * A unit's view of its tickets and its actions on them. A unit sees only what was dispatched to
 * it: anything else is a 404, never a 403, so it cannot even learn that a ticket exists.
 */
@Injectable()
export class UnitTicketsService {
  constructor(
    private readonly assignments: AssignmentRepository,
    private readonly catalog: CatalogRepository,
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
    const cmd: SignCommand = { unitId, actor: this.actor(who, unitId) };
    return executeTicketUpdate(this.temporal, ticketNo, 'sign', cmd, idempotencyKey);
  }

  async reply(who: Principal, ticketNo: string, reply: ReplyInput, idempotencyKey: string | null) {
    const unitId = this.unitOf(who);
    if ((await this.own(who, ticketNo)).assignmentStatus === 'closed') return this.closed(ticketNo);
    const cmd: ReplyCommand = {
      unitId,
      content: reply.content,
      responsibleDepartment: reply.responsibleDepartment ?? null,
      plannedCompletionDate: reply.plannedCompletionDate ?? null,
      isPlan: reply.isPlan ?? false,
      actor: this.actor(who, unitId),
    };
    return executeTicketUpdate(this.temporal, ticketNo, 'reply', cmd, idempotencyKey);
  }

  async returnTicket(
    who: Principal,
    ticketNo: string,
    body: { reason: string; suggestedUnitId?: string },
    idempotencyKey: string | null,
  ) {
    const unitId = this.unitOf(who);
    await this.own(who, ticketNo);
    let suggestedUnit: ReturnCommand['suggestedUnit'] = null;
    if (body.suggestedUnitId) {
      const unit = await this.catalog.unit(body.suggestedUnitId);
      if (!unit) throw new ProblemException('unknown_unit', `no unit "${body.suggestedUnitId}"`);
      suggestedUnit = { unitId: unit.id, unitName: unit.name };
    }
    const cmd: ReturnCommand = { unitId, reason: body.reason, suggestedUnit, actor: this.actor(who, unitId) };
    return executeTicketUpdate(this.temporal, ticketNo, 'return', cmd, idempotencyKey);
  }

  async requestExtension(
    who: Principal,
    ticketNo: string,
    body: { requested: Duration; reason: string },
    idempotencyKey: string | null,
  ) {
    const unitId = this.unitOf(who);
    await this.own(who, ticketNo);
    const cmd: RequestExtensionCommand = {
      unitId,
      requested: body.requested,
      reason: body.reason,
      actor: this.actor(who, unitId),
    };
    return executeTicketUpdate(this.temporal, ticketNo, 'requestExtension', cmd, idempotencyKey);
  }

  private actor(who: Principal, unitId: string) {
    return { ...actorOf(who), unitId };
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

  private view(who: Principal, r: UnitTicketRow) {
    const { complainantName, complainantPhone, ...rest } = r;
    return {
      ...rest,
      statusLabel: TICKET_STATUS_LABELS[r.status],
      ...complainantViewFor(who, { complainantName, complainantPhone, confidential: r.confidential }),
    };
  }
}
