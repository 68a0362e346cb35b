import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Kafka } from 'kafkajs';
import { CONFIG, EvaluationEventProjection, KAFKA, SupervisionOrderRepository } from '@hotline/platform';
import { orderFor } from '@hotline/shared';
import type { AnyEvaluationEvent, PlatformConfig } from '@hotline/shared';
import { OrdersService } from './orders/orders.service';

/**
 * The verdict that counts for each ticket's satisfaction, as the evaluation service decided it
 * (`evaluation.satisfaction_recorded`): copied, never recomputed. The assessment builds on it.
 */
@Injectable()
export class SatisfactionFactsProjection extends EvaluationEventProjection {
  protected readonly consumerName = 'supervision.satisfaction-facts';
  protected override readonly eventTypes = ['evaluation.satisfaction_recorded'] as const;

  constructor(
    ds: DataSource,
    @Inject(KAFKA) kafka: Kafka,
    @Inject(CONFIG) config: PlatformConfig,
    private readonly orders: OrdersService,
  ) {
    super(ds, kafka, config);
  }

  protected async apply(e: AnyEvaluationEvent, m: EntityManager): Promise<void> {
    if (e.type !== 'evaluation.satisfaction_recorded') return;
    await m.query(
      `INSERT INTO supervision.satisfaction_facts
         (ticket_no, unit_id, category, region_code, verdict, source, closed_at, recorded_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8)
       ON CONFLICT (ticket_no) DO UPDATE SET unit_id = $2, category = $3, region_code = $4, verdict = $5,
         source = $6, closed_at = $7, recorded_at = $8
       WHERE supervision.satisfaction_facts.recorded_at <= $8`,
      [
        e.ticketNo,
        e.data.unitId,
        e.data.category,
        e.data.regionCode,
        e.data.verdict,
        e.data.source,
        e.data.closedAt,
        e.occurredAt,
      ],
    );
    // Unsatisfied after closure: post-closure supervision (GS), one order per ticket.
    const order = orderFor({
      event: { type: e.type, unitId: e.data.unitId, verdict: e.data.verdict },
      extensionCount: 0,
      returnCount: 0,
      rectifying: false,
      repeatCount: 1,
    });
    if (!order) return;
    const sourceKey = `${order.trigger}:${e.ticketNo}`;
    await this.orders.raise(
      {
        ...order,
        id: SupervisionOrderRepository.idFor(sourceKey),
        sourceKey,
        ticketNo: e.ticketNo,
        by: { kind: 'system' },
      },
      m,
    );
  }
}
