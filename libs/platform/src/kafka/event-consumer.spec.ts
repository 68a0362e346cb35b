import type { DataSource } from 'typeorm';
import type { Kafka } from 'kafkajs';
import { CONSUMER_MAX_WAIT_MS, EventConsumer } from './event-consumer';

/** A Kafka client that records how the consumer was asked for (a fake: unit test only). */
function recordingKafka() {
  const asked: Record<string, unknown>[] = [];
  const kafka = {
    consumer: (config: Record<string, unknown>) => {
      asked.push(config);
      return { connect: async () => undefined, subscribe: async () => undefined, run: async () => undefined };
    },
  } as unknown as Kafka;
  return { kafka, asked };
}

describe('EventConsumer', () => {
  it('fetches events in batches (64 KiB or 200 ms), not one fetch, transaction and commit per event', async () => {
    const { kafka, asked } = recordingKafka();
    const log = { log: () => undefined, warn: () => undefined, error: () => undefined };
    const c = new EventConsumer(
      kafka,
      {} as DataSource,
      log as never,
      (raw) => raw as { id: string; type: string },
      {
        consumerName: 'test.projection',
        groupId: 'p.test.projection',
        topic: 'p.ticket-events.v1',
        handle: async () => undefined,
      },
    );
    await c.start();
    expect(asked).toEqual([
      expect.objectContaining({
        groupId: 'p.test.projection',
        allowAutoTopicCreation: false,
        minBytes: 64 * 1024,
        maxWaitTimeInMs: CONSUMER_MAX_WAIT_MS,
      }),
    ]);
    expect(CONSUMER_MAX_WAIT_MS).toBe(200);
  });
});
