import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ApiIdempotencyKey,
  CurrentPrincipal,
  idempotencyKey,
  IsDay,
  LedgerPageDto,
  LedgerTicketDto,
  PageQuery,
  ProblemException,
  RequestOrigin,
  Roles,
  TicketActionResultDto,
  TicketCreatedDto,
  UnitFilter,
  wordsOf,
} from '@hotline/platform';
import type { AccessOrigin } from '@hotline/platform';
import {
  ALL_CHANNEL_DETAILS,
  APPEAL_KINDS,
  CENTRE_ROLES,
  CHANNELS,
  COMPLAINT_NATURES,
  TICKET_STATUSES,
  isTicketNo,
} from '@hotline/shared';
import type { AppealKind, Channel, ComplaintNature, Principal, TicketStatus } from '@hotline/shared';
import { AssistingUnitIds, CreateTicketDto } from './create-ticket.dto';
import { TicketsService } from './tickets.service';
import { CentreService } from './centre.service';

export class ListTicketsQuery extends PageQuery {
  @ApiPropertyOptional({
    example: '噪音 夜间施工',
    description:
      'Words each found, any case, in the title, content, demand, address or respondent (up to 5, split on spaces and punctuation; each found as written). A word of two characters or more is found through an index; a one-character word reads every ticket the other filters leave, so narrow it by day.',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  q?: string;

  @ApiPropertyOptional({
    example: '某某物业公司',
    description: 'Found, any case, in the respondent (被投诉举报人) as registered.',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  respondent?: string;

  @ApiPropertyOptional({ enum: TICKET_STATUSES })
  @IsOptional()
  @IsIn(TICKET_STATUSES)
  status?: TicketStatus;

  @ApiPropertyOptional({
    example: '13800138000',
    description:
      "A caller's earlier tickets: matched on the phone's blind index (digits only, without +86), never by decrypting. Send it in the body of `POST /api/v1/tickets/search` rather than in a URL, which request logs keep.",
  })
  @IsOptional()
  @Matches(/^\+?[0-9 ()-]{5,24}$/, { message: 'complainantPhone must be a phone number' })
  complainantPhone?: string;

  @ApiPropertyOptional({ enum: CHANNELS })
  @IsOptional()
  @IsIn(CHANNELS)
  channel?: Channel;

  @ApiPropertyOptional({ enum: APPEAL_KINDS })
  @IsOptional()
  @IsIn(APPEAL_KINDS)
  kind?: AppealKind;

  @ApiPropertyOptional({
    enum: COMPLAINT_NATURES,
    description: 'Complaints about officials of this nature (效能投诉, 纠风, 廉政举报).',
  })
  @IsOptional()
  @IsIn(COMPLAINT_NATURES)
  complaintNature?: ComplaintNature;

  @ApiPropertyOptional({ example: 'road', description: 'The matter category, as registered.' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  category?: string;

  @ApiPropertyOptional({ example: 'gulou', description: 'The region, as registered.' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  regionCode?: string;

  @UnitFilter('The lead unit the ticket is with.')
  unitId?: string;

  @ApiPropertyOptional({
    enum: ALL_CHANNEL_DETAILS,
    description: 'Which leader mailbox or upper platform the ticket came through, as registered.',
  })
  @IsOptional()
  @IsIn(ALL_CHANNEL_DETAILS)
  channelDetail?: string;

  @ApiPropertyOptional({
    description:
      'Only real-name appeals (true: the complainant gave their name, prioritised, RULES §1) or only anonymous ones (false).',
  })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  realName?: boolean;

  @ApiPropertyOptional({
    example: '2026-12-01',
    description: 'Registered on or after this day (China time, UTC+8).',
  })
  @IsOptional()
  @IsDay()
  createdFrom?: string;

  @ApiPropertyOptional({
    example: '2026-12-06',
    description: 'Registered on or before this day (China time, UTC+8), the whole day included.',
  })
  @IsOptional()
  @IsDay()
  createdTo?: string;
}

export class ManualDispatchDto {
  @ApiProperty({ example: 'housing', description: 'The unit the centre dispatches the ticket to.' })
  @IsString()
  @Length(1, 64)
  unitId!: string;

  @AssistingUnitIds(
    'Assisting units (协办单位). Omitted: those named when the ticket was registered; [] for none.',
  )
  assistingUnitIds?: string[];
}

@ApiTags('tickets')
@ApiBearerAuth()
@Controller('api/v1/tickets')
export class TicketsController {
  constructor(
    private readonly tickets: TicketsService,
    private readonly centre: CentreService,
  ) {}

  @Post()
  @ApiIdempotencyKey('Optional. A repeat with the same key from the same caller returns the first ticket.')
  @HttpCode(201)
  @Roles('operator', 'admin')
  @ApiCreatedResponse({
    type: TicketCreatedDto,
    description: 'The ticket is registered; its workflow dispatches it.',
  })
  async create(
    @Body() body: CreateTicketDto,
    @CurrentPrincipal() who: Principal,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.tickets.create(body, who, idempotencyKey(key));
  }

  @Get()
  @Roles(...CENTRE_ROLES)
  @ApiOkResponse({
    type: LedgerPageDto,
    description:
      "The ledger (台账), newest first, filtered by any of its fields; the complainant's name and phone masked.",
  })
  async list(
    @Query() q: ListTicketsQuery,
    @CurrentPrincipal() who: Principal,
    @RequestOrigin() origin: AccessOrigin,
  ) {
    return this.ledger(q, who, origin);
  }

  @Post('search')
  @HttpCode(200)
  @Roles(...CENTRE_ROLES)
  @ApiOkResponse({
    type: LedgerPageDto,
    description:
      "The ledger searched with the filter in the body, as `GET /api/v1/tickets` takes it in the query: a caller's phone (`complainantPhone`) or words naming a person (`q`) then stay out of URLs, and so out of proxies' and servers' request logs.",
  })
  async search(
    @Body() body: ListTicketsQuery,
    @CurrentPrincipal() who: Principal,
    @RequestOrigin() origin: AccessOrigin,
  ) {
    return this.ledger(body, who, origin);
  }

  private ledger(q: ListTicketsQuery, who: Principal, origin: AccessOrigin) {
    if (q.createdFrom && q.createdTo && q.createdFrom > q.createdTo)
      throw new ProblemException('validation_failed', 'createdFrom is after createdTo', {
        field: 'createdFrom',
      });
    const { limit, offset, q: text, ...filter } = q;
    return this.tickets.list(
      who,
      { ...filter, words: wordsOf(text), limit: limit ?? 20, offset: offset ?? 0 },
      origin,
    );
  }

  @Post(':ticketNo/dispatch')
  @HttpCode(200)
  @Roles('operator', 'admin')
  @ApiIdempotencyKey()
  @ApiOkResponse({
    type: TicketActionResultDto,
    description: 'The centre dispatches by hand a ticket the matter catalog has no entry for (特事特办).',
  })
  async dispatch(
    @Param('ticketNo') ticketNo: string,
    @Body() body: ManualDispatchDto,
    @CurrentPrincipal() who: Principal,
    @Headers('idempotency-key') key?: string,
  ) {
    if (!isTicketNo(ticketNo)) throw new ProblemException('ticket_not_found', `no ticket ${ticketNo}`);
    return this.centre.dispatchManually(
      ticketNo,
      body.unitId,
      body.assistingUnitIds ?? null,
      who,
      idempotencyKey(key),
    );
  }

  @Get(':ticketNo')
  @Roles(...CENTRE_ROLES)
  @ApiOkResponse({
    type: LedgerTicketDto,
    description: "The ticket with its whole history; the complainant's name and phone masked.",
  })
  async get(@Param('ticketNo') ticketNo: string, @CurrentPrincipal() who: Principal) {
    if (!isTicketNo(ticketNo)) throw new ProblemException('ticket_not_found', `no ticket ${ticketNo}`);
    return this.tickets.get(who, ticketNo);
  }
}
