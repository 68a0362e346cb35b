import { CallbacksService } from './callbacks.service';
import { EvaluationRepository } from './evaluation.repository';
import { ClosedTicketsService } from './closed-tickets.service';
import { DynamicModule, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  CONFIG,
  ExpertRepository,
  PiiCipher,
  PlatformModule,
  ReconsiderationRepository,
  SmsSender,
  VoteRepository,
  smsGatewayFromEnv,
} from '@hotline/platform';
import type { PlatformConfig } from '@hotline/shared';
import { TicketEventsProjection } from './ticket-events.projection';
import { VoteOutcomeProjection } from './votes/vote-outcome.projection';
import { CallbacksController } from './callbacks.controller';
import { EvaluationController } from './evaluation.controller';
import { ExpertCasesController, ExpertEvaluatorsController } from './experts/experts.controller';
import { ExpertsService } from './experts/experts.service';
import { LocalSmsController, SmsController } from './sms/sms.controller';
import { SmsRepository } from './sms/sms.repository';
import { SMS_PROVIDER_NAME, SmsService } from './sms/sms.service';
import { CallbackTasksController } from './callback-tasks/callback-tasks.controller';
import { CallbackTasksRepository } from './callback-tasks/callback-tasks.repository';
import { CallbackTasksService } from './callback-tasks/callback-tasks.service';
import { SatisfactionController } from './satisfaction/satisfaction.controller';
import {
  SatisfactionTicketProjection,
  SatisfactionVerdictProjection,
} from './satisfaction/satisfaction.projection';
import { SatisfactionRepository } from './satisfaction/satisfaction.repository';
import { SatisfactionService } from './satisfaction/satisfaction.service';
import { VotesController } from './votes/votes.controller';
import { VotesService } from './votes/votes.service';
import { ReconsiderationsController } from './reconsiderations/reconsiderations.controller';
import { ReconsiderationsService } from './reconsiderations/reconsiderations.service';

@Module({})
export class EvaluationModule {
  static forRoot(config: PlatformConfig): DynamicModule {
    // SMS_PROVIDER: local (records only) or aliyun; a missing setting stops the boot here.
    const gateway = smsGatewayFromEnv(process.env);
    return {
      module: EvaluationModule,
      imports: [PlatformModule.forRoot(config, 'evaluation')],
      controllers: [
        EvaluationController,
        CallbacksController,
        ExpertCasesController,
        ExpertEvaluatorsController,
        SmsController,
        LocalSmsController,
        CallbackTasksController,
        SatisfactionController,
        VotesController,
        ReconsiderationsController,
      ],
      providers: [
        TicketEventsProjection,
        CallbacksService,
        EvaluationRepository,
        ClosedTicketsService,
        ExpertsService,
        SmsRepository,
        CallbackTasksRepository,
        CallbackTasksService,
        SatisfactionRepository,
        SatisfactionService,
        VotesService,
        ReconsiderationsService,
        {
          provide: VoteRepository,
          inject: [DataSource, CONFIG],
          useFactory: (ds: DataSource, c: PlatformConfig) => new VoteRepository(ds, c.kafkaPrefix),
        },
        {
          provide: ReconsiderationRepository,
          inject: [DataSource, CONFIG],
          useFactory: (ds: DataSource, c: PlatformConfig) => new ReconsiderationRepository(ds, c.kafkaPrefix),
        },
        SatisfactionTicketProjection,
        SatisfactionVerdictProjection,
        VoteOutcomeProjection,
        SmsService,
        { provide: SMS_PROVIDER_NAME, useValue: gateway.provider },
        {
          provide: SmsSender,
          inject: [DataSource, PiiCipher],
          useFactory: (ds: DataSource, pii: PiiCipher) => new SmsSender(ds, pii, gateway),
        },
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
