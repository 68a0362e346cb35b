import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Kafka } from 'kafkajs';
import {
  EventConsumer,
  OutboxRelay,
  TicketLedgerRepository,
  createDataSource,
  createKafka,
  ensureTopics,
} from '../src';
import { newTicket, OPERATOR } from './fixtures';
import { TICKET_EVENTS_TOPIC, loadConfig, parseTicketEvent, topicName } from '@hotline/shared';
import type { AnyTicketEvent, PlatformConfig } from '@hotline/shared';

/** The ledger, the outbox relay and the idempotent consumer, on the real Postgres and Kafka. */
describe('ledger, outbox and inbox', () => {
  let config: PlatformConfig;
  let ds: DataSource;
  let kafka: Kafka;
  let ledger: TicketLedgerRepository;
  const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };
  const input = newTicket({
    channel: 'web',
    kind: 'consultation',
    category: 'wages',
    regionCode: 'hexi',
    title: '工资拖欠咨询',
    content: '公司拖欠三个月工资，如何维权？',
  });

  beforeAll(async () => {
    config = loadConfig(process.env);
    ds = await createDataSource(config.databaseUrl, { poolSize: 25 }).initialize();
    kafka = createKafka(config, 'ledger-test');
    ledger = new TicketLedgerRepository(ds, config.kafkaPrefix);
  });
  afterAll(async () => {
    await ds.destroy();
  });

  it('numbers concurrent tickets without gaps or repeats', async () => {
    const at = new Date('2031-03-05T02:00:00Z'); // a day no other test uses
    const results = await Promise.all(
      Array.from({ length: 20 }, () => ledger.create(input, OPERATOR, null, at)),
    );
    const seqs = results.map((r) => Number(r.ticketNo.slice(8))).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(results.every((r) => r.ticketNo.startsWith('20310305'))).toBe(true);
  });

  it('gives a number back when the transaction fails: no gap', async () => {
    const at = new Date('2031-03-06T02:00:00Z');
    await expect(
      ledger.create({ ...input, regionCode: 'no-such-region' }, OPERATOR, null, at),
    ).rejects.toThrow();
    const { ticketNo } = await ledger.create(input, OPERATOR, null, at);
    expect(ticketNo).toBe('20310306000001');
  });

  it('answers concurrent repeats of one Idempotency-Key with the first ticket, per caller', async () => {
    const key = `repeat-${randomUUID()}`;
    const results = await Promise.all(Array.from({ length: 6 }, () => ledger.create(input, OPERATOR, key)));
    const numbers = new Set(results.map((r) => r.ticketNo));
    expect(numbers.size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const [ticketNo] = [...numbers];
    const [{ n }] = await ds.query(
      `SELECT count(*)::int AS n FROM ticket.tickets WHERE request_key LIKE '%' || $1`,
      [key],
    );
    expect(n).toBe(1);
    expect(await ledger.create(input, OPERATOR, key)).toMatchObject({ ticketNo, created: false });

    // The key is scoped to the caller: another user's identical key is a request of its own.
    const other = { ...OPERATOR, userId: 'operator-2' };
    const theirs = await ledger.create(input, other, key);
    expect(theirs.created).toBe(true);
    expect(theirs.ticketNo).not.toBe(ticketNo);
    const rows = await ds.query(
      `SELECT ticket_no AS "ticketNo", created_by AS "createdBy", request_key AS "requestKey"
       FROM ticket.tickets WHERE request_key LIKE '%' || $1 ORDER BY created_by`,
      [key],
    );
    expect(rows).toEqual([
      { ticketNo, createdBy: 'operator', requestKey: `operator:${key}` },
      { ticketNo: theirs.ticketNo, createdBy: 'operator-2', requestKey: `operator-2:${key}` },
    ]);
  });

  it('records an event once, however often it is appended', async () => {
    const { ticketNo } = await ledger.create(input, OPERATOR, null);
    const event = {
      id: randomUUID(),
      type: 'ticket.signed' as const,
      ticketNo,
      occurredAt: new Date().toISOString(),
      actor: OPERATOR,
      data: { unitId: 'hrss', late: false },
      state: { status: 'signed' as const, unitId: 'hrss', assignments: [] },
    };
    const first = await ledger.append(event);
    const again = await ledger.append({ ...event, occurredAt: new Date(0).toISOString() });
    expect(again.seq).toBe(first.seq);
    expect(again.occurredAt).toBe(first.occurredAt);
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM platform.outbox WHERE event_id = $1`, [
      event.id,
    ]);
    expect(n).toBe(1);
    expect((await ledger.history(ticketNo)).map((h) => h.seq)).toEqual([1, 2]);
  });

  it('relays the outbox to Kafka in order, one relay at a time, and consumers apply each event once', async () => {
    const topic = topicName(config, TICKET_EVENTS_TOPIC);
    await ensureTopics(kafka, [topic]);
    const { ticketNo } = await ledger.create(input, OPERATOR, null);
    for (const unitId of ['a', 'b', 'c'])
      await ledger.append({
        id: randomUUID(),
        type: 'ticket.signed',
        ticketNo,
        occurredAt: new Date().toISOString(),
        actor: OPERATOR,
        state: { status: 'signed', unitId: null, assignments: [] },
        data: { unitId, late: false },
      });

    // Two relays: the advisory lock lets one publish while the other stands by.
    const r1 = new OutboxRelay(ds, kafka, quiet);
    const r2 = new OutboxRelay(ds, kafka, quiet);
    await Promise.all([r1.connect(), r2.connect()]); // producers only: the test drives tick() itself
    const [a, b] = await Promise.all([r1.tick(), r2.tick()]);
    expect(a === 0 || b === 0).toBe(true);
    while ((await r1.tick()) > 0);
    const [{ pending }] = await ds.query(
      `SELECT count(*)::int AS pending FROM platform.outbox WHERE published_at IS NULL`,
    );
    expect(pending).toBe(0);

    // A consumer that sees every message twice (a redelivery) applies each event once, in seq order.
    // Each queues an effect for after the commit: it runs once per event, sees the committed inbox
    // row from another connection, and one that fails is logged without stopping the consumer.
    const applied: number[] = [];
    const afterwards: [number, number][] = [];
    const warnings: string[] = [];
    const consumerName = `test-${randomUUID()}`;
    const consumer = new EventConsumer<AnyTicketEvent>(
      kafka,
      ds,
      { ...quiet, warn: (m) => warnings.push(m) },
      parseTicketEvent,
      {
        consumerName,
        groupId: `${config.kafkaPrefix}.ledger-test-${randomUUID()}`,
        topic,
        handle: async (e, _m, afterCommit) => {
          if (e.ticketNo !== ticketNo) return;
          applied.push(e.seq);
          afterCommit(async () => {
            if (e.seq === 2) throw new Error('the effect of seq 2 failed');
            const seen: unknown[] = await ds.query(
              `SELECT 1 FROM platform.inbox WHERE consumer = $1 AND event_id = $2`,
              [consumerName, e.id],
            );
            afterwards.push([e.seq, seen.length]);
          });
        },
      },
    );
    await consumer.start();
    const producer = kafka.producer();
    await producer.connect();
    const raw = await ds.query(
      `SELECT payload FROM platform.outbox o JOIN ticket.ticket_events e USING (event_id)
       WHERE e.ticket_no = $1 ORDER BY o.id`,
      [ticketNo],
    );
    await producer.send({
      topic,
      messages: [
        ...raw.map((r: { payload: unknown }) => ({ key: ticketNo, value: JSON.stringify(r.payload) })),
        { key: ticketNo, value: '{"not":"an event"}' },
      ],
    });
    await producer.disconnect();
    const deadline = Date.now() + 30000;
    while (Date.now() < deadline) {
      const [{ n }] = await ds.query(
        `SELECT count(*)::int AS n FROM platform.dead_letters WHERE payload = '{"not":"an event"}'`,
      );
      if (applied.length >= 4 && afterwards.length >= 3 && n >= 1) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    await consumer.stop();
    await r1.stop();
    await r2.stop();
    expect(applied).toEqual([1, 2, 3, 4]);
    expect(afterwards).toEqual([
      [1, 1],
      [3, 1],
      [4, 1],
    ]);
    expect(warnings).toEqual([expect.stringContaining('the effect of seq 2 failed')]);
    const [{ n }] = await ds.query(
      `SELECT count(*)::int AS n FROM platform.dead_letters WHERE payload = '{"not":"an event"}'`,
    );
    expect(n).toBe(1);
  });

  it('publishes a backlog of long events in sends Kafka takes: 200 at once would pass its 1 MiB limit', async () => {
    const topic = topicName(config, TICKET_EVENTS_TOPIC);
    await ensureTopics(kafka, [topic]);
    const { ticketNo } = await ledger.create(input, OPERATOR, null);
    // 40 replies of 10,000 characters (the most a reply takes), one ticket's key: ~1.2 MB.
    for (let i = 0; i < 40; i++)
      await ledger.append({
        id: randomUUID(),
        type: 'ticket.replied',
        ticketNo,
        occurredAt: new Date().toISOString(),
        actor: OPERATOR,
        state: { status: 'replied', unitId: 'hrss', assignments: [] },
        data: { unitId: 'hrss', content: '答'.repeat(10_000) },
      });
    const relay = new OutboxRelay(ds, kafka, quiet);
    await relay.connect();
    try {
      while ((await relay.tick()) > 0);
    } finally {
      await relay.stop();
    }
    const rows: { published: boolean; attempts: number }[] = await ds.query(
      `SELECT o.published_at IS NOT NULL AS published, o.attempts FROM platform.outbox o
       JOIN ticket.ticket_events e USING (event_id) WHERE e.ticket_no = $1`,
      [ticketNo],
    );
    expect(rows).toHaveLength(41);
    expect(rows.every((r) => r.published && r.attempts === 0)).toBe(true);
  });

  it('lets no message hold up its partition: a NUL byte, a bad time, a number the database refuses are dead letters', async () => {
    const topic = `${config.kafkaPrefix}.poison-test-${randomUUID()}`;
    await ensureTopics(kafka, [topic], 1);
    const { ticketNo } = await ledger.create(input, OPERATOR, null);
    const event = (seq: number, unitId: string) => ({
      id: randomUUID(),
      type: 'ticket.signed',
      version: 2,
      ticketNo,
      seq,
      occurredAt: new Date().toISOString(),
      actor: OPERATOR,
      state: { status: 'signed', unitId: null, assignments: [] },
      data: { unitId, late: false },
    });
    const applied: string[] = [];
    const consumerName = `poison-${randomUUID()}`;
    const consumer = new EventConsumer<AnyTicketEvent>(kafka, ds, quiet, parseTicketEvent, {
      consumerName,
      groupId: `${config.kafkaPrefix}.poison-test-${randomUUID()}`,
      topic,
      handle: async (e, m) => {
        // A projection writing what the database refuses as data (here a count out of range).
        if (e.type === 'ticket.signed' && e.data.unitId === 'refused')
          await m.query(`SELECT 3000000000::int`);
        applied.push(e.type === 'ticket.signed' ? e.data.unitId : e.type);
      },
    });
    await consumer.start();
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic,
      messages: [
        { key: ticketNo, value: Buffer.from('{"probe":"nul \u0000 byte"}') },
        { key: ticketNo, value: JSON.stringify({ ...event(2, 'bad-time'), occurredAt: '2026' }) },
        { key: ticketNo, value: JSON.stringify({ ...event(3, 'bad-seq'), seq: 3_000_000_000 }) },
        { key: ticketNo, value: JSON.stringify({ ...event(4, 'bad-id'), id: 'not-a-uuid' }) },
        { key: ticketNo, value: JSON.stringify(event(5, 'before')) },
        { key: ticketNo, value: JSON.stringify(event(6, 'refused')) },
        { key: ticketNo, value: JSON.stringify(event(7, 'after')) },
      ],
    });
    await producer.disconnect();
    const letters = async (): Promise<{ kafka_offset: string; payload: string }[]> =>
      ds.query(
        `SELECT kafka_offset, payload FROM platform.dead_letters WHERE consumer = $1 ORDER BY kafka_offset::int`,
        [consumerName],
      );
    const deadline = Date.now() + 30000;
    while (Date.now() < deadline && !((await letters()).length >= 5 && applied.includes('after')))
      await new Promise((r) => setTimeout(r, 200));
    await consumer.stop();
    // The batch's first try was rolled back by the refused event; then each was applied on its own.
    expect([...new Set(applied)]).toEqual(['before', 'after']);
    const dead = await letters();
    expect(dead.map((d) => d.kafka_offset)).toEqual(['0', '1', '2', '3', '5']);
    expect(dead[0]!.payload).toBe('{"probe":"nul \\u0000 byte"}');
  });
});
