import { CallbacksService } from './callbacks.service';
import { EvaluationRepository } from './evaluation.repository';
import { DynamicModule, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CONFIG, ExpertRepository, PiiCipher, PlatformModule } from '@hotline/platform';
import type { PlatformConfig } from '@hotline/shared';
import { ClosedTicketsProjection } from './closed-tickets.projection';
import { CallbacksController } from './callbacks.controller';
import { EvaluationController } from './evaluation.controller';
import { ExpertCasesController, ExpertEvaluatorsController } from './experts/experts.controller';
import { ExpertsService } from './experts/experts.service';

@Module({})
export class EvaluationModule {
  static forRoot(config: PlatformConfig): DynamicModule {
    return {
      module: EvaluationModule,
      imports: [PlatformModule.forRoot(config, 'evaluation')],
      controllers: [
        EvaluationController,
        CallbacksController,
        ExpertCasesController,
        ExpertEvaluatorsController,
      ],
      providers: [
        ClosedTicketsProjection,
        CallbacksService,
        EvaluationRepository,
        ExpertsService,
        {
          provide: ExpertRepository,
          inject: [DataSource, CONFIG, PiiCipher],
          useFactory: (ds: DataSource, c: PlatformConfig, pii: PiiCipher) =>
            new ExpertRepository(ds, c.kafkaPrefix, pii),
        },
      ],
    };
  }
}
