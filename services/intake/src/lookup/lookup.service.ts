import { Injectable } from '@nestjs/common';
import { PiiCipher, ProblemException, TicketLedgerRepository } from '@hotline/platform';
import { citizenView, isTicketNo } from '@hotline/shared';
import type { CitizenEvent, CitizenView } from '@hotline/shared';

/**
 * A citizen's look-up of their ticket (RULES §1): the ticket number and its query code (查询码,
 * given at registration) open the citizen's view of it. A wrong code and an unknown number get the
 * same answer (401), and the ticket is read only once the code matches, so neither the answer nor
 * its time tells whether a number exists. Guesses are throttled per ticket and per address.
 */
@Injectable()
export class LookupService {
  constructor(
    private readonly ledger: TicketLedgerRepository,
    private readonly pii: PiiCipher,
  ) {}

  async lookup(ticketNo: string, queryCode: string): Promise<CitizenView> {
    const matches = isTicketNo(ticketNo) && this.pii.queryCodeMatches(ticketNo, queryCode);
    const ticket = matches ? await this.ledger.find(ticketNo) : null;
    if (!ticket)
      throw new ProblemException('invalid_credentials', 'no ticket with that number and query code');
    const history = await this.ledger.history(ticketNo);
    return citizenView(ticket, history as CitizenEvent[]);
  }
}
