import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Kafka } from 'kafkajs';
import { CONFIG, KAFKA, SupervisionOrdersCopy } from '@hotline/platform';
import type { PlatformConfig } from '@hotline/shared';

/** The desk's copy of the supervision orders addressed to the units: a clerk sees them on the ticket. */
@Injectable()
export class UnitOrdersProjection extends SupervisionOrdersCopy {
  protected readonly consumerName = 'dispatch.unit-orders';
  protected readonly table = 'dispatch.unit_orders' as const;

  constructor(ds: DataSource, @Inject(KAFKA) kafka: Kafka, @Inject(CONFIG) config: PlatformConfig) {
    super(ds, kafka, config);
  }
}
