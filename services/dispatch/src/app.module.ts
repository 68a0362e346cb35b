import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@hotline/platform';
import type { PlatformConfig } from '@hotline/shared';
import { SubUnitsController, UnitTicketsController } from './tickets/unit-tickets.controller';
import { UnitTicketsService } from './tickets/unit-tickets.service';
import { UnitOrdersProjection } from './tickets/unit-orders.projection';
import { UnitCatalogController, UnitCatalogService } from './catalog/catalog-applications';
import { UnitKnowledgeController, UnitKnowledgeService } from './knowledge/knowledge';

@Module({})
export class DispatchModule {
  static forRoot(config: PlatformConfig): DynamicModule {
    return {
      module: DispatchModule,
      imports: [PlatformModule.forRoot(config, 'dispatch')],
      controllers: [
        UnitTicketsController,
        SubUnitsController,
        UnitCatalogController,
        UnitKnowledgeController,
      ],
      providers: [UnitTicketsService, UnitOrdersProjection, UnitCatalogService, UnitKnowledgeService],
    };
  }
}
