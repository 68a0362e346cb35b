import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { DATE_TIME, Roles, PageDto, PageQuery, pageOfAll } from '@hotline/platform';
import { CLOSURE_OUTCOMES, TICKET_STATUSES } from '@hotline/shared';
import { TicketFactsService } from './ticket-facts.service';

/** A ticket as supervision knows it: the status copied from the events, its own counts and times. */
export class TicketFactsDto {
  @ApiProperty({ example: '20261123000001' })
  ticketNo!: string;

  @ApiProperty({ enum: TICKET_STATUSES })
  status!: string;

  @ApiProperty({ type: String, nullable: true, example: 'transport' })
  unitId!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'road' })
  category!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'gulou' })
  regionCode!: string | null;

  @ApiProperty({ ...DATE_TIME, nullable: true })
  createdAt!: string | null;

  @ApiProperty({ ...DATE_TIME, nullable: true })
  dispatchedAt!: string | null;

  @ApiProperty({ ...DATE_TIME, nullable: true })
  signDueAt!: string | null;

  @ApiProperty({ ...DATE_TIME, nullable: true })
  signedAt!: string | null;

  @ApiProperty()
  signedLate!: boolean;

  @ApiProperty({ ...DATE_TIME, nullable: true })
  repliedAt!: string | null;

  @ApiProperty({ ...DATE_TIME, nullable: true })
  closedAt!: string | null;

  @ApiProperty({ type: 'integer', description: 'The last event of the ticket supervision has applied.' })
  lastSeq!: number;

  @ApiProperty({ ...DATE_TIME, nullable: true, description: 'The reply deadline, after extensions.' })
  completeDueAt!: string | null;

  @ApiProperty({ type: 'integer' })
  overdueCount!: number;

  @ApiProperty({ type: 'integer' })
  reminderCount!: number;

  @ApiProperty({ type: 'integer', description: 'Extensions granted.' })
  extensionCount!: number;

  @ApiProperty({ type: 'integer' })
  returnCount!: number;

  @ApiProperty({ type: 'integer' })
  rejectedReplyCount!: number;

  @ApiProperty({ enum: CLOSURE_OUTCOMES, nullable: true })
  outcome!: string | null;

  @ApiProperty({
    type: 'integer',
    description: 'Times the centre or the leadership group designated its lead unit (协调).',
  })
  coordinationCount!: number;
}

/** One unit's tickets at a glance. */
export class UnitOverviewDto {
  @ApiProperty({ example: 'transport' })
  unitId!: string;

  @ApiProperty({ type: 'integer', description: 'Tickets dispatched to it.' })
  total!: number;

  @ApiProperty({ type: 'integer' })
  closed!: number;

  @ApiProperty({ type: 'integer' })
  lateSigns!: number;

  @ApiProperty({ type: 'integer', description: 'Deadlines missed (sign, reply), each counted.' })
  overdueEvents!: number;

  @ApiProperty({ type: 'integer', description: 'Tickets with a counted verdict.' })
  evaluated!: number;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Satisfied or basically satisfied, of evaluated.',
  })
  satisfactionRate!: number | null;

  @ApiProperty({
    type: 'integer',
    description: 'Coordinations (协调) that designated it to lead, each counted.',
  })
  coordinatedTo!: number;

  @ApiProperty({
    type: 'integer',
    description: 'Coordinations (协调) that took a ticket from it as lead, each counted.',
  })
  coordinatedFrom!: number;
}

export class UnitOverviewListDto extends PageDto {
  @ApiProperty({ type: [UnitOverviewDto], description: 'Every unit with tickets, by unit id.' })
  items!: UnitOverviewDto[];
}

@ApiTags('supervision')
@ApiBearerAuth()
@Roles('supervisor', 'reviewer', 'admin')
@Controller('api/v1')
export class SupervisionController {
  constructor(private readonly facts: TicketFactsService) {}

  @Get('tickets/:ticketNo/facts')
  @ApiOkResponse({
    type: TicketFactsDto,
    description: "Supervision's facts of one ticket, as the events reported them.",
  })
  ticketFacts(@Param('ticketNo') ticketNo: string) {
    return this.facts.ofTicket(ticketNo);
  }

  @Get('units/overview')
  @ApiOkResponse({
    type: UnitOverviewListDto,
    description:
      'Per unit: tickets, closed, late signs, missed deadlines, satisfaction, and coordinations (协调) to and from it.',
  })
  async overview(@Query() page: PageQuery) {
    return pageOfAll((await this.facts.unitOverview()).items, page);
  }
}
