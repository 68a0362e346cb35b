import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsObject, IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import {
  ApiIdempotencyKey,
  CitesAttachments,
  CurrentPrincipal,
  decodeDeskCursor,
  DeskPageDto,
  DeskSummaryDto,
  DeskTicketDto,
  DurationDto,
  idempotencyKey,
  IsDay,
  IsInstant,
  NotBlank,
  PageQuery,
  ProblemException,
  Roles,
  TicketActionResultDto,
  wordsOf,
  PageDto,
  pageOfAll,
} from '@hotline/platform';
import { ASSIGNMENT_STATUSES, DESK_SORTS } from '@hotline/shared';
import type { DeskSort, Principal } from '@hotline/shared';
import { UnitTicketsService } from './unit-tickets.service';

export class UnitTicketsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ASSIGNMENT_STATUSES })
  @IsOptional()
  @IsIn(ASSIGNMENT_STATUSES)
  status?: string;

  @ApiPropertyOptional({
    enum: DESK_SORTS,
    default: 'dispatched',
    description:
      '`dispatched`: the newest first. `deadline`: what the unit must do soonest first (the sign ' +
      'deadline of a ticket not yet signed, the reply deadline of one signed or in rectification); ' +
      'tickets with nothing due from the unit last. `priority`: real-name appeals first (RULES §1, GS: ' +
      'real-name ones are prioritised), each group in the `deadline` order.',
  })
  @IsOptional()
  @IsIn(DESK_SORTS)
  sort?: DeskSort;

  @ApiPropertyOptional({
    description:
      'Only real-name appeals (true: the complainant gave their name) or only anonymous ones (false).',
  })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  realName?: boolean;
  @ApiPropertyOptional({
    example: '井盖',
    description:
      "Words each found, any case, in the ticket's title, content, demand, address or respondent (up to 5, split on spaces and punctuation). Only among the tickets the unit handles: not with status=withdrawn.",
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  q?: string;

  @ApiPropertyOptional({
    description:
      'Read on after the page that gave this `nextCursor`, in the same order and with the same filters (offset unused). No ticket is skipped when tickets change between pages, as one can be with an offset.',
  })
  @IsOptional()
  @IsString()
  @Length(1, 300)
  after?: string;
}

export class ReplyDto {
  @ApiProperty({
    example: '经核实，已于11月23日安排施工队更换破损地砖12块，现已修复完毕。联系人：市交通运输局养护科。',
  })
  @IsString()
  @Length(1, 10000)
  @NotBlank()
  content!: string;

  @ApiPropertyOptional({
    example: '市交通运输局养护科',
    description: 'The department responsible (办结标准).',
  })
  @IsOptional()
  @IsString()
  @Length(0, 200)
  responsibleDepartment?: string;

  @ApiPropertyOptional({ example: '2026-12-15', description: 'For a plan: the promised completion date.' })
  @IsOptional()
  @IsDay()
  plannedCompletionDate?: string;

  @ApiPropertyOptional({
    description: 'The reply is a plan (work to be done by a date), not a finished result.',
  })
  @IsOptional()
  @IsBoolean()
  isPlan?: boolean;

  @CitesAttachments('The documents the reply rests on (photos of the work done, a written answer)')
  attachmentIds?: string[];
}

export class ProgressNoteDto {
  @ApiProperty({
    example: '已联系管线单位现场勘查，定于12月8日施工更换破损地砖。',
    description: 'How the handling is going (办理进度), in the words the centre and the citizen read.',
  })
  @IsString()
  @Length(1, 2000)
  @NotBlank()
  content!: string;
}

export class ReturnDto {
  @ApiProperty({
    example: '该路段属高新区管委会养护范围，依据《示范市城市道路管理办法》第八条，不属于本单位职责。',
  })
  @IsString()
  @Length(1, 2000)
  @NotBlank()
  reason!: string;

  @ApiProperty({
    example: 'gaoxin-cmte',
    description:
      'The unit responsible for the ticket, as the return suggests it (SQ art. 10.4: required): another ' +
      'unit. The centre may dispatch to another when it approves the return.',
  })
  @IsString()
  @Length(1, 64)
  suggestedUnitId!: string;

  @CitesAttachments('The evidence the return rests on')
  attachmentIds?: string[];
}

export class ExtensionDto {
  @ApiProperty({ type: DurationDto })
  // A nested DTO is validated only when it is an object: missing or [] passed (the workflow got them).
  @IsObject()
  @ValidateNested()
  @Type(() => DurationDto)
  requested!: DurationDto;

  @ApiProperty({ example: '需协调燃气、电力管线迁改，施工周期较长。' })
  @IsString()
  @Length(1, 2000)
  @NotBlank()
  reason!: string;

  @CitesAttachments('The papers the request rests on')
  attachmentIds?: string[];
}

export class SubDispatchDto {
  @ApiProperty({
    example: 'gulou-hunan',
    description: "One of the caller's unit's sub-units (GET /api/v1/sub-units).",
  })
  @IsString()
  @Length(1, 64)
  subUnitId!: string;

  @ApiPropertyOptional({
    example: '鼓楼二级-2026-0173',
    description: "The sub-unit's own number for it on the hub's second-level desk.",
  })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  subTicketNo?: string;

  @ApiProperty({
    example:
      '请于今日内现场核实并提出处理意见，处理结果经本单位领导审核后答复。（审批单：鼓楼区政府办 2026-173）',
    description: "The hub's instructions and approval slip (审批单), as the sub-unit reads them.",
  })
  @IsString()
  @Length(1, 2000)
  @NotBlank()
  note!: string;

  @CitesAttachments("The scanned approval slip (审批单) and the hub's materials, which the sub-unit sees")
  attachmentIds?: string[];

  @ApiPropertyOptional({
    format: 'date-time',
    example: '2026-11-23T09:00:00.000Z',
    description:
      "When the hub wants the sub-unit's result by: after now and within the hub's own time (the lead's reply " +
      'deadline, or the time its own hub gave it). Passed without a result: ticket.sub_overdue, for the hub.',
  })
  @IsOptional()
  @IsInstant()
  dueAt?: string;
}

export class SubDeclineDto {
  @ApiProperty({ example: '该地址属宁海路街道辖区，不属本街道。' })
  @IsString()
  @Length(1, 2000)
  @NotBlank()
  reason!: string;
}

export class SubRecallDto {
  @ApiProperty({ example: '湖南路街道逾时未接单，改由本单位直接办理。' })
  @IsString()
  @Length(1, 2000)
  @NotBlank()
  reason!: string;
}

export class SubReviewDto {
  @ApiProperty({
    description: "Approved: the result goes to the centre as the hub's reply. Not: back to the sub-unit.",
  })
  @IsBoolean()
  approve!: boolean;

  @ApiPropertyOptional({
    example: '李副区长',
    description:
      "The leader who reviewed it (经领导审核), as a clerk records it. A leader's own account (单位领导) " +
      'reviews in person and may leave it out (its own name). A unit that wants its leader in person ' +
      "refuses a clerk's review: 403 leader_review_required.",
  })
  @IsOptional()
  @IsString()
  @Length(0, 100)
  leaderName?: string;

  @ApiPropertyOptional({ example: '请补充整改前后照片。' })
  @IsOptional()
  @IsString()
  @Length(0, 2000)
  note?: string;
}

/** The unit's desk: its tickets, and sign / reply. Every action is idempotent. */
@ApiTags('unit tickets')
@ApiBearerAuth()
@Roles('unit_clerk')
@Controller('api/v1/tickets')
export class UnitTicketsController {
  constructor(private readonly tickets: UnitTicketsService) {}

  @Get()
  @ApiOkResponse({
    type: DeskPageDto,
    description: "The tickets dispatched to the caller's unit, newest first.",
  })
  list(@CurrentPrincipal() who: Principal, @Query() q: UnitTicketsQuery) {
    if (q.q !== undefined && q.status === 'withdrawn')
      throw new ProblemException(
        'validation_failed',
        'q looks in the tickets the unit handles; a withdrawn ticket is no longer the unit’s to search',
        { field: 'q' },
      );
    // Nor whether its complainant gave a name: the unit keeps only its own record of it.
    if (q.status === 'withdrawn' && (q.realName !== undefined || q.sort === 'priority'))
      throw new ProblemException(
        'validation_failed',
        'a withdrawn ticket is no longer the unit’s: it is not sorted or filtered by its complainant',
        { field: q.realName !== undefined ? 'realName' : 'sort' },
      );
    const sort = q.sort ?? 'dispatched';
    const after = q.after === undefined ? undefined : decodeDeskCursor(q.after, sort);
    if (after === null)
      throw new ProblemException('validation_failed', 'after is not a cursor this desk gave for this order', {
        field: 'after',
      });
    if (after && q.offset !== undefined && q.offset !== 0)
      throw new ProblemException('validation_failed', 'give either after or offset, not both', {
        field: 'offset',
      });
    return this.tickets.list(who, {
      status: q.status,
      sort,
      realName: q.realName,
      words: wordsOf(q.q),
      limit: q.limit ?? 20,
      offset: q.offset ?? 0,
      after,
    });
  }

  @Get('summary')
  @ApiOkResponse({
    type: DeskSummaryDto,
    description:
      "The caller's unit's desk at a glance: its tickets by status, past due and due within the hour.",
  })
  summary(@CurrentPrincipal() who: Principal) {
    return this.tickets.summary(who);
  }

  @Get(':ticketNo')
  @ApiOkResponse({ type: DeskTicketDto, description: "One of the unit's tickets, with the orders on it." })
  get(@CurrentPrincipal() who: Principal, @Param('ticketNo') ticketNo: string) {
    return this.tickets.get(who, ticketNo);
  }

  @Post(':ticketNo/sign')
  @ApiIdempotencyKey()
  @HttpCode(200)
  @ApiOkResponse({
    type: TicketActionResultDto,
    description:
      'Signed (签收), or already signed: the lead or an assisting unit; a sub-unit signs for the pass on its desk ' +
      '(接单) before it sends its result or passes the ticket on (409 ticket_not_signed before).',
  })
  sign(
    @CurrentPrincipal() who: Principal,
    @Param('ticketNo') ticketNo: string,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.tickets.sign(who, ticketNo, idempotencyKey(key));
  }

  @Post(':ticketNo/reply')
  @ApiIdempotencyKey()
  @HttpCode(200)
  @ApiOkResponse({ type: TicketActionResultDto, description: 'Replied (答复), or already replied.' })
  reply(
    @CurrentPrincipal() who: Principal,
    @Param('ticketNo') ticketNo: string,
    @Body() body: ReplyDto,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.tickets.reply(who, ticketNo, body, idempotencyKey(key));
  }

  @Post(':ticketNo/progress-notes')
  @ApiIdempotencyKey()
  @HttpCode(200)
  @ApiOkResponse({
    type: TicketActionResultDto,
    description:
      'A progress note (办理进度) recorded on the ticket by a unit that has signed it (the lead or an ' +
      'assisting unit) while it is being handled; the same note again is already applied. No deadline ' +
      'or status changes: the reply answers the ticket.',
  })
  addProgressNote(
    @CurrentPrincipal() who: Principal,
    @Param('ticketNo') ticketNo: string,
    @Body() body: ProgressNoteDto,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.tickets.addProgressNote(who, ticketNo, body.content, idempotencyKey(key));
  }

  @Post(':ticketNo/return')
  @ApiIdempotencyKey()
  @HttpCode(200)
  @ApiOkResponse({
    type: TicketActionResultDto,
    description: 'Returned (退回) within the return window; the centre reviews it.',
  })
  returnTicket(
    @CurrentPrincipal() who: Principal,
    @Param('ticketNo') ticketNo: string,
    @Body() body: ReturnDto,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.tickets.returnTicket(who, ticketNo, body, idempotencyKey(key));
  }

  @Post(':ticketNo/extension')
  @ApiIdempotencyKey()
  @HttpCode(200)
  @ApiOkResponse({
    type: TicketActionResultDto,
    description:
      'Extension (延期): asked by the lead unit once it has signed (409 ticket_not_signed before), before the completion deadline (extension_too_late) and within the cap (extension_over_cap); one request at a time (extension_pending); the centre decides.',
  })
  requestExtension(
    @CurrentPrincipal() who: Principal,
    @Param('ticketNo') ticketNo: string,
    @Body() body: ExtensionDto,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.tickets.requestExtension(who, ticketNo, body, idempotencyKey(key));
  }

  @Post(':ticketNo/sub-dispatch')
  @ApiIdempotencyKey()
  @HttpCode(200)
  @ApiOkResponse({
    type: TicketActionResultDto,
    description:
      'A hub (the lead unit, signed; or a sub-unit the ticket is with, a hub in turn, down to the ' +
      'fourth level) passes the ticket to one of its sub-units (RULES §2 multi-level handling); the ' +
      "lead's deadlines keep running from the original dispatch. A pass the sub-unit has not answered " +
      'is recalled, with every pass below it; a result awaiting review must be reviewed first (409 ' +
      'sub_dispatch_open). ' +
      'While a sub-unit has it, the hub neither replies itself nor returns it (sub_dispatch_open).',
  })
  subDispatch(
    @CurrentPrincipal() who: Principal,
    @Param('ticketNo') ticketNo: string,
    @Body() body: SubDispatchDto,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.tickets.subDispatch(who, ticketNo, body, idempotencyKey(key));
  }

  @Post(':ticketNo/sub-recall')
  @ApiIdempotencyKey()
  @HttpCode(200)
  @ApiOkResponse({
    type: TicketActionResultDto,
    description:
      'The hub takes back a pass its sub-unit has not answered (and every pass below it), to handle the ticket itself (a result ' +
      'already sent is reviewed instead: 409 sub_dispatch_open).',
  })
  subRecall(
    @CurrentPrincipal() who: Principal,
    @Param('ticketNo') ticketNo: string,
    @Body() body: SubRecallDto,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.tickets.subRecall(who, ticketNo, body.reason, idempotencyKey(key));
  }

  @Post(':ticketNo/sub-decline')
  @ApiIdempotencyKey()
  @HttpCode(200)
  @ApiOkResponse({
    type: TicketActionResultDto,
    description:
      'The sub-unit refuses the ticket as not its own: back to its hub (any pass it made is recalled). Sub-units passing it around ' +
      '(a second decline on the ticket) raise a supervision order on the hub (buck_passing).',
  })
  subDecline(
    @CurrentPrincipal() who: Principal,
    @Param('ticketNo') ticketNo: string,
    @Body() body: SubDeclineDto,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.tickets.subDecline(who, ticketNo, body.reason, idempotencyKey(key));
  }

  @Post(':ticketNo/sub-reply')
  @ApiIdempotencyKey()
  @HttpCode(200)
  @ApiOkResponse({
    type: TicketActionResultDto,
    description:
      "The sub-unit's result, to its hub: its leader reviews it before it goes further up. A sub-unit that " +
      'passed the ticket on answers through its own review of that result (409 sub_dispatch_open).',
  })
  subReply(
    @CurrentPrincipal() who: Principal,
    @Param('ticketNo') ticketNo: string,
    @Body() body: ReplyDto,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.tickets.subReply(who, ticketNo, body, idempotencyKey(key));
  }

  @Post(':ticketNo/sub-review')
  @ApiIdempotencyKey()
  @HttpCode(200)
  @ApiOkResponse({
    type: TicketActionResultDto,
    description:
      "The hub leader's review (经领导审核) of the sub-unit's result: approved, it is the lead's reply to " +
      'the centre, under the closure standard (422 reply_not_closable with its findings), or a middle ' +
      "hub's own result to its hub; not, it goes back to the sub-unit.",
  })
  subReview(
    @CurrentPrincipal() who: Principal,
    @Param('ticketNo') ticketNo: string,
    @Body() body: SubReviewDto,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.tickets.subReview(who, ticketNo, body, idempotencyKey(key));
  }
}

export class SubUnitDto {
  @ApiProperty({ example: 'gulou-hunan' })
  unitId!: string;

  @ApiProperty({ example: '鼓楼区湖南路街道' })
  unitName!: string;

  @ApiProperty({ example: 'street' })
  kind!: string;
}

export class SubUnitListDto extends PageDto {
  @ApiProperty({ type: [SubUnitDto] })
  items!: SubUnitDto[];
}

/** A hub's sub-units (RULES §2 multi-level handling): where its clerk may pass a ticket. */
@ApiTags('unit tickets')
@ApiBearerAuth()
@Roles('unit_clerk')
@Controller('api/v1/sub-units')
export class SubUnitsController {
  constructor(private readonly tickets: UnitTicketsService) {}

  @Get()
  @ApiOkResponse({ type: SubUnitListDto, description: "The caller's unit's sub-units (none: not a hub)." })
  async list(@CurrentPrincipal() who: Principal, @Query() page: PageQuery) {
    return pageOfAll((await this.tickets.subUnits(who)).items, page);
  }
}
