import { Kafka, logLevel } from 'kafkajs';
import type { Admin } from 'kafkajs';
import type { PlatformConfig } from '@hotline/shared';

// kafkajs 2 warns about its default partitioner on every producer; ours is the default on purpose.
process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';

export function createKafka(config: Pick<PlatformConfig, 'kafkaBrokers'>, clientId: string): Kafka {
  return new Kafka({
    clientId,
    brokers: config.kafkaBrokers,
    logLevel: logLevel.WARN,
    retry: { initialRetryTime: 200, retries: 10 },
  });
}

/**
 * Creates the topics if missing, and returns once every partition of each has its leader.
 * Partitions: a ticket's events share a key, so they keep order.
 */
export async function ensureTopics(kafka: Kafka, topics: string[], numPartitions = 3): Promise<void> {
  const admin: Admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t));
    if (missing.length > 0) {
      try {
        await admin.createTopics({
          waitForLeaders: true,
          topics: missing.map((topic) => ({ topic, numPartitions, replicationFactor: 1 })),
        });
      } catch (err) {
        // Another service created it between our list and our create: that is the goal anyway.
        const now = new Set(await admin.listTopics());
        if (!missing.every((t) => now.has(t))) throw err;
      }
    }
    // A topic another process has just created is listed before its partitions have a leader: a
    // consumer subscribing then fails with "does not host this topic-partition". Wait for them,
    // whoever created the topic (one metadata request when they are there).
    await waitForLeaders(admin, topics);
  } finally {
    await admin.disconnect();
  }
}

/** Waits (up to `timeoutMs`) until every partition of the topics has a leader. */
async function waitForLeaders(admin: Admin, topics: string[], timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      const { topics: meta } = await admin.fetchTopicMetadata({ topics });
      if (meta.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return;
    } catch (err) {
      if (Date.now() > until) throw err;
    }
    if (Date.now() > until)
      throw new Error(`kafka: topics ${topics.join(', ')} have no leader after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
