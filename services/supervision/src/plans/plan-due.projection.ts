import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Kafka } from 'kafkajs';
import { CONFIG, KAFKA, SupervisionEventProjection, SupervisionOrderRepository } from '@hotline/platform';
import { orderForLapsedPlan } from '@hotline/shared';
import type { AnySupervisionEvent, PlatformConfig } from '@hotline/shared';
import { OrdersService } from '../orders/orders.service';

/** A tracked plan past its day (`supervision.plan_due`, from its workflow) raises an order on its unit, once. */
@Injectable()
export class PlanDueProjection extends SupervisionEventProjection {
  protected readonly consumerName = 'supervision.plan-due';
  protected override readonly eventTypes = ['supervision.plan_due'] as const;

  constructor(
    ds: DataSource,
    @Inject(KAFKA) kafka: Kafka,
    @Inject(CONFIG) config: PlatformConfig,
    private readonly orders: OrdersService,
  ) {
    super(ds, kafka, config);
  }

  protected async apply(e: AnySupervisionEvent, m: EntityManager): Promise<void> {
    if (e.type !== 'supervision.plan_due') return;
    const sourceKey = `plan_lapsed:${e.data.ticketNo}`;
    await this.orders.raise(
      {
        ...orderForLapsedPlan(e.data),
        id: SupervisionOrderRepository.idFor(sourceKey),
        sourceKey,
        sourceEventId: null,
        ticketNo: e.data.ticketNo,
        by: { kind: 'system' },
      },
      m,
    );
  }
}
