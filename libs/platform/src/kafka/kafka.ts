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

/** Creates the topics if missing. Partitions: a ticket's events share a key, so they keep order. */
export async function ensureTopics(kafka: Kafka, topics: string[], numPartitions = 3): Promise<void> {
  const admin: Admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t));
    if (missing.length === 0) return;
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
  } finally {
    await admin.disconnect();
  }
}
