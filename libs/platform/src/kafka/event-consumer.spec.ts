import type { DataSource } from 'typeorm';
import type { Kafka } from 'kafkajs';
import { CONSUMER_MAX_WAIT_MS, EventConsumer, isDataError, stalledConsumers } from './event-consumer';

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

/** A Kafka client that hands the test the consumer's batch handler (a fake: unit test only). */
function capturingKafka() {
  let handler: ((payload: unknown) => Promise<void>) | null = null;
  const kafka = {
    consumer: () => ({
      connect: async () => undefined,
      subscribe: async () => undefined,
      run: async (config: { eachBatch: (payload: unknown) => Promise<void> }) => {
        handler = config.eachBatch;
      },
    }),
  } as unknown as Kafka;
  return { kafka, eachBatch: () => handler! };
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

  it('runs the effects after the commit, heard from by the group between each (one may wait on a workflow)', async () => {
    const { kafka, eachBatch } = capturingKafka();
    const steps: string[] = [];
    const ds = {
      transaction: async (work: (m: unknown) => Promise<void>) => {
        await work({
          query: async (_sql: string, params: unknown[]) =>
            (params[1] as string[]).map((id) => ({ event_id: id })),
        });
        steps.push('commit');
      },
    } as unknown as DataSource;
    const log = {
      log: () => undefined,
      warn: (m: string) => steps.push(`warn ${m}`),
      error: () => undefined,
    };
    const c = new EventConsumer(kafka, ds, log as never, (raw) => raw as { id: string; type: string }, {
      consumerName: 'test.projection',
      groupId: 'p.test.projection',
      topic: 'p.ticket-events.v1',
      handle: async (e, _m, afterCommit) => {
        steps.push(`apply ${e.id}`);
        afterCommit(async () => {
          steps.push(`effect ${e.id}`);
          if (e.id === 'a') throw new Error('the workflow did not take it');
        });
      },
    });
    await c.start();
    const message = (id: string, offset: string) => ({
      offset,
      value: Buffer.from(JSON.stringify({ id, type: 't' })),
    });
    await eachBatch()({
      batch: { topic: 'p.ticket-events.v1', partition: 0, messages: [message('a', '1'), message('b', '2')] },
      resolveOffset: (o: string) => steps.push(`resolve ${o}`),
      heartbeat: async () => void steps.push('heartbeat'),
    });
    expect(steps).toEqual([
      'apply a',
      'apply b',
      'commit',
      'effect a',
      'warn after the commit of test.projection: the workflow did not take it',
      'heartbeat',
      'effect b',
      'heartbeat',
      'resolve 1',
      'resolve 2',
      'heartbeat',
    ]);
  });

  it('shows a consumer whose batch keeps failing as stalled until one goes through', async () => {
    const { kafka, eachBatch } = capturingKafka();
    let down = true;
    const ds = {
      transaction: async (work: (m: unknown) => Promise<void>) => {
        if (down) throw Object.assign(new Error('connection refused'), { code: 'ECONNREFUSED' });
        await work({
          query: async (_sql: string, params: unknown[]) =>
            (params[1] as string[]).map((id) => ({ event_id: id })),
        });
      },
    } as unknown as DataSource;
    const log = { log: () => undefined, warn: () => undefined, error: () => undefined };
    const c = new EventConsumer(kafka, ds, log as never, (raw) => raw as { id: string; type: string }, {
      consumerName: 'test.stalled',
      groupId: 'p.test.stalled',
      topic: 'p.ticket-events.v1',
      handle: async () => undefined,
    });
    await c.start();
    const batch = {
      batch: {
        topic: 'p.ticket-events.v1',
        partition: 2,
        messages: [{ offset: '7', value: Buffer.from(JSON.stringify({ id: 'a', type: 't' })) }],
      },
      resolveOffset: () => undefined,
      heartbeat: async () => undefined,
    };
    // The database down: not a dead letter, the batch is tried again (a throw to kafkajs).
    await expect(eachBatch()(batch)).rejects.toThrow('connection refused');
    const first = stalledConsumers().find((x) => x.consumer === 'test.stalled');
    expect(first).toMatchObject({ topic: 'p.ticket-events.v1', partition: 2, error: 'connection refused' });
    await expect(eachBatch()(batch)).rejects.toThrow();
    expect(stalledConsumers().find((x) => x.consumer === 'test.stalled')?.since).toBe(first!.since);
    down = false;
    await eachBatch()(batch);
    expect(stalledConsumers().find((x) => x.consumer === 'test.stalled')).toBeUndefined();
  });

  it('takes as data errors only what fails the same way every time: class 22 and schema checks', () => {
    expect(isDataError({ driverError: { code: '22003' } })).toBe(true);
    expect(isDataError({ code: '22021' })).toBe(true);
    expect(isDataError({ code: '40001' })).toBe(false); // a serialization failure: try again
    expect(isDataError({ code: '23505' })).toBe(false);
    expect(isDataError(new Error('connection terminated'))).toBe(false);
    expect(isDataError(null)).toBe(false);
  });
});
