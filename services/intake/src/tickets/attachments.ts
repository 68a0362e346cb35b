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
  AttachmentListDto,
  attachmentName,
  AttachmentRepository,
  CentreAttachmentUploadQuery,
  CurrentPrincipal,
  fileBody,
  PersonalDataAccessRepository,
  ProblemException,
  RequestOrigin,
  Roles,
  sendAttachment,
  TicketLedgerRepository,
  WithdrawAttachmentDto,
  withdrawAttachment,
  PageQuery,
  pageOfAll,
} from '@hotline/platform';
import { CENTRE_ROLES, isTicketNo } from '@hotline/shared';
import type { Principal } from '@hotline/shared';
import type { AccessOrigin } from '@hotline/platform';
import type { FastifyReply } from 'fastify';

/**
 * The centre's files on a ticket's record (RULES §8): the evidence a citizen brought, a scanned
 * letter, the centre's own papers. The centre sees every file on the record, the units' too.
 */
@Injectable()
export class CentreAttachmentsService {
  constructor(
    private readonly attachments: AttachmentRepository,
    private readonly access: PersonalDataAccessRepository,
    private readonly ledger: TicketLedgerRepository,
  ) {}

  async add(
    who: Principal,
    ticketNo: string,
    q: CentreAttachmentUploadQuery,
    declaredType: string,
    body: unknown,
  ) {
    const result = await this.attachments.add({
      ticketNo: this.ticketNo(ticketNo),
      name: attachmentName(q.name),
      kind: q.kind ?? 'evidence',
      declaredType,
      bytes: fileBody(body),
      unitId: null,
      sharedWithUnits: q.sharedWithUnits ?? null,
      note: q.note?.trim() ?? '',
      addedBy: who.userId,
      addedByRole: who.role,
    });
    return addedAttachment(result, ticketNo);
  }

  /** The record's files; a ticket that does not exist is 404, not an empty record. */
  async list(ticketNo: string) {
    const no = this.ticketNo(ticketNo);
    if (!(await this.ledger.exists(no)))
      throw new ProblemException('ticket_not_found', `no ticket ${ticketNo}`);
    return { items: await this.attachments.list(no) };
  }

  /** A file's bytes, written first to the personal-data access log (it may carry the complainant's data). */
  async download(who: Principal, ticketNo: string, attachmentId: string, request: AccessOrigin) {
    const found = await this.attachments.withContent(this.ticketNo(ticketNo), attachmentId);
    if (!found)
      throw new ProblemException('not_found', `no attachment ${attachmentId} on ticket ${ticketNo}`);
    await this.access.recordDownload(ticketNo, found.row, who, request);
    return found;
  }

  /** A wrong upload taken back (any file of the record): it stays, marked, and the units no longer see it. */
  async withdraw(who: Principal, ticketNo: string, attachmentId: string, reason: string) {
    const req = { ticketNo: this.ticketNo(ticketNo), attachmentId, reason };
    return withdrawAttachment(this.attachments, req, { kind: 'centre' }, who, () => true);
  }

  private ticketNo(ticketNo: string): string {
    if (!isTicketNo(ticketNo)) throw new ProblemException('ticket_not_found', `no ticket ${ticketNo}`);
    return ticketNo;
  }
}

@ApiTags('tickets')
@ApiBearerAuth()
@Controller('api/v1/tickets/:ticketNo/attachments')
export class CentreAttachmentsController {
  constructor(private readonly attachments: CentreAttachmentsService) {}

  @Post()
  @HttpCode(201)
  @Roles(...CENTRE_ROLES)
  @ApiAttachmentUpload(
    "The file is on the ticket's record, for good (never changed or removed); the same file again is the same record.",
  )
  async add(
    @Param('ticketNo') ticketNo: string,
    @Query() q: CentreAttachmentUploadQuery,
    @Body() body: Buffer,
    @CurrentPrincipal() who: Principal,
    @Headers('content-type') contentType?: string,
  ) {
    return this.attachments.add(who, ticketNo, q, contentType ?? '', body);
  }

  @Get()
  @Roles(...CENTRE_ROLES)
  @ApiOkResponse({ type: AttachmentListDto, description: "The files on the ticket's record, oldest first." })
  async list(@Param('ticketNo') ticketNo: string, @Query() page: PageQuery) {
    return pageOfAll((await this.attachments.list(ticketNo)).items, page);
  }

  @Get(':attachmentId')
  @Roles(...CENTRE_ROLES)
  @ApiAttachmentDownload()
  async download(
    @Param('ticketNo') ticketNo: string,
    @Param('attachmentId') attachmentId: string,
    @CurrentPrincipal() who: Principal,
    @RequestOrigin() origin: AccessOrigin,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { row, content } = await this.attachments.download(who, ticketNo, attachmentId, origin);
    return sendAttachment(reply, row, content);
  }

  @Post(':attachmentId/withdrawal')
  @HttpCode(200)
  @Roles(...CENTRE_ROLES)
  @ApiAttachmentWithdrawal(
    "A wrong upload (the wrong file, another person's papers) taken back, with the reason: the file stays on " +
      'the record, marked, and only the centre sees it from now on. Again: the same withdrawal.',
  )
  async withdraw(
    @Param('ticketNo') ticketNo: string,
    @Param('attachmentId') attachmentId: string,
    @Body() body: WithdrawAttachmentDto,
    @CurrentPrincipal() who: Principal,
  ) {
    return this.attachments.withdraw(who, ticketNo, attachmentId, body.reason);
  }
}
