import type { DataSource } from 'typeorm';
import type { Kafka } from 'kafkajs';
import type { AnyTicketEvent, PlatformConfig } from '@hotline/shared';
import { TicketEventProjection } from './ticket-event-projection';

// What the projection asks of the broker, in order (fakes: unit test only).
const calls: string[] = [];
jest.mock('../kafka/kafka', () => ({
  quietKafka: (_config: unknown, clientId: string) => {
    calls.push(`quietKafka ${clientId}`);
    return { quiet: true };
  },
  ensureTopics: async (kafka: { quiet?: boolean }, topics: string[]) => {
    calls.push(`ensureTopics ${topics.join(',')} quiet=${kafka.quiet === true}`);
  },
  groupCoordinatorReady: async (_config: unknown, groupId: string) => {
    calls.push(`groupCoordinatorReady ${groupId}`);
  },
}));
jest.mock('../kafka/event-consumer', () => ({
  EventConsumer: class {
    constructor(
      _kafka: unknown,
      _ds: unknown,
      _logger: unknown,
      _parse: unknown,
      private readonly opts: { groupId: string; topic: string },
    ) {}
    async start() {
      calls.push(`consumer.start ${this.opts.groupId} ${this.opts.topic}`);
    }
    async stop() {
      calls.push('consumer.stop');
    }
  },
}));

class LedgerProjection extends TicketEventProjection {
  protected readonly consumerName = 'ledger';
  protected async apply(_event: AnyTicketEvent): Promise<void> {}
}

describe('EventProjection start-up', () => {
  beforeEach(() => calls.splice(0));

  it('creates its topic through a quiet client, then waits for its group coordinator, then joins', async () => {
    const config = { kafkaPrefix: 'hotline', kafkaBrokers: ['127.0.0.1:9092'] } as unknown as PlatformConfig;
    const projection = new LedgerProjection({} as DataSource, {} as Kafka, config);
    await projection.onModuleInit();
    const topic = calls.find((c) => c.startsWith('consumer.start'))!.split(' ')[2];
    expect(calls).toEqual([
      'quietKafka hotline.topics',
      `ensureTopics ${topic} quiet=true`,
      'groupCoordinatorReady hotline.ledger',
      `consumer.start hotline.ledger ${topic}`,
    ]);
    await projection.onApplicationShutdown();
    expect(calls.at(-1)).toBe('consumer.stop');
  });

  it('does not join when the coordinator never answers', async () => {
    const kafka = jest.requireMock('../kafka/kafka') as { groupCoordinatorReady: unknown };
    const original = kafka.groupCoordinatorReady;
    kafka.groupCoordinatorReady = async () => {
      throw new Error('kafka: no group coordinator for hotline.ledger after 30000 ms');
    };
    try {
      const config = { kafkaPrefix: 'hotline', kafkaBrokers: [] } as unknown as PlatformConfig;
      const projection = new LedgerProjection({} as DataSource, {} as Kafka, config);
      await expect(projection.onModuleInit()).rejects.toThrow('no group coordinator');
      expect(calls.some((c) => c.startsWith('consumer.start'))).toBe(false);
    } finally {
      kafka.groupCoordinatorReady = original;
    }
  });
});
