import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ProblemException, Roles } from '@hotline/platform';
import { TicketFactsRepository } from './ticket-facts.repository';

@ApiTags('supervision')
@ApiBearerAuth()
@Roles('supervisor', 'reviewer', 'admin')
@Controller('api/v1')
export class SupervisionController {
  constructor(private readonly facts: TicketFactsRepository) {}

  @Get('tickets/:ticketNo/facts')
  @ApiOkResponse({ description: "Supervision's facts of one ticket, as the events reported them." })
  async ticketFacts(@Param('ticketNo') ticketNo: string) {
    const facts = await this.facts.find(ticketNo);
    if (!facts) throw new ProblemException('ticket_not_found', `no facts for ticket ${ticketNo} yet`);
    return facts;
  }

  @Get('units/overview')
  @ApiOkResponse({ description: 'Per unit: tickets by status and late signs.' })
  async overview() {
    return { items: await this.facts.unitOverview() };
  }
}
