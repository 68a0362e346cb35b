import { Inject, Injectable } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { actOnTicket, actorOf, TEMPORAL_CLIENT, TicketLedgerRepository } from '@hotline/platform';
import type { Principal, RecordCallbackCommand, UnitActionResult } from '@hotline/shared';

/** The callback's answers (the SMS gateway's, the operator's), each an update to the ticket's workflow. */
@Injectable()
export class CallbacksService {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    private readonly ledger: TicketLedgerRepository,
  ) {}

  async record(
    ticketNo: string,
    answer: Omit<RecordCallbackCommand, 'actor'>,
    who: Principal,
    key: string | null,
  ): Promise<UnitActionResult> {
    return actOnTicket(
      this.temporal,
      this.ledger,
      ticketNo,
      'recordCallback',
      { ...answer, actor: actorOf(who) },
      key,
    );
  }
}
