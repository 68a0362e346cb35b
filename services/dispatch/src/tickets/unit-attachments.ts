import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Injectable,
  Param,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  addedAttachment,
  ApiAttachmentDownload,
  ApiAttachmentUpload,
  ApiAttachmentWithdrawal,
  AssignmentRepository,
  AttachmentListDto,
  attachmentName,
  AttachmentRepository,
  AttachmentUploadQuery,
  CatalogRepository,
  clerkUnitOf,
  CurrentPrincipal,
  fileBody,
  PersonalDataAccessRepository,
  ProblemException,
  RequestOrigin,
  Roles,
  sendAttachment,
  WithdrawAttachmentDto,
  withdrawAttachment,
  PageQuery,
  pageOfAll,
} from '@hotline/platform';
import type { AttachmentRow, AccessOrigin, UnitTicketRow } from '@hotline/platform';
import { citationProblem, mayActOnTicket, maySeeAttachment, ticketAccessFor } from '@hotline/shared';
import type { AssignmentStatus, AttachmentViewer, CitedAttachment, Principal } from '@hotline/shared';
import type { FastifyReply } from 'fastify';

/**
 * A unit's files on a ticket's record (RULES §8): its evidence, its leader's approval slip, its
 * documents. A unit adds files while the ticket is its own and open, and withdraws a wrong upload of
 * its own; it sees its own, the centre's shared ones, and (the lead) every unit's or (a sub-unit) its
 * hub's and its own sub-units', none withdrawn (maySeeAttachment). Anything it may not see is a 404,
 * as a ticket that is not its own is.
 */
@Injectable()
export class UnitAttachmentsService {
  constructor(
    private readonly attachments: AttachmentRepository,
    private readonly assignments: AssignmentRepository,
    private readonly catalog: CatalogRepository,
    private readonly access: PersonalDataAccessRepository,
  ) {}

  async add(who: Principal, ticketNo: string, q: AttachmentUploadQuery, declaredType: string, body: unknown) {
    const row = await this.handled(who, ticketNo);
    if (row.assignmentStatus === 'closed')
      throw new ProblemException(
        'ticket_closed',
        `ticket ${ticketNo} is closed: its record takes no more files`,
      );
    const result = await this.attachments.add({
      ticketNo,
      name: attachmentName(q.name),
      kind: q.kind ?? 'evidence',
      declaredType,
      bytes: fileBody(body),
      unitId: row.unitId,
      sharedWithUnits: null,
      note: q.note?.trim() ?? '',
      addedBy: who.userId,
      addedByRole: who.role,
    });
    return addedAttachment(result, ticketNo);
  }

  async list(who: Principal, ticketNo: string) {
    return { items: await this.visible(await this.handled(who, ticketNo)) };
  }

  /** A file's bytes, written first to the personal-data access log (it may carry the complainant's data). */
  async download(who: Principal, ticketNo: string, attachmentId: string, request: AccessOrigin) {
    const row = await this.handled(who, ticketNo);
    const found = await this.attachments.withContent(ticketNo, attachmentId);
    if (!found || !maySeeAttachment(await this.viewer(row), found.row))
      throw new ProblemException(
        'not_found',
        `no attachment ${attachmentId} on ticket ${ticketNo} for your unit`,
      );
    await this.access.recordDownload(ticketNo, found.row, who, request);
    return found;
  }

  /**
   * A wrong upload of the unit's taken back while the ticket is its own and open: the file stays on
   * the record, marked, and only the centre sees it from now on. Only its own files.
   */
  async withdraw(who: Principal, ticketNo: string, attachmentId: string, reason: string) {
    const row = await this.handled(who, ticketNo);
    if (row.assignmentStatus === 'closed')
      throw new ProblemException(
        'ticket_closed',
        `ticket ${ticketNo} is closed: ask the centre to withdraw the file`,
      );
    const viewer = await this.viewer(row);
    return withdrawAttachment(
      this.attachments,
      { ticketNo, attachmentId, reason },
      { kind: 'unit', unitId: row.unitId },
      who,
      (a) => maySeeAttachment(viewer, a),
    );
  }

  /** The files of the ticket the unit may see (its desk row says how it stands on the ticket). */
  async visible(row: UnitTicketRow): Promise<AttachmentRow[]> {
    const viewer = await this.viewer(row);
    return (await this.attachments.list(row.ticketNo)).filter((a) => maySeeAttachment(viewer, a));
  }

  /**
   * The files an action of the unit cites (a reply's documents, a pass's approval slip, a return's
   * evidence): the unit's own on this ticket, or a 400 naming the one that is not.
   */
  async cited(
    ticketNo: string,
    unitId: string,
    ids: readonly string[] | undefined,
  ): Promise<CitedAttachment[]> {
    if (!ids || ids.length === 0) return [];
    const found = await this.attachments.byIds(ids);
    const problem = citationProblem(ids, found, ticketNo, unitId);
    if (problem) throw new ProblemException('validation_failed', problem, { field: 'attachmentIds' });
    return ids.map((id) => {
      const a = found.find((f) => f.attachmentId === id)!;
      return { attachmentId: a.attachmentId, name: a.name, kind: a.kind };
    });
  }

  /**
   * A hub approving its sub-unit's result makes it its own reply: a file the result cites that was
   * withdrawn since (a wrong upload) would be cited by it. Refused; the hub sends the result back.
   */
  async refuseWithdrawnInSubResult(ticketNo: string, hubUnitId: string): Promise<void> {
    const withdrawn = await this.attachments.withdrawnInPendingSubResult(ticketNo, hubUnitId);
    if (withdrawn.length > 0)
      throw new ProblemException(
        'action_rejected',
        `the sub-unit's result cites files withdrawn since (${withdrawn.join(', ')}): send it back for a result without them`,
        { field: 'approve' },
      );
  }

  /** How the unit stands on the ticket, for what of it the unit may see (files, progress notes). */
  async viewer(row: UnitTicketRow): Promise<AttachmentViewer> {
    const unit = await this.catalog.unit(row.unitId);
    // A sub-unit that is a hub in turn sees its own sub-units' files (the lead sees every unit's).
    const subUnitIds = row.role === 'sub' ? (await this.catalog.subUnits(row.unitId)).map((u) => u.id) : [];
    return {
      kind: 'unit',
      unitId: row.unitId,
      role: row.role,
      parentUnitId: unit?.parentUnitId ?? null,
      subUnitIds,
    };
  }

  /** The unit's ticket, which it sees in full now: otherwise (another's, one withdrawn from it) 404. */
  private async handled(who: Principal, ticketNo: string): Promise<UnitTicketRow> {
    const unitId = clerkUnitOf(who);
    const row = await this.assignments.findForUnit(ticketNo, unitId);
    const access = row
      ? ticketAccessFor(who, [{ unitId, role: row.role, status: row.assignmentStatus as AssignmentStatus }])
      : 'none';
    if (!row || !mayActOnTicket(access))
      throw new ProblemException('ticket_not_found', `no ticket ${ticketNo} for your unit`);
    return row;
  }
}

@ApiTags('unit tickets')
@ApiBearerAuth()
@Roles('unit_clerk')
@Controller('api/v1/tickets/:ticketNo/attachments')
export class UnitAttachmentsController {
  constructor(private readonly attachments: UnitAttachmentsService) {}

  @Post()
  @HttpCode(201)
  @ApiAttachmentUpload(
    "The file is on the ticket's record, for good (never changed or removed); the same file again is the same record.",
  )
  add(
    @CurrentPrincipal() who: Principal,
    @Param('ticketNo') ticketNo: string,
    @Query() q: AttachmentUploadQuery,
    @Body() body: Buffer,
    @Headers('content-type') contentType?: string,
  ) {
    return this.attachments.add(who, ticketNo, q, contentType ?? '', body);
  }

  @Get()
  @ApiOkResponse({
    type: AttachmentListDto,
    description: "The ticket's files the unit may see, oldest first.",
  })
  async list(
    @CurrentPrincipal() who: Principal,
    @Param('ticketNo') ticketNo: string,
    @Query() page: PageQuery,
  ) {
    return pageOfAll((await this.attachments.list(who, ticketNo)).items, page);
  }

  @Get(':attachmentId')
  @ApiAttachmentDownload()
  async download(
    @CurrentPrincipal() who: Principal,
    @Param('ticketNo') ticketNo: string,
    @Param('attachmentId') attachmentId: string,
    @RequestOrigin() origin: AccessOrigin,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { row, content } = await this.attachments.download(who, ticketNo, attachmentId, origin);
    return sendAttachment(reply, row, content);
  }

  @Post(':attachmentId/withdrawal')
  @HttpCode(200)
  @ApiAttachmentWithdrawal(
    "A wrong upload of the unit's own taken back, with the reason, while the ticket is its own and open: the file " +
      "stays on the record, marked, and only the centre sees it from now on (another's file: 409 action_rejected). " +
      'Again: the same withdrawal.',
  )
  withdraw(
    @CurrentPrincipal() who: Principal,
    @Param('ticketNo') ticketNo: string,
    @Param('attachmentId') attachmentId: string,
    @Body() body: WithdrawAttachmentDto,
  ) {
    return this.attachments.withdraw(who, ticketNo, attachmentId, body.reason);
  }
}
