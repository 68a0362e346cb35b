import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { loadConfig } from '@hotline/shared';
import { createKafka, ensureTopics } from '../src';

/**
 * The services start side by side and each makes sure its topics exist. Whoever created a topic,
 * each caller may subscribe and produce the moment ensureTopics returns: every partition has its
 * leader by then (a consumer subscribing earlier crashed the service at startup).
 */
describe('ensureTopics (real Kafka)', () => {
  const config = loadConfig(process.env);
  const clients: Kafka[] = [];
  const topics: string[] = [];

  afterAll(async () => {
    const admin = createKafka(config, 'topics-test-cleanup').admin();
    await admin.connect();
    await admin.deleteTopics({ topics }).catch(() => undefined);
    await admin.disconnect();
  });

  it('gives every concurrent caller a topic whose partitions all have a leader', async () => {
    const topic = `${config.kafkaPrefix}.topics-test-${randomUUID()}`;
    topics.push(topic);
    for (let i = 0; i < 4; i++) clients.push(createKafka(config, `topics-test-${i}`));

    const seen = await Promise.all(
      clients.map(async (kafka) => {
        await ensureTopics(kafka, [topic], 3);
        // Right after this caller's return, not after everyone's.
        const admin = kafka.admin();
        await admin.connect();
        try {
          const { topics: meta } = await admin.fetchTopicMetadata({ topics: [topic] });
          return meta[0].partitions.map((p) => p.leader);
        } finally {
          await admin.disconnect();
        }
      }),
    );
    for (const leaders of seen) {
      expect(leaders).toHaveLength(3);
      expect(leaders.every((l) => l >= 0)).toBe(true);
    }

    // And a message goes through at once.
    const producer = clients[0].producer();
    await producer.connect();
    try {
      const [sent] = await producer.send({ topic, messages: [{ key: 'k', value: 'v' }] });
      expect(sent.errorCode).toBe(0);
    } finally {
      await producer.disconnect();
    }
  });

  it('returns at once for topics that exist, and creates only the missing ones', async () => {
    const a = `${config.kafkaPrefix}.topics-test-${randomUUID()}`;
    const b = `${config.kafkaPrefix}.topics-test-${randomUUID()}`;
    topics.push(a, b);
    const kafka = createKafka(config, 'topics-test-mixed');
    await ensureTopics(kafka, [a]);
    await ensureTopics(kafka, [a, b], 2);
    const admin = kafka.admin();
    await admin.connect();
    try {
      const { topics: meta } = await admin.fetchTopicMetadata({ topics: [a, b] });
      const partitions = Object.fromEntries(meta.map((t) => [t.name, t.partitions.length]));
      expect(partitions).toEqual({ [a]: 3, [b]: 2 });
    } finally {
      await admin.disconnect();
    }
  });
});
