import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { DATE_TIME, PageDto, PageQuery, Roles } from '@hotline/platform';
import { CLOSURE_OUTCOMES } from '@hotline/shared';
import { ClosedTicketsService } from './closed-tickets.service';

/** A closed ticket in the register, and where its evaluation stands. */
export class ClosedTicketDto {
  @ApiProperty({ example: '20261123000001' })
  ticketNo!: string;

  @ApiProperty({ type: String, nullable: true, example: 'transport' })
  unitId!: string | null;

  @ApiProperty(DATE_TIME)
  closedAt!: string;

  @ApiProperty({ enum: CLOSURE_OUTCOMES, nullable: true })
  outcome!: string | null;

  @ApiProperty({
    enum: ['awaiting_callback', 'awaiting_expert', 'done'],
    description: 'An unsatisfied ticket awaits the expert evaluation; the others are done.',
  })
  evaluationStatus!: string;
}

export class ClosedTicketPageDto extends PageDto {
  @ApiProperty({ type: [ClosedTicketDto] })
  items!: ClosedTicketDto[];
}

@ApiTags('evaluation')
@ApiBearerAuth()
@Roles('reviewer', 'supervisor', 'admin')
@Controller('api/v1')
export class EvaluationController {
  constructor(private readonly closedTickets: ClosedTicketsService) {}

  @Get('closed-tickets')
  @ApiOkResponse({
    type: ClosedTicketPageDto,
    description: 'Closed tickets and where their evaluation stands, newest first.',
  })
  closed(@Query() q: PageQuery) {
    return this.closedTickets.page({ limit: q.limit ?? 20, offset: q.offset ?? 0 });
  }
}
