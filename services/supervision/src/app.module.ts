import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule, SupervisionOrderRepository } from '@hotline/platform';
import type { PlatformConfig } from '@hotline/shared';
import { DataSource } from 'typeorm';
import { OrdersController } from './orders/orders.controller';
import { OrdersService } from './orders/orders.service';
import { SupervisionController } from './supervision.controller';
import { TicketFactsProjection } from './ticket-facts.projection';
import { TicketFactsRepository } from './ticket-facts.repository';
import { SatisfactionFactsProjection } from './satisfaction-facts.projection';

@Module({})
export class SupervisionModule {
  static forRoot(config: PlatformConfig): DynamicModule {
    return {
      module: SupervisionModule,
      imports: [PlatformModule.forRoot(config, 'supervision')],
      controllers: [SupervisionController, OrdersController],
      providers: [
        TicketFactsProjection,
        TicketFactsRepository,
        SatisfactionFactsProjection,
        OrdersService,
        {
          provide: SupervisionOrderRepository,
          inject: [DataSource],
          useFactory: (ds: DataSource) => new SupervisionOrderRepository(ds, config.kafkaPrefix),
        },
      ],
    };
  }
}
