import type { Kafka } from 'kafkajs';
import { createKafka, ensureTopics, quietKafka, waitForGroupCoordinator, waitForLeaders } from './kafka';

/** A broker's admin API as a fresh KRaft broker under load answers it (a fake: unit test only). */
function freshBroker(opts: { unknownFor: number; createFails?: boolean }) {
  const calls: string[] = [];
  let created = false;
  let metadataCalls = 0;
  const unknown = Object.assign(new Error('This server does not host this topic-partition'), {
    type: 'UNKNOWN_TOPIC_OR_PARTITION',
  });
  const admin = {
    connect: async () => undefined,
    disconnect: async () => undefined,
    // Its metadata lags: a topic just created is not listed yet.
    listTopics: async () => {
      calls.push('list');
      return [] as string[];
    },
    createTopics: async () => {
      calls.push('create');
      created = true;
      if (opts.createFails) throw unknown;
      return true;
    },
    fetchTopicMetadata: async ({ topics }: { topics: string[] }) => {
      calls.push('metadata');
      if (!created || ++metadataCalls <= opts.unknownFor) throw unknown;
      return {
        topics: topics.map((name) => ({
          name,
          partitions: [0, 1, 2].map((p) => ({ partitionId: p, leader: 1 })),
        })),
      };
    },
  };
  return { kafka: { admin: () => admin } as unknown as Kafka, calls };
}

describe('ensureTopics on a fresh broker (fake admin)', () => {
  it('waits out a create answered with UNKNOWN_TOPIC_OR_PARTITION until the topics have their leaders', async () => {
    // What a cold `npm start` met: the worker's create failed this way and the worker exited.
    const { kafka, calls } = freshBroker({ unknownFor: 2, createFails: true });
    await expect(ensureTopics(kafka, ['t.ticket-events', 't.evaluation-events'])).resolves.toBeUndefined();
    expect(calls).toEqual(['list', 'create', 'metadata', 'metadata', 'metadata']);
  });

  it('waits while the topics it created are not known yet', async () => {
    const { kafka, calls } = freshBroker({ unknownFor: 1 });
    await ensureTopics(kafka, ['t.a']);
    expect(calls).toEqual(['list', 'create', 'metadata', 'metadata']);
  });
});

describe('waitForLeaders', () => {
  const leaders = (l: number[]) => ({
    topics: [{ name: 'a', partitions: l.map((leader, partitionId) => ({ partitionId, leader })) }],
  });

  it('waits until every partition has a leader', async () => {
    const answers = [leaders([1, -1]), leaders([1, 1])];
    let n = 0;
    const admin = { fetchTopicMetadata: async () => answers[n++] } as never;
    await waitForLeaders(admin, ['a'], null, 1000, 1);
    expect(n).toBe(2);
  });

  it('gives up after its limit, naming the create’s error', async () => {
    const admin = {
      fetchTopicMetadata: async () => {
        throw new Error('This server does not host this topic-partition');
      },
    } as never;
    await expect(waitForLeaders(admin, ['a'], new Error('broker refused the create'), 20, 5)).rejects.toThrow(
      /topics a have no leader after 20 ms: broker refused the create/,
    );
    await expect(waitForLeaders(admin, ['a'], null, 20, 5)).rejects.toThrow(
      /does not host this topic-partition/,
    );
  });
});

describe('waitForGroupCoordinator on a fresh broker (fake admin)', () => {
  /** How a freshly formatted broker answers for a group: not available, then loading, then the group. */
  function coordinator(answers: string[]) {
    const calls: string[][] = [];
    const admin = {
      describeGroups: async (groupIds: string[]) => {
        calls.push(groupIds);
        const type = answers.shift();
        if (type) throw Object.assign(new Error(`broker says ${type}`), { type, retriable: true });
        return { groups: groupIds.map((groupId) => ({ groupId, state: 'Empty', members: [] })) };
      },
    };
    return { admin, calls };
  }

  it('asks again until the coordinator has loaded, then returns', async () => {
    const { admin, calls } = coordinator(['GROUP_COORDINATOR_NOT_AVAILABLE', 'COORDINATOR_LOAD_IN_PROGRESS']);
    await expect(waitForGroupCoordinator(admin as never, 'p.desk', 1000, 1)).resolves.toBeUndefined();
    expect(calls).toEqual([['p.desk'], ['p.desk'], ['p.desk']]);
  });

  it('asks once when the coordinator answers at once', async () => {
    const { admin, calls } = coordinator([]);
    await waitForGroupCoordinator(admin as never, 'p.desk', 1000, 1);
    expect(calls).toHaveLength(1);
  });

  it('past its limit throws, naming the group and the broker answer', async () => {
    const { admin } = coordinator(Array(1000).fill('COORDINATOR_LOAD_IN_PROGRESS'));
    await expect(waitForGroupCoordinator(admin as never, 'p.desk', 20, 1)).rejects.toThrow(
      /no group coordinator for p\.desk after 20 ms: broker says COORDINATOR_LOAD_IN_PROGRESS/,
    );
  });
});

describe('quietKafka', () => {
  const config = { kafkaBrokers: ['127.0.0.1:9092'] };
  afterEach(() => jest.restoreAllMocks());

  it('logs nothing, not even an error (the startup waits out what the broker answers)', () => {
    const spies = (['error', 'warn', 'info', 'log'] as const).map((m) =>
      jest.spyOn(console, m).mockImplementation(() => undefined),
    );
    const logger = quietKafka(config, 'test-quiet').logger();
    logger.error('The group coordinator is not available', { groupId: 'g' });
    logger.warn('loading');
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
  });

  it('unlike the services’ own client, which logs warnings and errors', () => {
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const logger = createKafka(config, 'test-loud').logger();
    logger.error('The group coordinator is not available', { groupId: 'g' });
    logger.warn('loading');
    expect(error).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledTimes(1);
  });
});
