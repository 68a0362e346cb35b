import { CallbacksService } from './callbacks.service';
import { EvaluationRepository } from './evaluation.repository';
import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@hotline/platform';
import type { PlatformConfig } from '@hotline/shared';
import { ClosedTicketsProjection } from './closed-tickets.projection';
import { CallbacksController } from './callbacks.controller';
import { EvaluationController } from './evaluation.controller';

@Module({})
export class EvaluationModule {
  static forRoot(config: PlatformConfig): DynamicModule {
    return {
      module: EvaluationModule,
      imports: [PlatformModule.forRoot(config, 'evaluation')],
      controllers: [EvaluationController, CallbacksController],
      providers: [ClosedTicketsProjection, CallbacksService, EvaluationRepository],
    };
  }
}
