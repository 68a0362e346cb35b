import { createSecretKey } from 'node:crypto';
import {
  Controller,
  DynamicModule,
  Get,
  Global,
  Inject,
  Injectable,
  Module,
  OnApplicationShutdown,
} from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Client, Connection } from '@temporalio/client';
import { TOKEN_ALGORITHM } from '@hotline/shared';
import type { PlatformConfig } from '@hotline/shared';
import { createDataSource } from '../db/data-source';
import { createKafka } from '../kafka/kafka';
import { waitForUpdates } from '../temporal/client';
import { PersonalDataAccessRepository } from '../repositories/personal-data-access.repository';
import { AdminActionRepository } from '../repositories/admin-action.repository';
import { PiiCipher } from '../security/pii-cipher';
import { AssignmentRepository } from '../repositories/assignment.repository';
import { CatalogRepository } from '../repositories/catalog.repository';
import { CatalogApplicationRepository } from '../repositories/catalog-application.repository';
import { KnowledgeRepository } from '../repositories/knowledge.repository';
import { AttachmentRepository } from '../repositories/attachment.repository';
import { ArchiveRepository } from '../repositories/archive.repository';
import { PolicyRepository } from '../repositories/policy.repository';
import { TicketLedgerRepository } from '../repositories/ticket-ledger.repository';
import { UserRepository } from '../repositories/user.repository';
import { LoginThrottleRepository } from '../repositories/login-throttle.repository';
import { IdempotencyKeyRepository } from '../repositories/idempotency-key.repository';
import { AuthGuard, Public } from './auth';
import { IdempotencyInterceptor } from './idempotency';
import { AccountTurns, ThrottleGuard, ThrottleInterceptor } from './throttle';
import { ProblemException } from './problem';
import { CONFIG, KAFKA, TEMPORAL_CLIENT } from './tokens';
import { stalledConsumers } from '../kafka/event-consumer';

/** How long a consumer's batch fails before /health says `degraded` (a moment's retry is not). */
const STALLED_AFTER_MS = 30_000;

class StalledConsumerDto {
  @ApiProperty({ example: 'supervision.ticket-facts' })
  consumer!: string;

  @ApiProperty({ example: 'hotline.ticket-events.v1' })
  topic!: string;

  @ApiProperty({ type: 'integer' })
  partition!: number;

  @ApiProperty({ format: 'date-time', description: 'When its batch first failed.' })
  since!: string;

  @ApiProperty({ description: 'The last failure.' })
  error!: string;
}

class HealthDto {
  @ApiProperty({
    enum: ['ok', 'degraded'],
    description: `degraded: a consumer's batch has been failing for more than ${STALLED_AFTER_MS / 1000} s (its partition does not move).`,
  })
  status!: 'ok' | 'degraded';

  @ApiProperty({
    type: [StalledConsumerDto],
    description: "This process's Kafka consumers whose last batch failed and has not gone through since.",
  })
  stalledConsumers!: StalledConsumerDto[];
}

@ApiTags('health')
@Controller('health')
class HealthController {
  constructor(private readonly ds: DataSource) {}

  @Public()
  @Get()
  @ApiOkResponse({
    type: HealthDto,
    description: 'The service is up and reaches Postgres; its consumers, whether any is stalled.',
  })
  async health(): Promise<HealthDto> {
    try {
      await this.ds.query('SELECT 1');
    } catch {
      throw new ProblemException('dependency_unavailable', 'Postgres is not reachable');
    }
    const stalled = stalledConsumers();
    const long = stalled.some((c) => Date.now() - Date.parse(c.since) > STALLED_AFTER_MS);
    return { status: long ? 'degraded' : 'ok', stalledConsumers: stalled };
  }
}

@Injectable()
class Closer implements OnApplicationShutdown {
  constructor(
    private readonly ds: DataSource,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
  ) {}
  async onApplicationShutdown(): Promise<void> {
    await this.temporal.connection.close().catch(() => undefined);
    if (this.ds.isInitialized) await this.ds.destroy();
  }
}

/** Everything a service needs from the platform, from one validated config. */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(config: PlatformConfig, serviceName: string): DynamicModule {
    const jwtKey = createSecretKey(Buffer.from(config.jwtSecret, 'utf8'));
    // Personal-data keys (README, "Personal data"): no service boots without them.
    const pii = PiiCipher.fromEnv(process.env);
    return {
      module: PlatformModule,
      imports: [
        // The secret as a KeyObject, made once: given a string, jsonwebtoken first tries to parse it
        // as a public key on every verify, and that failed parse was a fifth of a service's CPU.
        JwtModule.register({
          secretOrKeyProvider: () => jwtKey,
          signOptions: { algorithm: TOKEN_ALGORITHM, expiresIn: config.jwtTtlSeconds },
          verifyOptions: { algorithms: [TOKEN_ALGORITHM] },
        }),
      ],
      controllers: [HealthController],
      providers: [
        { provide: CONFIG, useValue: config },
        {
          provide: DataSource,
          useFactory: async () =>
            createDataSource(config.databaseUrl, { applicationName: serviceName }).initialize(),
        },
        {
          provide: TEMPORAL_CLIENT,
          // Lazy: the service boots while Temporal restarts; a call then fails as 503, not the boot.
          useFactory: () =>
            waitForUpdates(
              new Client({
                connection: Connection.lazy({ address: config.temporalAddress }),
                namespace: config.temporalNamespace,
              }),
              config.temporalUpdateWaitMs,
            ),
        },
        { provide: KAFKA, useFactory: () => createKafka(config, serviceName) },
        {
          provide: TicketLedgerRepository,
          inject: [DataSource],
          useFactory: (ds: DataSource) => new TicketLedgerRepository(ds, config.kafkaPrefix, pii),
        },
        {
          provide: AssignmentRepository,
          inject: [DataSource],
          useFactory: (ds: DataSource) => new AssignmentRepository(ds, pii),
        },
        { provide: PiiCipher, useValue: pii },
        {
          provide: PersonalDataAccessRepository,
          inject: [DataSource],
          useFactory: (ds: DataSource) => new PersonalDataAccessRepository(ds, pii),
        },
        {
          provide: AdminActionRepository,
          inject: [DataSource],
          useFactory: (ds: DataSource) => new AdminActionRepository(ds),
        },
        {
          provide: CatalogRepository,
          inject: [DataSource],
          useFactory: (ds: DataSource) => new CatalogRepository(ds),
        },
        {
          provide: KnowledgeRepository,
          inject: [DataSource],
          useFactory: (ds: DataSource) => new KnowledgeRepository(ds),
        },
        {
          provide: AttachmentRepository,
          inject: [DataSource],
          useFactory: (ds: DataSource) => new AttachmentRepository(ds),
        },
        {
          provide: ArchiveRepository,
          inject: [DataSource],
          useFactory: (ds: DataSource) => new ArchiveRepository(ds),
        },
        {
          provide: CatalogApplicationRepository,
          inject: [DataSource],
          useFactory: (ds: DataSource) => new CatalogApplicationRepository(ds),
        },
        {
          provide: UserRepository,
          inject: [DataSource],
          useFactory: (ds: DataSource) => new UserRepository(ds, config.authUserCacheTtlMs),
        },
        {
          provide: LoginThrottleRepository,
          inject: [DataSource],
          useFactory: (ds: DataSource) => new LoginThrottleRepository(ds),
        },
        AccountTurns,
        ThrottleGuard,
        ThrottleInterceptor,
        {
          provide: PolicyRepository,
          inject: [DataSource],
          useFactory: (ds: DataSource) => new PolicyRepository(ds),
        },
        {
          provide: IdempotencyKeyRepository,
          inject: [DataSource],
          useFactory: (ds: DataSource) => new IdempotencyKeyRepository(ds),
        },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        Closer,
      ],
      exports: [
        CONFIG,
        DataSource,
        TEMPORAL_CLIENT,
        KAFKA,
        JwtModule,
        TicketLedgerRepository,
        AssignmentRepository,
        CatalogRepository,
        CatalogApplicationRepository,
        KnowledgeRepository,
        AttachmentRepository,
        ArchiveRepository,
        UserRepository,
        LoginThrottleRepository,
        IdempotencyKeyRepository,
        AccountTurns,
        ThrottleGuard,
        ThrottleInterceptor,
        PolicyRepository,
        PiiCipher,
        PersonalDataAccessRepository,
        AdminActionRepository,
      ],
    };
  }
}
