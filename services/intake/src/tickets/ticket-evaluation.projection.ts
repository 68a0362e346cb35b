import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Kafka } from 'kafkajs';
import { CONFIG, EvaluationEventProjection, KAFKA } from '@hotline/platform';
import { EVALUATION_ON_RECORD } from '@hotline/shared';
import type { AnyEvaluationEvent, PlatformConfig } from '@hotline/shared';

/**
 * The ledger's copy of what the evaluation decided of each ticket (EVALUATION_ON_RECORD): the
 * expert's verdict, the objections, the vote's result, a reconsideration. Copied, as the evaluation
 * service wrote them, so the ticket's answer shows everything done to it (RULES §8).
 */
@Injectable()
export class TicketEvaluationProjection extends EvaluationEventProjection {
  protected readonly consumerName = 'intake.ticket-evaluation';
  protected override readonly eventTypes = EVALUATION_ON_RECORD;

  constructor(ds: DataSource, @Inject(KAFKA) kafka: Kafka, @Inject(CONFIG) config: PlatformConfig) {
    super(ds, kafka, config);
  }

  protected async apply(e: AnyEvaluationEvent, m: EntityManager): Promise<void> {
    await m.query(
      `INSERT INTO ticket.ticket_evaluation (event_id, ticket_no, type, actor, data, occurred_at)
       VALUES ($1,$2,$3,$4,$5,$6) ON CONFLICT (event_id) DO NOTHING`,
      [e.id, e.ticketNo, e.type, JSON.stringify(e.actor), JSON.stringify(e.data), e.occurredAt],
    );
  }
}
