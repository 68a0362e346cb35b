import type { DataSource } from 'typeorm';
import type { Kafka } from 'kafkajs';
import { OutboxRelay, sendsOf } from './outbox-relay';
import type { OutboxRow } from './outbox-relay';

const row = (id: number, chars: number): OutboxRow => ({
  id: String(id),
  topic: 'hotline.ticket-events.v1',
  message_key: '20261207000001',
  event_id: `00000000-0000-4000-8000-${String(id).padStart(12, '0')}`,
  payload: { content: 'x'.repeat(chars) },
});

describe('the outbox relay: sends Kafka takes', () => {
  it('cuts rows into sends of at most the bytes given, in order; a row larger alone goes alone', () => {
    const rows = [row(1, 300), row(2, 300), row(3, 300), row(4, 2000), row(5, 10)];
    const sends = sendsOf(rows, 1000);
    expect(sends.map((s) => s.map((m) => m.message.id))).toEqual([['1', '2'], ['3'], ['4'], ['5']]);
    expect(sends.every((s) => s.length === 1 || s.reduce((n, m) => n + m.bytes, 0) <= 1000)).toBe(true);
    expect(sendsOf([], 1000)).toEqual([]);
  });

  /** A fake database answering the relay's statements, and a producer failing its n-th send. */
  function relayWith(rows: OutboxRow[], failOnSend: number) {
    const published = new Set<string>();
    const failed = new Map<string, string>();
    let committed = { published: new Set<string>(), failed: new Map<string, string>() };
    const m = {
      query: async (sql: string, params: unknown[]) => {
        if (sql.includes('pg_try_advisory_xact_lock')) return [{ locked: true }];
        if (sql.includes('SELECT id, topic')) return rows;
        const ids = params[0] as string[];
        if (sql.includes('published_at = now()')) ids.forEach((id) => published.add(id));
        else if (sql.includes('attempts = attempts + 1'))
          ids.forEach((id) => failed.set(id, params[1] as string));
        return [];
      },
    };
    const ds = {
      transaction: async (fn: (tx: typeof m) => Promise<number>) => {
        const n = await fn(m); // a throw rolls back: nothing is committed
        committed = { published: new Set(published), failed: new Map(failed) };
        return n;
      },
    } as unknown as DataSource;
    let sends = 0;
    const producer = {
      connect: async () => undefined,
      disconnect: async () => undefined,
      sendBatch: async () => {
        sends++;
        if (sends === failOnSend) throw new Error('MESSAGE_TOO_LARGE');
        return [];
      },
    };
    const kafka = { producer: () => producer } as unknown as Kafka;
    const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };
    const relay = new OutboxRelay(ds, kafka, quiet, { maxSendBytes: 1000 });
    return { relay, committed: () => committed };
  }

  it('marks the sends that went out published, records the failed one, and leaves the rest waiting, in one commit', async () => {
    const { relay, committed } = relayWith([row(1, 600), row(2, 600), row(3, 600)], 2);
    await relay.connect();
    await expect(relay.tick()).rejects.toThrow('MESSAGE_TOO_LARGE');
    expect([...committed().published]).toEqual(['1']);
    expect([...committed().failed]).toEqual([['2', 'MESSAGE_TOO_LARGE']]);
  });

  it('publishes every send when Kafka takes them all', async () => {
    const { relay, committed } = relayWith([row(1, 600), row(2, 600), row(3, 600)], 0);
    await relay.connect();
    await expect(relay.tick()).resolves.toBe(3);
    expect([...committed().published]).toEqual(['1', '2', '3']);
  });
});
