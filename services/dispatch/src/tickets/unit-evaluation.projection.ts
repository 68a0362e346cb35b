import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Kafka } from 'kafkajs';
import { CONFIG, EvaluationRecordCopy, KAFKA } from '@hotline/platform';
import type { PlatformConfig } from '@hotline/shared';

/**
 * The desk's copy of what the evaluation decided about the units: a clerk sees, on its ticket, the
 * expert's verdict on its handling (to object through the centre), the vote's result, a reconsideration.
 */
@Injectable()
export class UnitEvaluationProjection extends EvaluationRecordCopy {
  protected readonly consumerName = 'dispatch.unit-evaluation';
  protected readonly table = 'dispatch.unit_evaluation' as const;

  constructor(ds: DataSource, @Inject(KAFKA) kafka: Kafka, @Inject(CONFIG) config: PlatformConfig) {
    super(ds, kafka, config);
  }
}
