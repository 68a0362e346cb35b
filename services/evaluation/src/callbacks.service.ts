import { Inject, Injectable } from '@nestjs/common';
import { Client } from '@temporalio/client';
import {
  actOnTicket,
  actorOf,
  ProblemException,
  TEMPORAL_CLIENT,
  TicketLedgerRepository,
} from '@hotline/platform';
import { claimOf } from '@hotline/shared';
import type { Principal, RecordCallbackCommand, UnitActionResult } from '@hotline/shared';
import { CallbackTasksRepository } from './callback-tasks/callback-tasks.repository';

/** The callback's answers (the SMS gateway's, the operator's), each an update to the ticket's workflow. */
@Injectable()
export class CallbacksService {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    private readonly ledger: TicketLedgerRepository,
    private readonly tasks: CallbackTasksRepository,
  ) {}

  /**
   * An operator's manual callback recorded by ticket: one operator calls a citizen at a time, so
   * while another holds the ticket's callback task (the queue's claim), it is theirs to record.
   */
  async manual(
    ticketNo: string,
    answer: Omit<RecordCallbackCommand, 'actor' | 'mode'>,
    who: Principal,
    key: string | null,
  ): Promise<UnitActionResult> {
    const task = await this.tasks.openForTicket(ticketNo);
    if (task && claimOf(task, who.userId, Date.now()) === 'theirs')
      throw new ProblemException('task_claimed', `${task.claimedBy} is calling this citizen`);
    return this.record(ticketNo, { ...answer, mode: 'manual' }, who, key);
  }

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
