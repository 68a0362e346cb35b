// npm run bench: figures for the write path every ticket takes, on the real Postgres and Kafka.
//   1. intake: ticket + gapless number + history event + outbox row, in one transaction
//   2. relay: outbox rows published to Kafka
//   3. search: the ledger searched by its words and respondent among BENCH_SEARCH_TICKETS tickets
//   4. archive: those tickets closed with a history of 8 events each, their year sealed and checked
// Prints tickets/s, events/s, latency percentiles and memory. A benchmark prints; it never fails
// on a number (targets are read by people, not asserted).
const { Client } = require('pg');
const { randomBytes, randomUUID } = require('node:crypto');
const {
  createDataSource,
  runMigrations,
  seedDemoCity,
  TicketLedgerRepository,
  ArchiveRepository,
  PiiCipher,
  OutboxRelay,
  createKafka,
  ensureTopics,
} = require('../../libs/platform/dist');
const { loadConfig, topicName, TICKET_EVENTS_TOPIC } = require('../../libs/shared/dist');

const TICKETS = Number(process.env.BENCH_TICKETS || 3000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY || 16);
const SEARCH_TICKETS = Number(process.env.BENCH_SEARCH_TICKETS || 100000);

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const mib = (b) => `${(b / 1024 / 1024).toFixed(0)} MiB`;

async function main() {
  const base = loadConfig({
    ...process.env,
    JWT_SECRET: process.env.JWT_SECRET || randomBytes(32).toString('base64'),
    HOTLINE_ENV: 'test',
  });
  const db = `hotline_bench_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: base.databaseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${db}`);
  const url = new URL(base.databaseUrl);
  url.pathname = `/${db}`;
  const config = { ...base, databaseUrl: url.toString(), kafkaPrefix: `bench-${Date.now().toString(36)}` };
  console.log(`bench: database ${db}, ${TICKETS} tickets, concurrency ${CONCURRENCY}`);
  await runMigrations(config.databaseUrl);
  const ds = await createDataSource(config.databaseUrl, { poolSize: CONCURRENCY + 4 }).initialize();
  try {
    await seedDemoCity(ds);
    // The complainant's name and phone are encrypted on the way in, as in the services.
    const pii = new PiiCipher({ keys: [['bench', randomBytes(32)]], indexKey: randomBytes(32) });
    const ledger = new TicketLedgerRepository(ds, config.kafkaPrefix, pii);
    const actor = { kind: 'user', userId: 'operator', role: 'operator' };
    const input = {
      channel: 'phone',
      kind: 'complaint',
      category: 'road',
      regionCode: 'gulou',
      title: '路面破损',
      content: '中山路128号门前人行道地砖松动多块，请尽快维修。',
      address: null,
      complainantName: '张先生',
      complainantPhone: '13800138000',
      confidential: false,
      respondent: null,
      demand: null,
    };
    const latencies = [];
    let next = 0;
    let done = 0;
    const started = Date.now();
    const progress = setInterval(() => console.log(`bench:   intake ${done}/${TICKETS}`), 2000);
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < TICKETS) {
          next++;
          const t0 = process.hrtime.bigint();
          await ledger.create(input, actor, randomUUID());
          latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
          done++;
        }
      }),
    );
    clearInterval(progress);
    const secs = (Date.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    console.log(
      `bench: intake   ${(TICKETS / secs).toFixed(0)} tickets/s  p50 ${pct(latencies, 50).toFixed(1)} ms  p95 ${pct(latencies, 95).toFixed(1)} ms  p99 ${pct(latencies, 99).toFixed(1)} ms`,
    );

    const kafka = createKafka(config, 'bench');
    await ensureTopics(kafka, [topicName(config, TICKET_EVENTS_TOPIC)]);
    const quiet = { log() {}, warn: console.warn, error: console.error };
    const relay = new OutboxRelay(ds, kafka, quiet, { batchSize: 500 });
    await relay.connect();
    const r0 = Date.now();
    let relayed = 0;
    for (let n; (n = await relay.tick()) > 0;) {
      relayed += n;
      if (relayed % 5000 < 500) console.log(`bench:   relay ${relayed}/${TICKETS}`);
    }
    const rs = (Date.now() - r0) / 1000;
    await relay.stop();
    console.log(`bench: relay    ${(relayed / rs).toFixed(0)} events/s to Kafka (${relayed} events)`);
    await searchBench(ds, ledger);
    await archiveBench(ds);
    const mem = process.memoryUsage();
    console.log(`bench: memory   rss ${mib(mem.rss)}  heap ${mib(mem.heapUsed)}`);
  } finally {
    await ds.destroy();
    await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    await admin.end();
  }
}

/** Words a hotline hears every day, so that common pairs of characters are common here too. */
const PHRASES = [
  '噪音扰民',
  '井盖缺失',
  '路灯不亮',
  '小区停水',
  '物业收费',
  '违章停车',
  '垃圾清运',
  '施工扬尘',
];

/**
 * The ledger's search (q, respondent) among SEARCH_TICKETS more tickets, registered here in bulk
 * through SQL (the trigger enters their words as it does for every ticket): the median and the
 * slowest of 20 searches for a common two-character word, a rare word, a respondent and a
 * one-character word (which no index helps), each a page of 20 and the count of all matches.
 */
async function searchBench(ds, ledger) {
  const chunk = 10000;
  const t0 = Date.now();
  for (let from = 1; from <= SEARCH_TICKETS; from += chunk) {
    const to = Math.min(SEARCH_TICKETS, from + chunk - 1);
    await ds.query(
      `INSERT INTO ticket.tickets (ticket_no, channel, kind, category, region_code, title, content,
         respondent, status, created_by)
       SELECT '9' || lpad(i::text, 13, '0'), 'phone', 'complaint', 'road', 'gulou',
         ($3::text[])[1 + i % 8] || '问题反映',
         ($3::text[])[1 + (i * 7) % 8] || '，' || ($3::text[])[1 + (i * 13) % 8] || '，编号' || md5(i::text) || '。',
         CASE WHEN i % 10 = 0 THEN '某某物业服务有限公司' || (i % 1000) END, 'closed', 'bench'
       FROM generate_series($1::int, $2::int) i`,
      [from, to, PHRASES],
    );
    console.log(`bench:   search: ${to}/${SEARCH_TICKETS} tickets registered`);
  }
  const perTicket = ((Date.now() - t0) / SEARCH_TICKETS).toFixed(2);
  await ds.query('ANALYZE ticket.tickets');
  await ds.query('ANALYZE ticket.ticket_texts');
  const rare = (await ds.query(`SELECT substr(md5('4242'), 1, 8) AS w`))[0].w;
  const cases = [
    ['a common two-character word (停水)', { words: ['停水'] }],
    [`a rare word (${rare})`, { words: [rare] }],
    ['two words (噪音, 扬尘)', { words: ['噪音', '扬尘'] }],
    ['a respondent (物业服务有限公司42)', { respondent: '物业服务有限公司42' }],
    ['a one-character word (灯; no index)', { words: ['灯'] }],
  ];
  console.log(`bench: search   ${SEARCH_TICKETS} tickets registered, ${perTicket} ms each with their words`);
  for (const [what, filter] of cases) {
    const times = [];
    let total = 0;
    for (let k = 0; k < 20; k++) {
      const s0 = process.hrtime.bigint();
      total = (await ledger.list({ ...filter, limit: 20, offset: 0 })).total;
      times.push(Number(process.hrtime.bigint() - s0) / 1e6);
    }
    times.sort((a, b) => a - b);
    console.log(
      `bench: search   ${what}: ${total} found, p50 ${pct(times, 50).toFixed(1)} ms, max ${times[times.length - 1].toFixed(1)} ms`,
    );
  }
}

/** A closed ticket's usual history: what the archive's record of each ticket holds. */
const HISTORY = [
  [
    'ticket.created',
    '{"kind":"user","role":"operator","userId":"operator"}',
    '{"channel":"phone","kind":"complaint","category":"road","regionCode":"gulou","disposition":"dispatch"}',
  ],
  [
    'ticket.dispatched',
    '{"kind":"system"}',
    '{"unitId":"transport","assistingUnitIds":[],"signDueAt":"2025-06-01T01:00:00.000Z","replyDueAt":"2025-06-01T12:00:00.000Z","policyId":"sq-default"}',
  ],
  [
    'ticket.signed',
    '{"kind":"user","role":"unit_clerk","unitId":"transport","userId":"clerk.transport"}',
    '{"late":false,"unitId":"transport"}',
  ],
  [
    'ticket.replied',
    '{"kind":"user","role":"unit_clerk","unitId":"transport","userId":"clerk.transport"}',
    '{"unitId":"transport","reply":"经现场核查，已安排维修人员于当日更换松动地砖，现已修复完毕，道路通行恢复正常。"}',
  ],
  ['ticket.reply_accepted', '{"kind":"user","role":"reviewer","userId":"reviewer"}', '{"findings":[]}'],
  ['ticket.callback_sms_sent', '{"kind":"system"}', '{"attempt":1}'],
  ['ticket.satisfaction_recorded', '{"kind":"system"}', '{"via":"sms","satisfaction":"satisfied"}'],
  ['ticket.closed', '{"kind":"system"}', '{"satisfaction":"satisfied"}'],
];

/**
 * The yearly archive's seal (one request, one transaction) and its check over the search's
 * tickets, each given the 8 events of a closed simple course in 2025: the seconds each takes and
 * the milliseconds per record, for reckoning a real year's volume.
 */
async function archiveBench(ds) {
  const chunk = 10000;
  const t0 = Date.now();
  for (let from = 1; from <= SEARCH_TICKETS; from += chunk) {
    const to = Math.min(SEARCH_TICKETS, from + chunk - 1);
    await ds.query(
      `INSERT INTO ticket.ticket_events (event_id, ticket_no, seq, type, actor, data, occurred_at, state)
       SELECT gen_random_uuid(), '9' || lpad(i::text, 13, '0'), k, ($3::text[])[k], ($4::text[])[k]::jsonb,
         ($5::text[])[k]::jsonb, timestamptz '2025-06-01 00:00+08' + i * interval '2 minutes' + k * interval '1 hour',
         '{"status":"closed","unitId":"transport","assignments":[{"role":"lead","status":"replied","unitId":"transport"}]}'
       FROM generate_series($1::int, $2::int) i, generate_series(1, 8) k`,
      [from, to, HISTORY.map((h) => h[0]), HISTORY.map((h) => h[1]), HISTORY.map((h) => h[2])],
    );
    console.log(`bench:   archive: ${to}/${SEARCH_TICKETS} histories entered`);
  }
  console.log(
    `bench: archive  ${SEARCH_TICKETS * 8} events entered in ${((Date.now() - t0) / 1000).toFixed(0)} s`,
  );
  const archives = new ArchiveRepository(ds);
  const s0 = Date.now();
  const { archive } = await archives.seal(2025, 'bench');
  const sealed = (Date.now() - s0) / 1000;
  console.log(
    `bench: archive  sealed ${archive.ticketCount} records in ${sealed.toFixed(1)} s (${((sealed * 1000) / archive.ticketCount).toFixed(2)} ms each)`,
  );
  const v0 = Date.now();
  const check = await archives.verify(2025);
  const checked = (Date.now() - v0) / 1000;
  console.log(
    `bench: archive  checked in ${checked.toFixed(1)} s (${((checked * 1000) / archive.ticketCount).toFixed(2)} ms each), root intact: ${check.rootIntact}`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
