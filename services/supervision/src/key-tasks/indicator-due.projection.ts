import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Kafka } from 'kafkajs';
import { CONFIG, KAFKA, SupervisionEventProjection, SupervisionOrderRepository } from '@hotline/platform';
import { orderForOverdueIndicator } from '@hotline/shared';
import type { AnySupervisionEvent, PlatformConfig } from '@hotline/shared';
import { OrdersService } from '../orders/orders.service';
import { KeyTasksRepository } from './key-tasks.repository';

/** An indicator past its date (`supervision.indicator_due`, from its workflow) raises an order on its unit, once. */
@Injectable()
export class IndicatorDueProjection extends SupervisionEventProjection {
  protected readonly consumerName = 'supervision.indicator-due';
  protected override readonly eventTypes = ['supervision.indicator_due'] as const;

  constructor(
    ds: DataSource,
    @Inject(KAFKA) kafka: Kafka,
    @Inject(CONFIG) config: PlatformConfig,
    private readonly orders: OrdersService,
    private readonly tasks: KeyTasksRepository,
  ) {
    super(ds, kafka, config);
  }

  protected async apply(e: AnySupervisionEvent, m: EntityManager): Promise<void> {
    if (e.type !== 'supervision.indicator_due') return;
    const names = await this.tasks.indicatorTitle(e.data.indicatorId);
    if (!names) return;
    const sourceKey = `indicator_overdue:${e.data.indicatorId}`;
    await this.orders.raise(
      {
        ...orderForOverdueIndicator({ unitId: e.data.unitId, ...names }),
        id: SupervisionOrderRepository.idFor(sourceKey),
        sourceKey,
        ticketNo: null,
        taskId: e.data.taskId,
        by: { kind: 'system' },
      },
      m,
    );
  }
}
