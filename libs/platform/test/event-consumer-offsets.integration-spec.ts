import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Admin, Kafka } from 'kafkajs';
import { EventConsumer, createDataSource, createKafka } from '../src';
import { loadConfig } from '@hotline/shared';
import type { PlatformConfig } from '@hotline/shared';

interface TestEvent {
  id: string;
  type: string;
  n: number;
}

/**
 * The consumer's offsets on the real Kafka: committed once per interval rather than after every
 * batch, committed on a clean stop, and a member that starts where the last commit left it reads
 * again only what the inbox then skips.
 */
describe('EventConsumer offsets', () => {
  let config: PlatformConfig;
  let ds: DataSource;
  let kafka: Kafka;
  let admin: Admin;
  const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };
  const parse = (raw: unknown): TestEvent => raw as TestEvent;

  beforeAll(async () => {
    config = loadConfig(process.env);
    ds = await createDataSource(config.databaseUrl, { poolSize: 5 }).initialize();
    kafka = createKafka(config, 'offsets-test');
    admin = kafka.admin();
    await admin.connect();
  });
  const topics: string[] = [];
  afterAll(async () => {
    if (topics.length > 0) await admin.deleteTopics({ topics }).catch(() => undefined);
    await admin.disconnect();
    await ds.destroy();
  });

  async function freshTopic(partitions: number): Promise<string> {
    const topic = `${config.kafkaPrefix}.offsets-test-${randomUUID()}`;
    await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });
    topics.push(topic);
    return topic;
  }

  async function send(topic: string, events: TestEvent[]): Promise<void> {
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic,
      messages: events.map((e) => ({ key: String(e.n), value: JSON.stringify(e) })),
    });
    await producer.disconnect();
  }

  const events = (count: number, from = 0): TestEvent[] =>
    Array.from({ length: count }, (_, i) => ({ id: randomUUID(), type: 'test.happened', n: from + i }));

  /** The group's committed offset summed over the topic's partitions (-1 where none: 0). */
  async function committed(groupId: string, topic: string): Promise<number> {
    const [t] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return t.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
  }

  async function until(what: () => boolean | Promise<boolean>, ms = 30000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!(await what())) {
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  function consumer(topic: string, groupId: string, applied: number[], commitIntervalMs: number) {
    return new EventConsumer<TestEvent>(kafka, ds, quiet, parse, {
      consumerName: groupId,
      groupId,
      topic,
      commitIntervalMs,
      handle: async (e) => {
        applied.push(e.n);
      },
    });
  }

  it('commits the applied offsets within the interval, not only when it stops', async () => {
    const topic = await freshTopic(2);
    const groupId = `offsets-${randomUUID()}`;
    const applied: number[] = [];
    const c = consumer(topic, groupId, applied, 300);
    await c.start();
    try {
      await send(topic, events(20));
      await until(() => applied.length === 20);
      await until(async () => (await committed(groupId, topic)) === 20, 10000);
    } finally {
      await c.stop();
    }
  });

  it('commits on a clean stop what the interval had not yet', async () => {
    const topic = await freshTopic(1);
    const groupId = `offsets-${randomUUID()}`;
    const applied: number[] = [];
    const c = consumer(topic, groupId, applied, 3_600_000);
    await c.start();
    await send(topic, events(5));
    await until(() => applied.length === 5);
    expect(await committed(groupId, topic)).toBe(0);
    await c.stop();
    expect(await committed(groupId, topic)).toBe(5);

    // The next member of the group starts after them: nothing is read twice.
    const again: number[] = [];
    const next = consumer(topic, groupId, again, 3_600_000);
    await next.start();
    try {
      await send(topic, events(1, 100));
      await until(() => again.length >= 1);
      expect(again).toEqual([100]);
    } finally {
      await next.stop();
    }
  });

  it('after a crash (no commit), the next member reads the uncommitted events again and the inbox skips them', async () => {
    const topic = await freshTopic(1);
    const groupId = `offsets-${randomUUID()}`;
    const applied: number[] = [];
    const crashed = consumer(topic, groupId, applied, 3_600_000);
    await crashed.start();
    await send(topic, events(4));
    await until(() => applied.length === 4);
    // A crash: the process goes away without the final commit (its Kafka session just ends).
    const raw = (crashed as unknown as { consumer: { disconnect(): Promise<void> } }).consumer;
    (crashed as unknown as { commit: () => Promise<void> }).commit = async () => undefined;
    await raw.disconnect();
    expect(await committed(groupId, topic)).toBe(0);

    const next = consumer(topic, groupId, applied, 300);
    await next.start();
    try {
      await send(topic, events(1, 50));
      await until(() => applied.includes(50));
      // Read again from the start, applied once: the four, then the new one.
      expect(applied).toEqual([0, 1, 2, 3, 50]);
      await until(async () => (await committed(groupId, topic)) === 5, 10000);
    } finally {
      await next.stop();
    }
  });
});
