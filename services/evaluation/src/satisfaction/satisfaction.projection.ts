import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Kafka } from 'kafkajs';
import {
  CONFIG,
  EvaluationEventProjection,
  KAFKA,
  TicketEventProjection,
  TicketLedgerRepository,
} from '@hotline/platform';
import type { AnyEvaluationEvent, AnyTicketEvent, PlatformConfig } from '@hotline/shared';
import { SatisfactionRepository } from './satisfaction.repository';

/**
 * The ticket's side of satisfaction: where it belongs, what the callbacks heard, its closing; and
 * a correction of its record, after which the answers and the close are those that stand.
 */
@Injectable()
export class SatisfactionTicketProjection extends TicketEventProjection {
  protected readonly consumerName = 'evaluation.satisfaction';
  protected override readonly eventTypes = [
    'ticket.created',
    'ticket.callback_answered',
    'ticket.closed',
    'ticket.record_corrected',
  ] as const;

  constructor(
    ds: DataSource,
    @Inject(KAFKA) kafka: Kafka,
    @Inject(CONFIG) config: PlatformConfig,
    private readonly satisfaction: SatisfactionRepository,
    private readonly ledger: TicketLedgerRepository,
  ) {
    super(ds, kafka, config);
  }

  protected async apply(e: AnyTicketEvent, m: EntityManager): Promise<void> {
    if (e.type === 'ticket.record_corrected') {
      if (!e.data.voided.some((v) => v.type === 'ticket.callback_answered' || v.type === 'ticket.closed'))
        return;
      await this.satisfaction.corrected(
        m,
        e.ticketNo,
        await this.ledger.standingEvents(e.ticketNo, e.seq, m),
      );
      await this.satisfaction.decide(m, e.ticketNo, true);
      return;
    }
    if (e.type === 'ticket.created')
      await this.satisfaction.ticketFacts(m, e.ticketNo, {
        category: e.data.category,
        regionCode: e.data.regionCode,
        channel: e.data.channel,
      });
    else if (e.type === 'ticket.callback_answered')
      await this.satisfaction.callback(m, e.ticketNo, {
        round: e.data.round,
        mode: e.data.mode,
        verdict: e.data.verdict,
      });
    else if (e.type === 'ticket.closed')
      await this.satisfaction.ticketFacts(m, e.ticketNo, {
        unitId: e.data.unitId,
        closedAt: e.occurredAt,
        outcome: e.data.outcome,
      });
    await this.satisfaction.decide(m, e.ticketNo);
  }
}

/** The evaluation side: the public vote's result and the expert's final verdict. */
@Injectable()
export class SatisfactionVerdictProjection extends EvaluationEventProjection {
  protected readonly consumerName = 'evaluation.satisfaction-verdicts';
  protected override readonly eventTypes = [
    'evaluation.vote_closed',
    'evaluation.expert_verdict_recorded',
  ] as const;

  constructor(
    ds: DataSource,
    @Inject(KAFKA) kafka: Kafka,
    @Inject(CONFIG) config: PlatformConfig,
    private readonly satisfaction: SatisfactionRepository,
  ) {
    super(ds, kafka, config);
  }

  protected async apply(e: AnyEvaluationEvent, m: EntityManager): Promise<void> {
    if (e.type === 'evaluation.vote_closed')
      await this.satisfaction.verdict(m, e.ticketNo, 'vote', e.data.result, e.data.unitId);
    else if (e.type === 'evaluation.expert_verdict_recorded')
      await this.satisfaction.verdict(m, e.ticketNo, 'expert', e.data.verdict, e.data.unitId);
    await this.satisfaction.decide(m, e.ticketNo);
  }
}
