import type { DataSource, EntityManager } from 'typeorm';
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { EventSchemaError } from '@hotline/shared';
import type { Logger } from '../logger';

/** A consumer whose last batch failed (it is being tried again): where, since when, why. */
export interface StalledConsumer {
  consumer: string;
  topic: string;
  partition: number;
  since: string;
  error: string;
}

const stalled = new Map<string, StalledConsumer>();

/** This process's consumers whose last batch failed and has not gone through since. */
export function stalledConsumers(): StalledConsumer[] {
  return [...stalled.values()];
}

/** The longest a consumer's fetch waits for more events before it takes what there is. */
export const CONSUMER_MAX_WAIT_MS = 200;

interface ConsumedEvent {
  id: string;
  type: string;
}

/**
 * Queues an effect to run once the event's transaction has committed: for what other processes
 * must see only after the rows it needs are visible (a workflow whose first activity reads them).
 * It runs once (a redelivered event is skipped by the inbox); a failure is logged, not retried, so
 * whatever queues it needs a sweep behind it.
 */
export type AfterCommit = (effect: () => Promise<void>) => void;

export interface EventConsumerOptions<E extends ConsumedEvent> {
  consumerName: string;
  groupId: string;
  topic: string;
  handle: (event: E, m: EntityManager, afterCommit: AfterCommit) => Promise<void>;
  /** The event types this consumer applies; the rest are passed over without a write. */
  accepts?: (type: E['type']) => boolean;
}

/**
 * Consumes events (ticket or evaluation events) into a service's own tables, exactly once in effect: a batch of events is
 * applied in one transaction with their inbox rows (consumer, event id), so a redelivered event is
 * skipped; the offsets move on only after the commit.
 * A message that is not a valid event goes to platform.dead_letters instead of blocking the
 * partition or vanishing.
 */
export class EventConsumer<E extends ConsumedEvent> {
  private consumer: Consumer | null = null;

  constructor(
    private readonly kafka: Kafka,
    private readonly ds: DataSource,
    private readonly log: Logger,
    private readonly parseEvent: (raw: unknown) => E,
    private readonly opts: EventConsumerOptions<E>,
  ) {}

  async start(): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId: this.opts.groupId,
      allowAutoTopicCreation: false,
      // A fetch waits for 64 KiB of events or 200 ms: in a surge (a hundred tickets a second) each
      // consumer takes a few batches a second instead of one fetch, one transaction and one offset
      // commit per event. No projection is read within 200 ms of its event by anyone waiting.
      minBytes: 64 * 1024,
      maxWaitTimeInMs: CONSUMER_MAX_WAIT_MS,
    });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topic: this.opts.topic, fromBeginning: true });
    await consumer.run({
      // A batch at a time, in one transaction: one commit for many events instead of one each.
      eachBatchAutoResolve: false,
      eachBatch: async (payload) => {
        try {
          await this.eachBatch(payload);
          stalled.delete(this.opts.consumerName);
        } catch (err) {
          // Tried again by kafkajs (and the consumer restarted after a few tries): shown on /health
          // meanwhile, so that a partition that does not move is seen, not only logged.
          const since = stalled.get(this.opts.consumerName)?.since ?? new Date().toISOString();
          stalled.set(this.opts.consumerName, {
            consumer: this.opts.consumerName,
            topic: payload.batch.topic,
            partition: payload.batch.partition,
            since,
            error: (err as Error).message,
          });
          throw err;
        }
      },
    });
  }

  private async eachBatch({ batch, resolveOffset, heartbeat }: EachBatchPayload): Promise<void> {
    const events: { event: E; offset: string }[] = [];
    for (const message of batch.messages) {
      const event = await this.parse(batch.topic, batch.partition, message.offset, message.value);
      if (event && (this.opts.accepts?.(event.type) ?? true)) events.push({ event, offset: message.offset });
    }
    let effects: (() => Promise<void>)[] = [];
    try {
      effects = await this.apply(events.map((e) => e.event));
    } catch (err) {
      if (!isDataError(err)) throw err; // the database or the network: the batch is tried again
      // One event the database refuses as data (a number out of range, a time it cannot read)
      // would fail its batch for good: each is applied on its own, and the one refused is a
      // dead letter; the partition moves on.
      effects = [];
      for (const { event, offset } of events)
        try {
          effects.push(...(await this.apply([event])));
        } catch (one) {
          if (!isDataError(one)) throw one;
          await this.deadLetter(batch.topic, batch.partition, offset, JSON.stringify(event), one);
        }
    }
    // Each effect may wait on a workflow (up to TEMPORAL_UPDATE_WAIT_MS): the group hears from
    // this consumer between them, so a slow batch of effects does not cost it its partitions.
    for (const effect of effects) {
      await effect().catch((err: unknown) =>
        this.log.warn(`after the commit of ${this.opts.consumerName}: ${(err as Error).message}`),
      );
      await heartbeat();
    }
    for (const message of batch.messages) resolveOffset(message.offset);
    await heartbeat();
  }

  /** Applies events in one transaction with their inbox rows; answers the effects to run after it. */
  private async apply(events: readonly E[]): Promise<(() => Promise<void>)[]> {
    const effects: (() => Promise<void>)[] = [];
    if (events.length === 0) return effects;
    const afterCommit: AfterCommit = (effect) => effects.push(effect);
    await this.ds.transaction(async (m) => {
      const fresh: { event_id: string }[] = await m.query(
        `INSERT INTO platform.inbox (consumer, event_id) SELECT $1, unnest($2::uuid[])
         ON CONFLICT DO NOTHING RETURNING event_id`,
        [this.opts.consumerName, events.map((e) => e.id)],
      );
      const apply = new Set(fresh.map((r) => r.event_id));
      for (const e of events) {
        if (!apply.delete(e.id)) continue; // seen before (or twice in this batch)
        await this.opts.handle(e, m, afterCommit);
      }
    });
    return effects;
  }

  /**
   * Keeps a message the consumer cannot apply, with why, and lets the partition move on. Text
   * Postgres cannot store (U+0000) is written escaped: the dead letter must never fail itself.
   */
  private async deadLetter(topic: string, partition: number, offset: string, payload: string, err: unknown) {
    const error = storable((err as Error).message ?? String(err));
    this.log.error(`dead letter at ${topic}[${partition}]@${offset}: ${error}`);
    await this.ds.query(
      `INSERT INTO platform.dead_letters (consumer, topic, kafka_partition, kafka_offset, payload, error)
       VALUES ($1,$2,$3,$4,$5,$6) ON CONFLICT DO NOTHING`,
      [this.opts.consumerName, topic, partition, offset, storable(payload), error],
    );
  }

  /** The event, or null when the message is not one (it then goes to the dead letters). */
  private async parse(
    topic: string,
    partition: number,
    offset: string,
    value: Buffer | null,
  ): Promise<E | null> {
    const raw = value?.toString('utf8') ?? '';
    try {
      return this.parseEvent(JSON.parse(raw));
    } catch (err) {
      if (!(err instanceof SyntaxError || err instanceof EventSchemaError)) throw err;
      await this.deadLetter(topic, partition, offset, raw, err);
      return null;
    }
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
    this.consumer = null;
  }
}

/** Text as Postgres stores it: U+0000 written as the six characters `\u0000`. */
const storable = (text: string): string => text.split('\u0000').join('\\u0000');

/**
 * An error the database raises about the data it was given (SQLSTATE class 22: a number out of
 * range, a time it cannot read, a byte it cannot store), or a schema check a handler made: the same
 * event fails the same way every time it is tried.
 */
export function isDataError(err: unknown): boolean {
  if (err instanceof EventSchemaError) return true;
  const code =
    (err as { driverError?: { code?: unknown }; code?: unknown } | null)?.driverError?.code ??
    (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('22');
}
