import { DataSource } from 'typeorm';
import { Inject, Injectable } from '@nestjs/common';
import { Client } from '@temporalio/client';
import {
  actorOf,
  AssignmentRepository,
  CatalogRepository,
  clerkUnitOf,
  executeTicketUpdate,
  leaderReview,
  evaluationOnTicket,
  ordersOnTicket,
  pageOf,
  ProblemException,
  TEMPORAL_CLIENT,
} from '@hotline/platform';
import type { DeskCursor, UnitTicketRow } from '@hotline/platform';
import { UnitAttachmentsService } from './unit-attachments';
import {
  ASSIGNMENT_STATUSES,
  chinaDay,
  maskedComplainantView,
  mayActOnTicket,
  maySeeProgressNote,
  ownRecordOf,
  ASSIGNMENT_STATUS_LABELS,
  replySignature,
  MAX_HANDLING_LEVELS,
  natureCoordinationProblem,
  returnSuggestionProblem,
  ticketAccessFor,
  TICKET_STATUS_LABELS,
} from '@hotline/shared';
import type {
  AddProgressNoteCommand,
  DeskSort,
  Duration,
  AssignmentStatus,
  Principal,
  ReplyCommand,
  RequestExtensionCommand,
  ReturnCommand,
  SignCommand,
  SubDeclineCommand,
  SubDispatchCommand,
  SubRecallCommand,
  SubReviewCommand,
  UnitActionResult,
} from '@hotline/shared';

const SYSTEM_ACTOR = { kind: 'system' } as const;
/** The files a reply cites, by id (what its signature compares). */
const cited = (reply: ReplyInput) =>
  (reply.attachmentIds ?? []).map((attachmentId) => ({ attachmentId, name: '', kind: 'other' as const }));

export interface ReplyInput {
  content: string;
  responsibleDepartment?: string;
  plannedCompletionDate?: string;
  isPlan?: boolean;
  attachmentIds?: string[];
}

/**
 * A unit's view of its tickets and its actions on them. A unit sees only what was dispatched to
 * it: anything else is a 404, never a 403, so it cannot even learn that a ticket exists. Access
 * follows the assignment (ticketAccessFor): once the unit's assignment is withdrawn (a return
 * approved, the ticket re-dispatched), the unit keeps only its own record (its assignment row and
 * the events its clerks authored), never the content or the complainant, and cannot act.
 */
@Injectable()
export class UnitTicketsService {
  constructor(
    private readonly assignments: AssignmentRepository,
    private readonly catalog: CatalogRepository,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    private readonly ds: DataSource,
    private readonly attachments: UnitAttachmentsService,
  ) {}

  async list(
    who: Principal,
    filter: {
      status?: string;
      sort: DeskSort;
      realName?: boolean;
      words?: string[];
      limit: number;
      offset: number;
      after?: DeskCursor;
    },
  ) {
    const { items, total, nextCursor } = await this.assignments.listForUnit(this.unitOf(who), filter);
    return {
      ...pageOf(
        {
          items: items.map((r) => (this.accessTo(who, r) === 'full' ? this.view(who, r) : this.ownRecord(r))),
          total,
        },
        { limit: filter.limit, offset: filter.after ? 0 : filter.offset },
      ),
      nextCursor,
    };
  }

  async get(who: Principal, ticketNo: string) {
    const row = await this.own(who, ticketNo);
    if (this.accessTo(who, row) === 'full')
      return {
        ...this.view(who, row),
        // Reminders and orders on this ticket addressed to the unit (answered on the supervision API).
        supervisionOrders: await ordersOnTicket(this.ds, 'dispatch.unit_orders', ticketNo, this.unitOf(who)),
        // What the evaluation decided about the unit on it: the expert's verdict (to object to
        // through the centre), the vote's result, a reconsideration.
        evaluation: await evaluationOnTicket(this.ds, 'dispatch.unit_evaluation', ticketNo, this.unitOf(who)),
        // How the handling is going, as the units on it noted it: the lead reads every unit's, a
        // sub-unit its hub's and its own sub-units', any unit its own (maySeeProgressNote).
        progressNotes: await this.visibleNotes(row),
        // The hub's passes to its sub-units: the hub sees them all, a sub-unit its own, an assistant none.
        subDispatches:
          row.role === 'assisting'
            ? []
            : await this.assignments.subDispatchRecord(ticketNo, row.role === 'sub' ? row.unitId : null),
        // The centre's latest coordination (协调) of the ticket: who designated the lead and why.
        coordination: await this.assignments.lastCoordination(ticketNo),
        // What the centre decided on the unit's handling (a reply sent back says what to complete),
        // and for the lead the citizen's callback answers a rectification answers to.
        centreDecisions: await this.assignments.centreDecisions(ticketNo, row.unitId, row.role === 'lead'),
        // The files on the record the unit may see (RULES §8).
        attachments: await this.attachments.visible(row),
      };
    return {
      ...this.ownRecord(row),
      actions: await this.assignments.eventsByUnit(ticketNo, this.unitOf(who)),
    };
  }

  private async visibleNotes(row: UnitTicketRow) {
    const viewer = await this.attachments.viewer(row);
    return (await this.assignments.progressNotes(row.ticketNo)).filter((n) =>
      maySeeProgressNote(viewer, n.unitId),
    );
  }

  /** The desk at a glance: the unit's tickets by status, and how many are past or near their deadline. */
  async summary(who: Principal) {
    const unitId = this.unitOf(who);
    const at = new Date();
    const row = await this.assignments.summaryForUnit(unitId, at);
    return {
      unitId,
      at: at.toISOString(),
      byStatus: Object.fromEntries(ASSIGNMENT_STATUSES.map((s) => [s, row.byStatus[s] ?? 0])),
      pastDue: row.pastDue,
      dueWithinHour: row.dueWithinHour,
    };
  }

  /** Signs (签收) as the ticket is on the desk: the lead's or an assistant's, or a sub-unit's pass. */
  async sign(who: Principal, ticketNo: string, idempotencyKey: string | null): Promise<UnitActionResult> {
    const unitId = this.unitOf(who);
    const row = await this.actionable(who, ticketNo);
    if (row.assignmentStatus === 'closed') return this.closed(row);
    const cmd: SignCommand = { unitId, actor: this.actor(who, unitId) };
    if (row.role === 'sub')
      return executeTicketUpdate(this.temporal, ticketNo, 'subSign', cmd, idempotencyKey);
    return executeTicketUpdate(this.temporal, ticketNo, 'sign', cmd, idempotencyKey);
  }

  async reply(who: Principal, ticketNo: string, reply: ReplyInput, idempotencyKey: string | null) {
    const unitId = this.unitOf(who);
    const row = await this.actionable(who, ticketNo);
    if (row.assignmentStatus === 'closed') return this.replyOnClosed(row, reply);
    // Held to the unit's service promises (closure standard art. 5.5) as the centre records them.
    const cmd = { ...(await this.replyOf(who, ticketNo, unitId, reply)), ...(await this.promisesOf(unitId)) };
    return executeTicketUpdate(this.temporal, ticketNo, 'reply', cmd, idempotencyKey);
  }

  async addProgressNote(who: Principal, ticketNo: string, content: string, idempotencyKey: string | null) {
    const unitId = this.unitOf(who);
    await this.actionable(who, ticketNo);
    const cmd: AddProgressNoteCommand = { unitId, content, actor: this.actor(who, unitId) };
    return executeTicketUpdate(this.temporal, ticketNo, 'addProgressNote', cmd, idempotencyKey);
  }

  async returnTicket(
    who: Principal,
    ticketNo: string,
    body: { reason: string; suggestedUnitId: string; attachmentIds?: string[] },
    idempotencyKey: string | null,
  ) {
    const unitId = this.unitOf(who);
    const problem = returnSuggestionProblem(unitId, body.suggestedUnitId ?? null);
    if (problem) throw new ProblemException('validation_failed', problem, { field: 'suggestedUnitId' });
    const row = await this.actionable(who, ticketNo);
    let suggestedUnit: ReturnCommand['suggestedUnit'] = null;
    if (body.suggestedUnitId) {
      const unit = await this.catalog.unit(body.suggestedUnitId);
      if (!unit) throw new ProblemException('unknown_unit', `no unit "${body.suggestedUnitId}"`);
      const own = returnSuggestionProblem(unitId, unit.id, await this.hubsAbove(unit));
      if (own) throw new ProblemException('validation_failed', own, { field: 'suggestedUnitId' });
      // A complaint about officials is the body's for its nature: no return sends it elsewhere.
      const nature = row.complaintNature;
      const natureBody = nature ? await this.catalog.natureBody(nature) : null;
      const elsewhere = natureCoordinationProblem(nature, natureBody?.id ?? null, unit.id, 0);
      if (elsewhere) throw new ProblemException('validation_failed', elsewhere, { field: 'suggestedUnitId' });
      suggestedUnit = { unitId: unit.id, unitName: unit.name };
    }
    const cmd: ReturnCommand = {
      unitId,
      reason: body.reason,
      suggestedUnit,
      attachments: await this.attachments.cited(ticketNo, unitId, body.attachmentIds),
      actor: this.actor(who, unitId),
    };
    return executeTicketUpdate(this.temporal, ticketNo, 'return', cmd, idempotencyKey);
  }

  async requestExtension(
    who: Principal,
    ticketNo: string,
    body: { requested: Duration; reason: string; attachmentIds?: string[] },
    idempotencyKey: string | null,
  ) {
    const unitId = this.unitOf(who);
    await this.actionable(who, ticketNo);
    const cmd: RequestExtensionCommand = {
      unitId,
      requested: body.requested,
      reason: body.reason,
      attachments: await this.attachments.cited(ticketNo, unitId, body.attachmentIds),
      actor: this.actor(who, unitId),
    };
    return executeTicketUpdate(this.temporal, ticketNo, 'requestExtension', cmd, idempotencyKey);
  }

  // ---- multi-level handling (RULES §2): a hub, its sub-units, the hub leader's review ----

  /** The caller's unit's sub-units: where it may pass a ticket. */
  async subUnits(who: Principal) {
    const units = await this.catalog.subUnits(this.unitOf(who));
    return { items: units.map((u) => ({ unitId: u.id, unitName: u.name, kind: u.kind })) };
  }

  async subDispatch(
    who: Principal,
    ticketNo: string,
    body: { subUnitId: string; subTicketNo?: string; note: string; attachmentIds?: string[]; dueAt?: string },
    idempotencyKey: string | null,
  ) {
    const unitId = this.unitOf(who);
    await this.actionable(who, ticketNo);
    const sub = await this.catalog.unit(body.subUnitId);
    if (!sub || sub.parentUnitId !== unitId)
      throw new ProblemException('unknown_unit', `no sub-unit "${body.subUnitId}" of your unit`, {
        field: 'subUnitId',
      });
    const cmd: SubDispatchCommand = {
      unitId,
      subUnit: { unitId: sub.id, unitName: sub.name },
      subTicketNo: body.subTicketNo ?? null,
      note: body.note,
      dueAt: body.dueAt ? new Date(body.dueAt).toISOString() : null,
      attachments: await this.attachments.cited(ticketNo, unitId, body.attachmentIds),
      actor: this.actor(who, unitId),
    };
    return executeTicketUpdate(this.temporal, ticketNo, 'subDispatch', cmd, idempotencyKey);
  }

  async subRecall(who: Principal, ticketNo: string, reason: string, idempotencyKey: string | null) {
    const unitId = this.unitOf(who);
    await this.actionable(who, ticketNo);
    const cmd: SubRecallCommand = { unitId, reason, actor: this.actor(who, unitId) };
    return executeTicketUpdate(this.temporal, ticketNo, 'subRecall', cmd, idempotencyKey);
  }

  async subDecline(who: Principal, ticketNo: string, reason: string, idempotencyKey: string | null) {
    const unitId = this.unitOf(who);
    await this.actionable(who, ticketNo);
    const cmd: SubDeclineCommand = { unitId, reason, actor: this.actor(who, unitId) };
    return executeTicketUpdate(this.temporal, ticketNo, 'subDecline', cmd, idempotencyKey);
  }

  async subReply(who: Principal, ticketNo: string, reply: ReplyInput, idempotencyKey: string | null) {
    const unitId = this.unitOf(who);
    await this.actionable(who, ticketNo);
    return executeTicketUpdate(
      this.temporal,
      ticketNo,
      'subReply',
      await this.replyOf(who, ticketNo, unitId, reply),
      idempotencyKey,
    );
  }

  async subReview(
    who: Principal,
    ticketNo: string,
    body: { approve: boolean; leaderName?: string; note?: string },
    idempotencyKey: string | null,
  ) {
    const unitId = this.unitOf(who);
    await this.actionable(who, ticketNo);
    const review = await leaderReview(this.catalog, who, unitId, body.leaderName);
    if (body.approve) await this.attachments.refuseWithdrawnInSubResult(ticketNo, unitId);
    const cmd: SubReviewCommand = {
      unitId,
      approve: body.approve,
      leaderName: review.leaderName,
      ...(review.byLeader ? { byLeader: true } : {}),
      note: body.note ?? '',
      ...(await this.promisesOf(unitId)),
      actor: this.actor(who, unitId),
    };
    return executeTicketUpdate(this.temporal, ticketNo, 'subReview', cmd, idempotencyKey);
  }

  /** A reply as the workflow takes it: the lead's to the centre, or a sub-unit's to its hub. */
  private async replyOf(
    who: Principal,
    ticketNo: string,
    unitId: string,
    reply: ReplyInput,
  ): Promise<ReplyCommand> {
    // A plan promises a day to come: one already past is no plan (the centre would track a lapse).
    const today = chinaDay(Date.now()); // YYYY-MM-DD, as the date is written
    if (reply.plannedCompletionDate && reply.plannedCompletionDate < today)
      throw new ProblemException(
        'validation_failed',
        `计划完成日期${reply.plannedCompletionDate}早于今天（${today}），请填写今后的日期`,
        { field: 'plannedCompletionDate' },
      );
    return {
      unitId,
      content: reply.content,
      responsibleDepartment: reply.responsibleDepartment ?? null,
      plannedCompletionDate: reply.plannedCompletionDate ?? null,
      isPlan: reply.isPlan ?? false,
      attachments: await this.attachments.cited(ticketNo, unitId, reply.attachmentIds),
      actor: this.actor(who, unitId),
    };
  }

  /** The hubs a unit is under, its own first, up the handling levels. */
  private async hubsAbove(unit: { parentUnitId?: string | null }): Promise<string[]> {
    const hubs: string[] = [];
    for (let id = unit.parentUnitId ?? null; id && hubs.length < MAX_HANDLING_LEVELS;) {
      hubs.push(id);
      id = (await this.catalog.unit(id))?.parentUnitId ?? null;
    }
    return hubs;
  }

  /** The unit's service promises, where it has any (a command without them checks none). */
  private async promisesOf(unitId: string): Promise<{ servicePromises?: string[] }> {
    const promises = (await this.catalog.unit(unitId))?.servicePromises ?? [];
    return promises.length > 0 ? { servicePromises: promises } : {};
  }

  private actor(who: Principal, unitId: string) {
    return { ...actorOf(who), unitId };
  }

  /** A closed ticket was signed and replied to already: repeating either changes nothing. */
  /** The unit's part is done: a repeat changes nothing; the ticket's own status is answered. */
  private closed(row: UnitTicketRow): UnitActionResult {
    return { ticketNo: row.ticketNo, status: row.status, alreadyApplied: true };
  }

  /**
   * A reply to a ticket whose part for this unit is done: the reply it gave, sent again, is already
   * applied; any other is refused (as the workflow refuses another reply once replied).
   */
  private async replyOnClosed(row: UnitTicketRow, reply: ReplyInput): Promise<UnitActionResult> {
    const given = await this.assignments.lastReplyBy(row.ticketNo, row.unitId);
    const attachmentIds = (given?.attachments as { attachmentId: string }[] | undefined) ?? [];
    const same =
      given !== null &&
      replySignature({ ...reply, unitId: row.unitId, actor: SYSTEM_ACTOR, attachments: cited(reply) }) ===
        replySignature({
          unitId: row.unitId,
          actor: SYSTEM_ACTOR,
          content: String(given.content),
          responsibleDepartment: (given.responsibleDepartment as string | null) ?? null,
          isPlan: given.isPlan === true,
          plannedCompletionDate: (given.plannedCompletionDate as string | null) ?? null,
          attachments: attachmentIds.map((a) => ({ attachmentId: a.attachmentId, name: '', kind: 'other' })),
        });
    if (same) return this.closed(row);
    throw new ProblemException(
      row.status === 'closed' ? 'ticket_closed' : 'ticket_not_repliable',
      row.status === 'closed'
        ? `ticket ${row.ticketNo} is closed: the reply it was closed on stands`
        : `unit ${row.unitId}'s part of ticket ${row.ticketNo} is done`,
    );
  }

  private unitOf(who: Principal): string {
    return clerkUnitOf(who);
  }

  private async own(who: Principal, ticketNo: string): Promise<UnitTicketRow> {
    const row = await this.assignments.findForUnit(ticketNo, this.unitOf(who));
    if (!row) throw new ProblemException('ticket_not_found', `no ticket ${ticketNo} for your unit`);
    return row;
  }

  /** The unit's own ticket that it may act on now: another unit's, or one withdrawn from it, is 404. */
  private async actionable(who: Principal, ticketNo: string): Promise<UnitTicketRow> {
    const row = await this.own(who, ticketNo);
    if (!mayActOnTicket(this.accessTo(who, row)))
      throw new ProblemException(
        'ticket_not_found',
        `no ticket ${ticketNo} for your unit to act on: its assignment was withdrawn`,
      );
    return row;
  }

  private accessTo(who: Principal, r: UnitTicketRow) {
    return ticketAccessFor(who, [
      { unitId: r.unitId, role: r.role, status: r.assignmentStatus as AssignmentStatus },
    ]);
  }

  /** What a unit keeps of a ticket withdrawn from it: its own assignment, nothing of the ticket. */
  private ownRecord(r: UnitTicketRow) {
    return {
      ...ownRecordOf(r),
      assignmentStatusLabel: ASSIGNMENT_STATUS_LABELS[r.assignmentStatus as AssignmentStatus],
      access: 'own_actions' as const,
    };
  }

  private view(who: Principal, r: UnitTicketRow) {
    const { complainantName, complainantPhone, ...rest } = r;
    return {
      ...rest,
      access: 'full' as const,
      statusLabel: TICKET_STATUS_LABELS[r.status],
      // Where it stands for this unit: an assisting or sub-unit may not have signed a signed ticket.
      assignmentStatusLabel: ASSIGNMENT_STATUS_LABELS[r.assignmentStatus as AssignmentStatus],
      ...maskedComplainantView(who, { complainantName, complainantPhone, confidential: r.confidential }),
    };
  }
}
