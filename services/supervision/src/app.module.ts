import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@hotline/platform';
import type { PlatformConfig } from '@hotline/shared';
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
      controllers: [SupervisionController],
      providers: [TicketFactsProjection, TicketFactsRepository, SatisfactionFactsProjection],
    };
  }
}
