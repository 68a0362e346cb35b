import { Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import type { Kafka } from 'kafkajs';
import { TICKET_EVENTS_TOPIC, topicName } from '@hotline/shared';
import type { AnyTicketEvent, PlatformConfig, TicketEventType } from '@hotline/shared';
import { ensureTopics } from '../kafka/kafka';
import { TicketEventConsumer } from '../kafka/event-consumer';

/**
 * A service's own read model of ticket events: subclasses name themselves and apply one event
 * inside the transaction that also records it in the inbox (so each event applies once).
 */
export abstract class TicketEventProjection implements OnModuleInit, OnApplicationShutdown {
  protected abstract readonly consumerName: string;
  /** The event types this projection applies (default: all); the rest cost no write. */
  protected readonly eventTypes: readonly TicketEventType[] | null = null;
  protected readonly logger = new Logger(this.constructor.name);
  private consumer: TicketEventConsumer | null = null;

  constructor(
    private readonly ds: DataSource,
    private readonly kafka: Kafka,
    private readonly config: PlatformConfig,
  ) {}

  protected abstract apply(event: AnyTicketEvent, m: EntityManager): Promise<void>;

  async onModuleInit(): Promise<void> {
    const topic = topicName(this.config, TICKET_EVENTS_TOPIC);
    await ensureTopics(this.kafka, [topic]);
    this.consumer = new TicketEventConsumer(this.kafka, this.ds, this.logger, {
      consumerName: this.consumerName,
      groupId: `${this.config.kafkaPrefix}.${this.consumerName}`,
      topic,
      handle: (e, m) => this.apply(e, m),
      accepts: (type) => this.eventTypes === null || this.eventTypes.includes(type),
    });
    await this.consumer.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }
}
