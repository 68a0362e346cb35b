import type { DataSource } from 'typeorm';
import type { Kafka, Producer } from 'kafkajs';
import type { Logger } from '../logger';

export interface OutboxRow {
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
    private readonly opts: { intervalMs?: number; batchSize?: number; maxSendBytes?: number } = {},
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

  /**
   * Publishes one batch of rows, in id order, as sends of at most `maxSendBytes` each: Kafka refuses
   * a partition's batch over its `max.message.bytes` (1 MiB) as a whole, and never takes it on a
   * retry, so 200 long replies (a reply may be 10,000 characters) sent at once would stop the relay
   * for good. The sends that went out are marked published; at the first that fails the rest wait
   * (a key's events stay in order), and the failed rows' attempts and error are recorded in the same
   * commit, which a throw would have rolled back. Returns how many rows went out.
   */
  async tick(): Promise<number> {
    const producer = this.producer;
    if (!producer) throw new Error('relay not started');
    let failure: Error | null = null;
    const sent = await this.ds.transaction(async (m) => {
      const [{ locked }] = await m.query(`SELECT pg_try_advisory_xact_lock($1) AS locked`, [RELAY_LOCK]);
      if (!locked) return 0;
      const rows: OutboxRow[] = await m.query(
        `SELECT id, topic, message_key, event_id, payload FROM platform.outbox
         WHERE published_at IS NULL ORDER BY id LIMIT $1`,
        [this.opts.batchSize ?? 200],
      );
      let done = 0;
      for (const send of sendsOf(rows, this.opts.maxSendBytes ?? MAX_SEND_BYTES)) {
        const ids = send.map((r) => r.message.id);
        try {
          await producer.sendBatch({ topicMessages: topicMessagesOf(send) });
        } catch (err) {
          failure = err as Error;
          await m.query(
            `UPDATE platform.outbox SET attempts = attempts + 1, last_error = $2 WHERE id = ANY($1::bigint[])`,
            [ids, failure.message],
          );
          break;
        }
        await m.query(`UPDATE platform.outbox SET published_at = now() WHERE id = ANY($1::bigint[])`, [ids]);
        done += send.length;
      }
      return done;
    });
    if (failure) throw failure;
    return sent;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
    await this.producer?.disconnect();
    this.producer = null;
  }
}

/**
 * The most one send carries (keys, values and headers): half of Kafka's default
 * `max.message.bytes`, leaving room for the record batch's own overhead.
 */
export const MAX_SEND_BYTES = 512 * 1024;

interface Serialised {
  id: string;
  topic: string;
  key: string;
  value: string;
  eventId: string;
}

/** The rows, in their order, cut into sends of at most `maxBytes` (a row larger alone is a send alone). */
export function sendsOf(
  rows: readonly OutboxRow[],
  maxBytes: number,
): { message: Serialised; bytes: number }[][] {
  const sends: { message: Serialised; bytes: number }[][] = [];
  let current: { message: Serialised; bytes: number }[] = [];
  let size = 0;
  for (const r of rows) {
    const message = {
      id: r.id,
      topic: r.topic,
      key: r.message_key,
      value: JSON.stringify(r.payload),
      eventId: r.event_id,
    };
    // The record's own framing (offsets, lengths, the header's name) is well under 100 bytes.
    const bytes =
      Buffer.byteLength(message.value) + Buffer.byteLength(message.key) + message.eventId.length + 100;
    if (current.length > 0 && size + bytes > maxBytes) {
      sends.push(current);
      current = [];
      size = 0;
    }
    current.push({ message, bytes });
    size += bytes;
  }
  if (current.length > 0) sends.push(current);
  return sends;
}

function topicMessagesOf(send: readonly { message: Serialised }[]) {
  const byTopic = new Map<string, Serialised[]>();
  for (const { message } of send)
    byTopic.set(message.topic, [...(byTopic.get(message.topic) ?? []), message]);
  return [...byTopic].map(([topic, list]) => ({
    topic,
    messages: list.map((r) => ({ key: r.key, value: r.value, headers: { 'event-id': r.eventId } })),
  }));
}
