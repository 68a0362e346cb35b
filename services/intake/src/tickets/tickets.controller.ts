import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CurrentPrincipal, idempotencyKey, PageQuery, ProblemException, Roles } from '@hotline/platform';
import { CENTRE_ROLES, TICKET_STATUSES, isTicketNo } from '@hotline/shared';
import type { Principal, TicketStatus } from '@hotline/shared';
import { CreateTicketDto } from './create-ticket.dto';
import { TicketsService } from './tickets.service';
import { CentreService } from './centre.service';

export class ListTicketsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: TICKET_STATUSES })
  @IsOptional()
  @IsIn(TICKET_STATUSES)
  status?: TicketStatus;
}

export class ManualDispatchDto {
  @ApiProperty({ example: 'housing', description: 'The unit the centre dispatches the ticket to.' })
  @IsString()
  @Length(1, 64)
  unitId!: string;

  @ApiPropertyOptional({ type: [String], description: 'Assisting units (协办单位).' })
  @IsOptional()
  @IsString({ each: true })
  @Length(1, 64, { each: true })
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
  @HttpCode(201)
  @Roles('operator', 'admin')
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'A repeat with the same key returns the first ticket.',
  })
  @ApiCreatedResponse({ description: 'The ticket is registered; its workflow dispatches it.' })
  async create(
    @Body() body: CreateTicketDto,
    @CurrentPrincipal() who: Principal,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.tickets.create(body, who, idempotencyKey(key));
  }

  @Get()
  @Roles(...CENTRE_ROLES)
  @ApiOkResponse({ description: 'The ledger, newest first.' })
  async list(@Query() q: ListTicketsQuery) {
    return this.tickets.list(q.status, q.limit ?? 20, q.offset ?? 0);
  }

  @Post(':ticketNo/dispatch')
  @HttpCode(200)
  @Roles('operator', 'admin')
  @ApiOkResponse({
    description: 'The centre dispatches by hand a ticket the matter catalog has no entry for (特事特办).',
  })
  async dispatch(
    @Param('ticketNo') ticketNo: string,
    @Body() body: ManualDispatchDto,
    @CurrentPrincipal() who: Principal,
  ) {
    if (!isTicketNo(ticketNo)) throw new ProblemException('ticket_not_found', `no ticket ${ticketNo}`);
    return this.centre.dispatchManually(ticketNo, body.unitId, body.assistingUnitIds ?? [], who);
  }

  @Get(':ticketNo')
  @Roles(...CENTRE_ROLES)
  @ApiOkResponse({ description: 'The ticket with its whole history.' })
  async get(@Param('ticketNo') ticketNo: string) {
    if (!isTicketNo(ticketNo)) throw new ProblemException('ticket_not_found', `no ticket ${ticketNo}`);
    return this.tickets.get(ticketNo);
  }
}
