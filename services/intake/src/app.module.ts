import {
  DynamicModule,
  Inject,
  Injectable,
  Module,
  OnApplicationShutdown,
  OnModuleInit,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Kafka } from 'kafkajs';
import { JwtService } from '@nestjs/jwt';
import {
  CONFIG,
  DEMO_PASSWORD,
  ensureTopics,
  KAFKA,
  OutboxRelay,
  quietKafka,
  PasswordHasher,
  PlatformModule,
  UserRepository,
} from '@hotline/platform';
import {
  EVALUATION_EVENTS_TOPIC,
  SUPERVISION_EVENTS_TOPIC,
  TICKET_EVENTS_TOPIC,
  topicName,
} from '@hotline/shared';
import { CatalogDecisionsController, CatalogDecisionsService } from './catalog/catalog-decisions';
import { KnowledgeSearchController, KnowledgeSearchService } from './knowledge/knowledge-search';
import type { PlatformConfig } from '@hotline/shared';
import { Logger } from '@nestjs/common';
import { AdminController } from './admin/admin.controller';
import { UnitsAdminController, UsersAdminController } from './admin/users.controller';
import { UsersAdminService } from './admin/users.service';
import { PoliciesService } from './admin/policies.service';
import { AuthController } from './auth/auth.controller';
import { LoginService } from './auth/login.service';
import { CentreController } from './tickets/centre.controller';
import { ArchivesController, ArchivesService } from './archive/archives';
import { CentreAttachmentsController, CentreAttachmentsService } from './tickets/attachments';
import { TicketsController } from './tickets/tickets.controller';
import { TicketsService } from './tickets/tickets.service';
import { TicketOrdersProjection } from './tickets/ticket-orders.projection';
import { TicketEvaluationProjection } from './tickets/ticket-evaluation.projection';
import { CentreService } from './tickets/centre.service';
import { WorkflowStarter } from './tickets/workflow-starter';
import { PersonalDataController } from './personal-data/personal-data.controller';
import { AdminActionsController } from './audit/admin-actions.controller';
import { AdminActionsService } from './audit/admin-actions.service';
import { PersonalDataService } from './personal-data/personal-data.service';
import { LookupController } from './lookup/lookup.controller';
import { LookupService } from './lookup/lookup.service';

/** Intake also relays the outbox, so `ticket.created` reaches Kafka even while no worker runs. */
@Injectable()
class IntakeOutboxRelay implements OnModuleInit, OnApplicationShutdown {
  private readonly relay: OutboxRelay;
  constructor(
    ds: DataSource,
    @Inject(KAFKA) kafka: Kafka,
    @Inject(CONFIG) private readonly config: PlatformConfig,
  ) {
    this.relay = new OutboxRelay(ds, kafka, new Logger('OutboxRelay'));
  }
  async onModuleInit(): Promise<void> {
    // Every topic the outbox carries exists before the first row goes out.
    await ensureTopics(
      quietKafka(this.config, 'intake-topics'),
      [TICKET_EVENTS_TOPIC, EVALUATION_EVENTS_TOPIC, SUPERVISION_EVENTS_TOPIC].map((t) =>
        topicName(this.config, t),
      ),
    );
    await this.relay.start();
  }
  async onApplicationShutdown(): Promise<void> {
    await this.relay.stop();
  }
}

@Module({})
export class IntakeModule {
  static forRoot(config: PlatformConfig): DynamicModule {
    return {
      module: IntakeModule,
      imports: [PlatformModule.forRoot(config, 'intake')],
      controllers: [
        AuthController,
        TicketsController,
        CentreAttachmentsController,
        CentreController,
        AdminController,
        UsersAdminController,
        UnitsAdminController,
        PersonalDataController,
        AdminActionsController,
        LookupController,
        CatalogDecisionsController,
        KnowledgeSearchController,
        ArchivesController,
      ],
      providers: [
        TicketsService,
        CentreAttachmentsService,
        TicketOrdersProjection,
        TicketEvaluationProjection,
        CentreService,
        WorkflowStarter,
        IntakeOutboxRelay,
        PersonalDataService,
        AdminActionsService,
        LookupService,
        CatalogDecisionsService,
        KnowledgeSearchService,
        ArchivesService,
        UsersAdminService,
        PoliciesService,
        PasswordHasher,
        {
          provide: LoginService,
          inject: [UserRepository, JwtService, PasswordHasher],
          useFactory: (users: UserRepository, jwt: JwtService, passwords: PasswordHasher) =>
            new LoginService(users, jwt, passwords, config.env === 'production' ? [DEMO_PASSWORD] : []),
        },
      ],
    };
  }
}
