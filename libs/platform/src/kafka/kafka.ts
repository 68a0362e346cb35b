import { Kafka, logLevel } from 'kafkajs';
import type { Admin, KafkaConfig, SASLOptions } from 'kafkajs';
import type { PlatformConfig } from '@hotline/shared';

// kafkajs 2 warns about its default partitioner on every producer; ours is the default on purpose.
process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';

const RETRY = { initialRetryTime: 200, retries: 10 };

/** How the platform reaches Kafka: its brokers and, where configured, TLS and a SASL login. */
export type KafkaConnection = Pick<PlatformConfig, 'kafkaBrokers'> &
  Partial<Pick<PlatformConfig, 'kafkaSsl' | 'kafkaSasl'>>;

/** The connection's options as kafkajs takes them. */
export function kafkaConnectionOptions(
  config: KafkaConnection,
): Pick<KafkaConfig, 'brokers' | 'ssl' | 'sasl'> {
  const { kafkaSasl: sasl } = config;
  return {
    brokers: config.kafkaBrokers,
    ...(config.kafkaSsl ? { ssl: true } : {}),
    ...(sasl
      ? {
          sasl: {
            mechanism: sasl.mechanism,
            username: sasl.username,
            password: sasl.password,
          } as SASLOptions,
        }
      : {}),
  };
}

export function createKafka(config: KafkaConnection, clientId: string): Kafka {
  return new Kafka({
    clientId,
    ...kafkaConnectionOptions(config),
    logLevel: logLevel.WARN,
    retry: RETRY,
  });
}

/**
 * A client for the startup's admin requests (topics, the group coordinator), logging nothing: there
 * the broker's transient answers are expected (another process created the topic first, a fresh
 * broker's coordinator still loading), and they are waited out or thrown with their cause. The
 * services' own clients keep logging what goes wrong while they run.
 */
export function quietKafka(config: KafkaConnection, clientId: string): Kafka {
  return new Kafka({
    clientId,
    ...kafkaConnectionOptions(config),
    logLevel: logLevel.NOTHING,
    retry: RETRY,
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
    let createError: unknown = null;
    if (missing.length > 0) {
      try {
        await admin.createTopics({
          waitForLeaders: false,
          topics: missing.map((topic) => ({ topic, numPartitions, replicationFactor: 1 })),
        });
      } catch (err) {
        // Another process created one between our list and our create (that is the goal anyway),
        // or the broker answered before its metadata knew the new topics (a fresh KRaft broker
        // under load says UNKNOWN_TOPIC_OR_PARTITION for a moment): the wait below settles it.
        createError = err;
      }
    }
    // A topic just created, by us or by another process, is listed before its partitions have a
    // leader: a consumer subscribing then fails with "does not host this topic-partition". Wait for
    // them (one metadata request when they are there).
    await waitForLeaders(admin, topics, createError);
  } finally {
    await admin.disconnect();
  }
}

/**
 * Waits (up to `timeoutMs`) until every partition of the topics has a leader; any error meanwhile
 * (a topic not known yet) is retried. Past the limit it throws the create's error, if there was one.
 */
export async function waitForLeaders(
  admin: Pick<Admin, 'fetchTopicMetadata'>,
  topics: string[],
  createError: unknown = null,
  timeoutMs = 30_000,
  pauseMs = 200,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  let last: unknown = null;
  for (;;) {
    try {
      const { topics: meta } = await admin.fetchTopicMetadata({ topics });
      if (
        meta.length === topics.length &&
        meta.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))
      )
        return;
    } catch (err) {
      last = err;
    }
    if (Date.now() > until) {
      const cause = createError ?? last;
      throw new Error(
        `kafka: topics ${topics.join(', ')} have no leader after ${timeoutMs} ms` +
          (cause ? `: ${(cause as Error).message ?? String(cause)}` : ''),
        { cause },
      );
    }
    await new Promise((r) => setTimeout(r, pauseMs));
  }
}

/**
 * Waits (up to `timeoutMs`) until the broker's group coordinator answers for `groupId`. A freshly
 * formatted broker creates its offsets topic on the first such request, and answers "not available",
 * then "loading", for a moment: a consumer joining then crashes and restarts, and kafkajs logs each
 * step as an ERROR that a new user cannot tell from a real fault. Past the limit it throws, naming
 * the broker's last answer.
 */
export async function waitForGroupCoordinator(
  admin: Pick<Admin, 'describeGroups'>,
  groupId: string,
  timeoutMs = 30_000,
  pauseMs = 200,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      await admin.describeGroups([groupId]);
      return;
    } catch (err) {
      if (Date.now() > until)
        throw new Error(
          `kafka: no group coordinator for ${groupId} after ${timeoutMs} ms: ${(err as Error).message ?? String(err)}`,
          { cause: err },
        );
    }
    await new Promise((r) => setTimeout(r, pauseMs));
  }
}

/**
 * The wait above, asked through a quiet client of its own (quietKafka).
 */
export async function groupCoordinatorReady(
  config: Pick<PlatformConfig, 'kafkaBrokers'>,
  groupId: string,
): Promise<void> {
  const admin = quietKafka(config, 'hotline-coordinator-wait').admin();
  await admin.connect();
  try {
    await waitForGroupCoordinator(admin, groupId);
  } finally {
    await admin.disconnect();
  }
}
