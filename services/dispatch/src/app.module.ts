import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@hotline/platform';
import type { PlatformConfig } from '@hotline/shared';
import { SubUnitsController, UnitTicketsController } from './tickets/unit-tickets.controller';
import { UnitTicketsService } from './tickets/unit-tickets.service';
import { UnitAttachmentsController, UnitAttachmentsService } from './tickets/unit-attachments';
import { UnitOrdersProjection } from './tickets/unit-orders.projection';
import { UnitEvaluationProjection } from './tickets/unit-evaluation.projection';
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
        UnitAttachmentsController,
        SubUnitsController,
        UnitCatalogController,
        UnitKnowledgeController,
      ],
      providers: [
        UnitTicketsService,
        UnitAttachmentsService,
        UnitOrdersProjection,
        UnitEvaluationProjection,
        UnitCatalogService,
        UnitKnowledgeService,
      ],
    };
  }
}
