import { Injectable } from '@nestjs/common';
import { ProblemException } from '@hotline/platform';
import { TicketFactsRepository } from './ticket-facts.repository';

/** Supervision's facts of the tickets, as the events reported them, and each unit's overview. */
@Injectable()
export class TicketFactsService {
  constructor(private readonly facts: TicketFactsRepository) {}

  async ofTicket(ticketNo: string) {
    const facts = await this.facts.find(ticketNo);
    if (!facts) throw new ProblemException('ticket_not_found', `no facts for ticket ${ticketNo} yet`);
    return facts;
  }

  async unitOverview() {
    return { items: await this.facts.unitOverview() };
  }
}
