import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Kafka } from 'kafkajs';
import { CONFIG, EvaluationRecordCopy, KAFKA } from '@hotline/platform';
import type { PlatformConfig } from '@hotline/shared';

/** The ledger's copy of what the evaluation decided of each ticket: the centre sees it with the ticket. */
@Injectable()
export class TicketEvaluationProjection extends EvaluationRecordCopy {
  protected readonly consumerName = 'intake.ticket-evaluation';
  protected readonly table = 'ticket.ticket_evaluation' as const;

  constructor(ds: DataSource, @Inject(KAFKA) kafka: Kafka, @Inject(CONFIG) config: PlatformConfig) {
    super(ds, kafka, config);
  }
}
