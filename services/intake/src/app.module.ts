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
import { KAFKA, OutboxRelay, PlatformModule } from '@hotline/platform';
import type { PlatformConfig } from '@hotline/shared';
import { Logger } from '@nestjs/common';
import { AdminController } from './admin/admin.controller';
import { AuthController } from './auth/auth.controller';
import { CentreController } from './tickets/centre.controller';
import { TicketsController } from './tickets/tickets.controller';
import { TicketsService } from './tickets/tickets.service';
import { CentreService } from './tickets/centre.service';
import { WorkflowStarter } from './tickets/workflow-starter';
import { PersonalDataController } from './personal-data/personal-data.controller';
import { PersonalDataService } from './personal-data/personal-data.service';

/** Intake also relays the outbox, so `ticket.created` reaches Kafka even while no worker runs. */
@Injectable()
class IntakeOutboxRelay implements OnModuleInit, OnApplicationShutdown {
  private readonly relay: OutboxRelay;
  constructor(ds: DataSource, @Inject(KAFKA) kafka: Kafka) {
    this.relay = new OutboxRelay(ds, kafka, new Logger('OutboxRelay'));
  }
  async onModuleInit(): Promise<void> {
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
        CentreController,
        AdminController,
        PersonalDataController,
      ],
      providers: [TicketsService, CentreService, WorkflowStarter, IntakeOutboxRelay, PersonalDataService],
    };
  }
}
