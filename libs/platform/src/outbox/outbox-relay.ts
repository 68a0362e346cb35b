import type { DataSource } from 'typeorm';
import type { Kafka, Producer } from 'kafkajs';
import type { Logger } from '../logger';

interface OutboxRow {
  id: string;
  topic: string;
  message_key: string;
  event_id: string;
  payload: unknown;
}

/** Any fixed number: only one relay in the whole deployment publishes at a time, in outbox order. */
const RELAY_LOCK = 12345_0001;

/**
 * Publishes outbox rows to Kafka. Rows are written in the same transaction as the state change
 * they announce; the relay publishes them in id order and marks them published. At-least-once:
 * a crash between send and commit publishes a row again, and consumers deduplicate on event id.
 */
export class OutboxRelay {
  private producer: Producer | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly ds: DataSource,
    private readonly kafka: Kafka,
    private readonly log: Logger,
    private readonly opts: { intervalMs?: number; batchSize?: number } = {},
  ) {}

  /** Connects the producer; `start` also begins polling. */
  async connect(): Promise<void> {
    if (this.producer) return;
    const producer = this.kafka.producer({ maxInFlightRequests: 1 });
    await producer.connect();
    this.producer = producer;
  }

  async start(): Promise<void> {
    await this.connect();
    this.stopped = false;
    this.schedule(0);
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick()
        .then((n) => this.schedule(n > 0 ? 0 : (this.opts.intervalMs ?? 200)))
        .catch((err) => {
          this.log.warn(`outbox relay: ${(err as Error).message}`);
          this.schedule(1000);
        });
    }, delay);
  }

  /** Publishes one batch. Returns how many rows went out. */
  async tick(): Promise<number> {
    const producer = this.producer;
    if (!producer) throw new Error('relay not started');
    return this.ds.transaction(async (m) => {
      const [{ locked }] = await m.query(`SELECT pg_try_advisory_xact_lock($1) AS locked`, [RELAY_LOCK]);
      if (!locked) return 0;
      const rows: OutboxRow[] = await m.query(
        `SELECT id, topic, message_key, event_id, payload FROM platform.outbox
         WHERE published_at IS NULL ORDER BY id LIMIT $1`,
        [this.opts.batchSize ?? 200],
      );
      if (rows.length === 0) return 0;
      const byTopic = new Map<string, OutboxRow[]>();
      for (const r of rows) byTopic.set(r.topic, [...(byTopic.get(r.topic) ?? []), r]);
      try {
        await producer.sendBatch({
          topicMessages: [...byTopic].map(([topic, list]) => ({
            topic,
            messages: list.map((r) => ({
              key: r.message_key,
              value: JSON.stringify(r.payload),
              headers: { 'event-id': r.event_id },
            })),
          })),
        });
      } catch (err) {
        await m.query(
          `UPDATE platform.outbox SET attempts = attempts + 1, last_error = $2 WHERE id = ANY($1::bigint[])`,
          [rows.map((r) => r.id), (err as Error).message],
        );
        throw err;
      }
      await m.query(`UPDATE platform.outbox SET published_at = now() WHERE id = ANY($1::bigint[])`, [
        rows.map((r) => r.id),
      ]);
      return rows.length;
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
    await this.producer?.disconnect();
    this.producer = null;
  }
}
