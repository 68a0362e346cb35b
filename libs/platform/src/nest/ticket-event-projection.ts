import { Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import type { Kafka } from 'kafkajs';
import {
  EVALUATION_EVENTS_TOPIC,
  parseEvaluationEvent,
  parseSupervisionEvent,
  parseTicketEvent,
  SUPERVISION_EVENTS_TOPIC,
  TICKET_EVENTS_TOPIC,
  topicName,
} from '@hotline/shared';
import type {
  AnyEvaluationEvent,
  AnySupervisionEvent,
  AnyTicketEvent,
  PlatformConfig,
} from '@hotline/shared';
import { ensureTopics, groupCoordinatorReady, quietKafka } from '../kafka/kafka';
import { EventConsumer } from '../kafka/event-consumer';
import type { AfterCommit } from '../kafka/event-consumer';

/**
 * A service's own read model of a topic's events: subclasses name themselves and apply one event
 * inside the transaction that also records it in the inbox (so each event applies once).
 */
abstract class EventProjection<E extends { id: string; type: string }>
  implements OnModuleInit, OnApplicationShutdown
{
  protected abstract readonly consumerName: string;
  /** The event types this projection applies (default: all); the rest cost no write. */
  protected readonly eventTypes: readonly E['type'][] | null = null;
  protected readonly logger = new Logger(this.constructor.name);
  private consumer: EventConsumer<E> | null = null;

  constructor(
    private readonly ds: DataSource,
    private readonly kafka: Kafka,
    private readonly config: PlatformConfig,
    private readonly source: { topic: string; parse: (raw: unknown) => E },
  ) {}

  /** Applies one event in the inbox's transaction; `afterCommit` queues what must wait for its commit. */
  protected abstract apply(event: E, m: EntityManager, afterCommit: AfterCommit): Promise<void>;

  async onModuleInit(): Promise<void> {
    const topic = topicName(this.config, this.source.topic);
    const groupId = `${this.config.kafkaPrefix}.${this.consumerName}`;
    await ensureTopics(quietKafka(this.config, `${this.config.kafkaPrefix}.topics`), [topic]);
    await groupCoordinatorReady(this.config, groupId);
    this.consumer = new EventConsumer<E>(this.kafka, this.ds, this.logger, this.source.parse, {
      consumerName: this.consumerName,
      groupId,
      topic,
      handle: (e, m, afterCommit) => this.apply(e, m, afterCommit),
      accepts: (type) => this.eventTypes === null || this.eventTypes.includes(type),
    });
    await this.consumer.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }
}

/** Ticket events (`ticket-events.v1`). */
export abstract class TicketEventProjection extends EventProjection<AnyTicketEvent> {
  constructor(ds: DataSource, kafka: Kafka, config: PlatformConfig) {
    super(ds, kafka, config, { topic: TICKET_EVENTS_TOPIC, parse: parseTicketEvent });
  }
}

/** The evaluation service's events (`evaluation-events.v1`). */
export abstract class EvaluationEventProjection extends EventProjection<AnyEvaluationEvent> {
  constructor(ds: DataSource, kafka: Kafka, config: PlatformConfig) {
    super(ds, kafka, config, { topic: EVALUATION_EVENTS_TOPIC, parse: parseEvaluationEvent });
  }
}

/** The supervision service's events (`supervision-events.v1`). */
export abstract class SupervisionEventProjection extends EventProjection<AnySupervisionEvent> {
  constructor(ds: DataSource, kafka: Kafka, config: PlatformConfig) {
    super(ds, kafka, config, { topic: SUPERVISION_EVENTS_TOPIC, parse: parseSupervisionEvent });
  }
}
