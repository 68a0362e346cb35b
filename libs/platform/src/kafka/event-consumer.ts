import type { DataSource, EntityManager } from 'typeorm';
import type { Consumer, Kafka } from 'kafkajs';
import { EventSchemaError, parseTicketEvent } from '@hotline/shared';
import type { AnyTicketEvent } from '@hotline/shared';
import type { Logger } from '../logger';

export type TicketEventHandler = (event: AnyTicketEvent, m: EntityManager) => Promise<void>;

/**
 * Consumes ticket events into a service's own tables, exactly once in effect: the handler runs in
 * one transaction with the inbox row (consumer, event id), so a redelivered event is skipped.
 * A message that is not a valid event goes to platform.dead_letters instead of blocking the
 * partition or vanishing.
 */
export class TicketEventConsumer {
  private consumer: Consumer | null = null;

  constructor(
    private readonly kafka: Kafka,
    private readonly ds: DataSource,
    private readonly log: Logger,
    private readonly opts: {
      consumerName: string;
      groupId: string;
      topic: string;
      handle: TicketEventHandler;
    },
  ) {}

  async start(): Promise<void> {
    const consumer = this.kafka.consumer({ groupId: this.opts.groupId, allowAutoTopicCreation: false });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topic: this.opts.topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        const raw = message.value?.toString('utf8') ?? '';
        let event: AnyTicketEvent;
        try {
          event = parseTicketEvent(JSON.parse(raw));
        } catch (err) {
          if (!(err instanceof SyntaxError || err instanceof EventSchemaError)) throw err;
          this.log.error(`dead letter at ${topic}[${partition}]@${message.offset}: ${err.message}`);
          await this.ds.query(
            `INSERT INTO platform.dead_letters (consumer, topic, kafka_partition, kafka_offset, payload, error)
             VALUES ($1,$2,$3,$4,$5,$6) ON CONFLICT DO NOTHING`,
            [this.opts.consumerName, topic, partition, message.offset, raw, err.message],
          );
          return;
        }
        await this.ds.transaction(async (m) => {
          const fresh = await m.query(
            `INSERT INTO platform.inbox (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1`,
            [this.opts.consumerName, event.id],
          );
          if (fresh.length === 0) return;
          await this.opts.handle(event, m);
        });
      },
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
    this.consumer = null;
  }
}
