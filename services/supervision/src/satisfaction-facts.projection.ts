import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Kafka } from 'kafkajs';
import { CONFIG, EvaluationEventProjection, KAFKA } from '@hotline/platform';
import type { AnyEvaluationEvent, PlatformConfig } from '@hotline/shared';

/**
 * The verdict that counts for each ticket's satisfaction, as the evaluation service decided it
 * (`evaluation.satisfaction_recorded`): copied, never recomputed. The assessment builds on it.
 */
@Injectable()
export class SatisfactionFactsProjection extends EvaluationEventProjection {
  protected readonly consumerName = 'supervision.satisfaction-facts';
  protected override readonly eventTypes = ['evaluation.satisfaction_recorded'] as const;

  constructor(ds: DataSource, @Inject(KAFKA) kafka: Kafka, @Inject(CONFIG) config: PlatformConfig) {
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
  }
}
