import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule, SupervisionOrderRepository, TrackedPlanRepository } from '@hotline/platform';
import type { PlatformConfig } from '@hotline/shared';
import { DataSource } from 'typeorm';
import { OrdersController } from './orders/orders.controller';
import { OrdersService } from './orders/orders.service';
import { AssessmentController } from './assessment/assessment.controller';
import { AssessmentRepository } from './assessment/assessment.repository';
import { AssessmentService } from './assessment/assessment.service';
import { InstructionsController } from './instructions/instructions.controller';
import { InstructionsRepository } from './instructions/instructions.repository';
import { InstructionsService } from './instructions/instructions.service';
import { EscalationsController } from './escalations/escalations.controller';
import { EscalationsService } from './escalations/escalations.service';
import { AnalysisController } from './analysis/analysis.controller';
import { AnalysisRepository } from './analysis/analysis.repository';
import { AnalysisService } from './analysis/analysis.service';
import { KeyTasksController } from './key-tasks/key-tasks.controller';
import { KeyTasksRepository } from './key-tasks/key-tasks.repository';
import { KeyTasksService } from './key-tasks/key-tasks.service';
import { IndicatorDueProjection } from './key-tasks/indicator-due.projection';
import { TestCallsController } from './test-calls/test-calls.controller';
import { TestCallsService } from './test-calls/test-calls.service';
import { SupervisionController } from './supervision.controller';
import { TicketFactsProjection } from './ticket-facts.projection';
import { TicketFactsRepository } from './ticket-facts.repository';
import { TicketFactsService } from './ticket-facts.service';
import { SatisfactionFactsProjection } from './satisfaction-facts.projection';
import { PlansController } from './plans/plans.controller';
import { PlansService } from './plans/plans.service';
import { PlanDueProjection } from './plans/plan-due.projection';

@Module({})
export class SupervisionModule {
  static forRoot(config: PlatformConfig): DynamicModule {
    return {
      module: SupervisionModule,
      imports: [PlatformModule.forRoot(config, 'supervision')],
      controllers: [
        SupervisionController,
        OrdersController,
        AssessmentController,
        InstructionsController,
        EscalationsController,
        AnalysisController,
        KeyTasksController,
        PlansController,
        TestCallsController,
      ],
      providers: [
        TicketFactsProjection,
        TicketFactsRepository,
        TicketFactsService,
        SatisfactionFactsProjection,
        OrdersService,
        AssessmentRepository,
        AssessmentService,
        InstructionsRepository,
        InstructionsService,
        EscalationsService,
        AnalysisRepository,
        AnalysisService,
        KeyTasksRepository,
        KeyTasksService,
        IndicatorDueProjection,
        PlansService,
        PlanDueProjection,
        TestCallsService,
        {
          provide: SupervisionOrderRepository,
          inject: [DataSource],
          useFactory: (ds: DataSource) => new SupervisionOrderRepository(ds, config.kafkaPrefix),
        },
        {
          provide: TrackedPlanRepository,
          inject: [DataSource],
          useFactory: (ds: DataSource) => new TrackedPlanRepository(ds, config.kafkaPrefix),
        },
      ],
    };
  }
}
