// npm run bench: the whole ticket lifecycle over the public APIs, against the platform as it runs
// in production: the four built services and the worker as separate processes on the real
// Postgres, Kafka and Temporal, with a database, Kafka prefix, namespace and task queue of the
// run's own (created, migrated and seeded here; removed at the end).
//
//   0. idle        BENCH_IDLE_SECONDS (20) with no load: the CPU the platform spends at rest
//   1. intake      POST /api/v1/tickets, BENCH_TICKETS (1,000) at BENCH_CONCURRENCY (16):
//                  tickets/s and latency; then how long the workflows take to dispatch them
//   1b. rate       BENCH_TICKETS more sent on a clock at BENCH_INTAKE_RATE (100) a second, whatever
//                  the answers (an open loop): tickets/s answered and latency from when each was due,
//                  the figures the target (>= 100 tickets/s, p99 <= 100 ms) is read from
//   2. lifecycle   the simple course, one loop per concurrent caller: create at intake → the
//                  unit's clerk signs (as soon as the ticket is on its desk) → replies → the
//                  reviewer approves → the SMS gateway answers satisfied → closed. Tickets closed
//                  per second (first create to last close) and latency of each action
//   3. ceiling     a bare Temporal workflow with the same four updates (workflows/src/bench/
//                  ceiling.workflow.ts) on its own task queue and a worker inside this process:
//                  what Temporal alone allows on this machine; lifecycle / ceiling
//   4. one ticket  its Temporal history: events, state transitions, activity tasks
//   5. open        BENCH_OPEN tickets (default 0: skipped; the target is 100,000) left open on
//                  their timers: how long dispatching them takes, and the worker's memory after
//
// BENCH_PHASES=rate,lifecycle runs only those phases. The report ends with the issue's targets
// (#6 §5), each with what was measured and whether it was met.
//
// CPU seconds and peak memory of every process are sampled from /proc during the run. Prints a
// table; writes JSON and an SVG bar chart to reports/bench/. A benchmark prints figures, it never
// fails on a number: only a platform that cannot start ends it with an error.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { setTimeout: sleep } = require('node:timers/promises');
const { performance } = require('node:perf_hooks');
const { startPlatform, ROOT } = require('./lib/platform');
const { request, login, close: closeHttp } = require('./lib/http');
const { ProcSampler, findStackProcesses } = require('./lib/proc');
const { latencyStats, progress, table, svgChart } = require('./lib/report');

const int = (name, dflt) => {
  const v = Number(process.env[name] ?? dflt);
  return Number.isInteger(v) && v >= 0 ? v : dflt;
};
const TICKETS = int('BENCH_TICKETS', 1000);
const CONCURRENCY = Math.max(1, int('BENCH_CONCURRENCY', 16));
const OPEN = int('BENCH_OPEN', 0);
/**
 * The open tickets' sign limit in hours (default 24; 0: the active policy as it is). Under SQ the
 * first reminder of a ticket fires 30 minutes after it was created; a run that starts 100,000
 * workflows takes longer than that, and their reminders and deadlines would become the load it
 * measures. A rule in the active policy set (data, as an administrator saves one) gives the open
 * tickets, sent by letter, a longer sign limit, so they are held on timers that fire after the run.
 */
const OPEN_SIGN_HOURS = int('BENCH_OPEN_SIGN_HOURS', 24);
/** Tickets per second offered to intake in the rate phase (open loop: sent on a clock, not in turn). */
const RATE = Math.max(1, int('BENCH_INTAKE_RATE', 100));
const PHASES = ['idle', 'intake', 'rate', 'lifecycle', 'ceiling', 'open'];
const IDLE_SECONDS = int('BENCH_IDLE_SECONDS', 20);
/** BENCH_PHASES=rate,lifecycle runs only those phases (default: all; open needs BENCH_OPEN too). */
const RUN = new Set(
  (process.env.BENCH_PHASES || PHASES.join(','))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);
for (const p of RUN)
  if (!PHASES.includes(p)) throw new Error(`BENCH_PHASES: no phase "${p}" (${PHASES.join(', ')})`);
/** The issue's targets (#6 §5), checked in the report. */
const TARGETS = {
  intakePerSecond: 100,
  intakeP99Ms: 100,
  ratio: 0.5,
  stateTransitions: 20,
  openWorkerRssMiB: 1024,
};
const OUT = path.join(ROOT, 'reports', 'bench');
const STAMP = `${Date.now().toString(36)}${process.pid.toString(36)}`;

const TICKET = {
  channel: 'phone',
  kind: 'complaint',
  category: 'road', // the matter catalog routes road in gulou to 市交通运输局 (unit transport)
  regionCode: 'gulou',
  title: '中山路人行道破损',
  content: '中山路128号门前人行道地砖松动多块，老人路过易摔倒，请尽快维修。',
  address: '鼓楼区中山路128号',
  complainantName: '张先生',
  complainantPhone: '13800138000',
};
/**
 * Each ticket from its own caller: one phone number for all would make every ticket a repeated
 * complaint (RULES §6), and supervision would rightly raise an order on each.
 */
let callers = 0;
const ticketBody = () => ({
  ...TICKET,
  complainantPhone: `139${String(10_000_000 + (callers++ % 89_999_999))}`,
});

const REPLY = { content: '经核实，已于今日安排养护科更换破损地砖12块，现已修复完毕，恢复通行。' };

const say = (m) => console.log(`bench: ${m}`);
const now = () => performance.now();
const secs = (ms) => Math.round(ms / 10) / 100;
const perSec = (n, ms) => (ms > 0 ? Math.round((n / (ms / 1000)) * 10) / 10 : null);
const mib = (b) => (b == null ? null : Math.round(b / 1024 / 1024));

let interrupted = false; // Ctrl-C
let platform = null;
/** Loops stop early on Ctrl-C, or when a service or the worker has crashed. */
const halted = () => interrupted || Boolean(platform?.crashed);

/** Runs fn(i) for i in [0, count) on `concurrency` loops; an exception counts, it does not stop. */
async function pool(count, concurrency, fn, onError) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count && !halted()) {
        const i = next++;
        try {
          await fn(i);
        } catch (err) {
          onError(err);
        }
      }
    }),
  );
}

/** Counts failures by action and keeps a few examples for the report. */
class Failures {
  constructor() {
    this.count = 0;
    this.byAction = {};
    this.examples = [];
  }
  add(action, what) {
    this.count++;
    this.byAction[action] = (this.byAction[action] || 0) + 1;
    const b = what.body;
    const text =
      what instanceof Error
        ? what.message
        : `${what.status} ${b?.code ? `${b.code}: ${b.detail ?? b.title ?? ''}` : JSON.stringify(b).slice(0, 200)}`;
    if (this.examples.length < 8) this.examples.push(`${action}: ${text}`);
  }
  toJSON() {
    return { count: this.count, byAction: this.byAction, examples: this.examples };
  }
}

async function dispatchedTotal(ctx) {
  const r = await request('GET', `${ctx.urls.intake}/api/v1/tickets?status=dispatched&limit=1`, {
    token: ctx.tokens.operator,
  });
  if (r.status !== 200) throw new Error(`GET /api/v1/tickets?status=dispatched: ${r.status}`);
  return r.body.total;
}

/** Waits until intake counts `target` dispatched tickets; gives up after `stallMs` without progress. */
async function waitDispatched(ctx, target, label, stallMs = 120000) {
  let total = await dispatchedTotal(ctx);
  let lastChange = now();
  const t0 = now();
  const p = progress(() => `${label}: dispatched ${total}/${target}  ${secs(now() - t0)} s`);
  try {
    while (total < target && !halted()) {
      await sleep(500);
      const t = await dispatchedTotal(ctx);
      if (t !== total) lastChange = now();
      total = t;
      if (now() - lastChange > stallMs) break;
    }
  } finally {
    p.stop();
  }
  return { dispatched: total, complete: total >= target };
}

/** `n` tickets registered at intake by CONCURRENCY callers; `onCreated` gets each 201 answer. */
function createTickets(ctx, n, failures, onCreated, body = ticketBody) {
  return pool(
    n,
    CONCURRENCY,
    async () => {
      const r = await request('POST', `${ctx.urls.intake}/api/v1/tickets`, {
        token: ctx.tokens.operator,
        body: body(),
      });
      if (r.status !== 201) return failures.add('create', r);
      onCreated(r);
    },
    (err) => failures.add('create', err),
  );
}

// 1. intake ------------------------------------------------------------------------------------

async function intakePhase(ctx) {
  const lat = [];
  const failures = new Failures();
  const created = [];
  const t0 = now();
  const p = progress(
    () =>
      `intake ${lat.length}/${TICKETS}  ${perSec(lat.length, now() - t0)} tickets/s  failed ${failures.count}`,
  );
  await createTickets(ctx, TICKETS, failures, (r) => {
    lat.push(r.ms);
    created.push(r.body.ticketNo);
  });
  const wallMs = now() - t0;
  p.stop();
  // The workflows dispatch what intake registered; the next phase starts when they are done.
  const before = ctx.dispatchedBefore + (ctx.intakeCreated ?? 0);
  const w = await waitDispatched(ctx, before + created.length, 'dispatching the intake tickets');
  ctx.intakeCreated = (ctx.intakeCreated ?? 0) + created.length;
  const dispatchMs = now() - t0;
  return {
    tickets: created.length,
    seconds: secs(wallMs),
    ticketsPerSecond: perSec(created.length, wallMs),
    latencyMs: latencyStats(lat),
    allDispatchedAfterSeconds: w.complete ? secs(dispatchMs) : null,
    dispatched: w.dispatched - before,
    failures: failures.toJSON(),
  };
}

// 1b. intake at a rate --------------------------------------------------------------------------

/**
 * Intake as the hotline meets it: tickets arrive on a clock, RATE a second, whether or not the
 * earlier ones are answered (an open loop; a closed loop of 16 callers would slow its own arrivals
 * down whenever intake is slow, and hide the wait). Each latency counts from the moment the
 * ticket was due to be sent, so a stall shows in full.
 */
async function ratePhase(ctx) {
  if (!RUN.has('intake')) {
    // Not after the intake phase: warm the platform up first (connections, caches, compiled code),
    // as a platform that has been running is, and let those tickets be dispatched.
    const warm = Math.min(200, TICKETS);
    const f = new Failures();
    let n = 0;
    const p0 = progress(() => `intake warm-up ${n}/${warm}`);
    await createTickets(ctx, warm, f, () => n++);
    p0.stop();
    await waitDispatched(ctx, ctx.dispatchedBefore + n, 'dispatching the warm-up tickets');
    ctx.intakeCreated = (ctx.intakeCreated ?? 0) + n;
  }
  // What the earlier tickets set going (their events through Kafka to every consumer, Temporal's
  // timers and visibility) settles first: the surge meets a platform at rest.
  await sleep(3000);
  const lat = [];
  const failures = new Failures();
  let created = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const intervalMs = 1000 / RATE;
  const t0 = now();
  const p = progress(
    () =>
      `intake at ${RATE}/s: ${lat.length}/${TICKETS} answered  in flight ${inFlight}  failed ${failures.count}`,
  );
  const sends = [];
  /** [ms after the start it was due, latency ms]: where in the run the slow ones fell. */
  const timeline = [];
  for (let i = 0; i < TICKETS && !halted(); i++) {
    const due = t0 + i * intervalMs;
    const wait = due - now();
    if (wait > 1) await sleep(wait);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    sends.push(
      request('POST', `${ctx.urls.intake}/api/v1/tickets`, { token: ctx.tokens.operator, body: ticketBody() })
        .then(
          (r) => {
            lat.push(now() - due);
            timeline.push([Math.round(due - t0), Math.round(now() - due)]);
            if (r.status === 201) created++;
            else failures.add('create', r);
          },
          (err) => failures.add('create', err),
        )
        .finally(() => inFlight--),
    );
  }
  await Promise.all(sends);
  const wallMs = now() - t0;
  p.stop();
  const before = ctx.dispatchedBefore + (ctx.intakeCreated ?? 0);
  const w = await waitDispatched(ctx, before + created, 'dispatching the rate tickets');
  ctx.intakeCreated = (ctx.intakeCreated ?? 0) + created;
  const stats = latencyStats(lat);
  return {
    offeredPerSecond: RATE,
    tickets: created,
    seconds: secs(wallMs),
    ticketsPerSecond: perSec(created, wallMs),
    latencyMs: stats,
    within100Ms: lat.filter((ms) => ms <= 100).length,
    slowest: timeline
      .sort((a, b) => b[1] - a[1])
      .slice(0, 20)
      .map(([at, ms]) => ({ dueAtMs: at, ms })),
    maxInFlight,
    allDispatchedAfterSeconds: w.complete ? secs(now() - t0) : null,
    dispatched: w.dispatched - before,
    failures: failures.toJSON(),
  };
}

// 2. lifecycle ---------------------------------------------------------------------------------

async function lifecyclePhase(ctx) {
  const actions = ['create', 'dispatchWait', 'sign', 'reply', 'review', 'sms'];
  const lat = Object.fromEntries(actions.map((a) => [a, []]));
  const failures = new Failures();
  const closedNos = [];
  let signRetries = 0;
  /** The answers the early signs got: 404 (not on the desk yet) or 409 (on it, not signable yet). */
  const signRetriesByStatus = {};
  let closedByPoll = 0;
  let lastClose = 0;
  const t0 = now();
  const m0 = ctx.sampler.mark('lifecycle courses');
  const { intake, dispatch, evaluation } = ctx.urls;
  const { operator, clerk, reviewer } = ctx.tokens;
  const p = progress(
    () =>
      `lifecycle closed ${closedNos.length}/${TICKETS}  ${perSec(closedNos.length, now() - t0)} closed/s  failed ${failures.count}`,
  );
  const post = (url, token, body) => request('POST', url, { token, body });

  async function course() {
    const c = await post(`${intake}/api/v1/tickets`, operator, ticketBody());
    if (c.status !== 201) return failures.add('create', c);
    lat.create.push(c.ms);
    const no = c.body.ticketNo;

    // The clerk signs as soon as the workflow has put the ticket on the unit's desk: until then
    // the desk answers 404 (not there yet) or 409 (not signable yet).
    const w0 = now();
    let backoff = 10;
    let s;
    for (;;) {
      s = await post(`${dispatch}/api/v1/tickets/${no}/sign`, clerk);
      if (s.status === 200) break;
      if (halted()) return undefined; // stopping: not a failure of the platform
      if ((s.status !== 404 && s.status !== 409) || now() - w0 > 60000) return failures.add('sign', s);
      signRetries++;
      const answer = `${s.status} ${s.body?.code ?? ''}`.trim();
      signRetriesByStatus[answer] = (signRetriesByStatus[answer] ?? 0) + 1;
      await sleep(backoff);
      backoff = Math.min(100, backoff * 2);
    }
    lat.dispatchWait.push(now() - w0 - s.ms);
    lat.sign.push(s.ms);

    const r = await post(`${dispatch}/api/v1/tickets/${no}/reply`, clerk, REPLY);
    if (r.status !== 200) return failures.add('reply', r);
    lat.reply.push(r.ms);
    const v = await post(`${intake}/api/v1/tickets/${no}/review`, reviewer, { approve: true });
    if (v.status !== 200) return failures.add('review', v);
    lat.review.push(v.ms);
    const m = await post(`${evaluation}/api/v1/callbacks/${no}/sms`, operator, { verdict: 'satisfied' });
    if (m.status !== 200) return failures.add('sms', m);
    lat.sms.push(m.ms);

    if (m.body?.status !== 'closed') {
      // The answer did not say closed: ask intake until it does.
      const d0 = now();
      for (;;) {
        const g = await request('GET', `${intake}/api/v1/tickets/${no}`, { token: operator });
        if (g.status === 200 && g.body.status === 'closed') break;
        if (halted()) return undefined;
        if (now() - d0 > 30000) return failures.add('close', g);
        await sleep(50);
      }
      closedByPoll++;
    }
    closedNos.push(no);
    lastClose = now();
  }

  await pool(TICKETS, CONCURRENCY, course, (err) => failures.add('request', err));
  p.stop();
  const m1 = ctx.sampler.mark('lifecycle courses done');
  const wallMs = (lastClose || now()) - t0;
  ctx.sampleTicketNo = closedNos[0] ?? null;
  return {
    closed: closedNos.length,
    seconds: secs(wallMs),
    closedPerSecond: perSec(closedNos.length, wallMs),
    latencyMs: Object.fromEntries(actions.map((a) => [a, latencyStats(lat[a])])),
    signRetries,
    signRetriesByStatus,
    closedSeenByPolling: closedByPoll,
    failures: failures.toJSON(),
    cpuWindow: cpuWindow(m0, m1),
  };
}

// 3. ceiling -----------------------------------------------------------------------------------

function ceilingWorkflowsPath() {
  const built = path.join(ROOT, 'workflows/dist/bench/ceiling.workflow.js');
  return fs.existsSync(built) ? built : path.join(ROOT, 'workflows/src/bench/ceiling.workflow.ts');
}

async function ceilingPhase(ctx) {
  const { bundleWorkflowCode, NativeConnection, Worker } = require('@temporalio/worker');
  const { withSandboxPrelude } = require(path.join(ROOT, 'workflows/dist/worker/sandbox.js'));
  const { quietBundlerLogger } = require(path.join(ROOT, 'workflows/dist/worker/bundler-logger.js'));
  const taskQueue = `bench-ceiling-${STAMP}`;
  const connection = await NativeConnection.connect({ address: ctx.platform.stack.temporalAddress });
  say('ceiling: bundling workflows/src/bench/ceiling.workflow.ts for a worker in this process');
  const { code } = await bundleWorkflowCode({
    workflowsPath: ceilingWorkflowsPath(),
    logger: quietBundlerLogger,
  });
  const worker = await Worker.create({
    connection,
    namespace: ctx.platform.namespace,
    taskQueue,
    // The sandbox as the platform's worker has it (TEMPORAL_WORKFLOW_STACK_TRACES): the ceiling is
    // what the engine allows a worker set up the same way.
    workflowBundle: { code: withSandboxPrelude(code, { stackTraces: ctx.workflowStackTraces }) },
  });
  const running = worker.run();
  const updates = ['sign', 'reply', 'review', 'callback'];
  const lat = Object.fromEntries(['start', ...updates, 'result'].map((a) => [a, []]));
  const failures = new Failures();
  let completed = 0;
  let lastDone = 0;
  let sampleId = null;
  const t0 = now();
  const m0 = ctx.sampler.mark('ceiling workflows');
  let m1 = null;
  const p = progress(
    () =>
      `ceiling completed ${completed}/${TICKETS}  ${perSec(completed, now() - t0)} workflows/s  failed ${failures.count}`,
  );
  try {
    await pool(
      TICKETS,
      CONCURRENCY,
      async (i) => {
        let t = now();
        const handle = await ctx.temporal.workflow.start('CeilingWorkflow', {
          taskQueue,
          workflowId: `ceiling-${STAMP}-${i}`,
        });
        lat.start.push(now() - t);
        for (const u of updates) {
          t = now();
          await handle.executeUpdate(u);
          lat[u].push(now() - t);
        }
        t = now();
        await handle.result();
        lat.result.push(now() - t);
        completed++;
        lastDone = now();
        sampleId = sampleId ?? handle.workflowId;
      },
      (err) => failures.add('ceiling', err),
    );
    m1 = ctx.sampler.mark('ceiling workflows done');
  } finally {
    p.stop();
    worker.shutdown();
    await running.catch((err) => failures.add('worker', err));
    await connection.close();
  }
  const wallMs = (lastDone || now()) - t0;
  ctx.sampleCeilingId = sampleId;
  return {
    completed,
    seconds: secs(wallMs),
    workflowsPerSecond: perSec(completed, wallMs),
    latencyMs: Object.fromEntries(Object.entries(lat).map(([k, v]) => [k, latencyStats(v)])),
    failures: failures.toJSON(),
    cpuWindow: m1 ? cpuWindow(m0, m1) : null,
  };
}

/** CPU seconds per process between two marks of the sampler, and the seconds between them. */
function cpuWindow(a, b) {
  const cpu = ProcSampler.cpuBetween(a, b);
  return {
    seconds: (b.at - a.at) / 1000,
    cpuSeconds: Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, Math.round(v * 100) / 100])),
  };
}

// 4. one ticket's history ----------------------------------------------------------------------

async function historyOf(client, workflowId) {
  const { temporal } = require('@temporalio/proto');
  const EventType = temporal.api.enums.v1.EventType;
  const handle = client.workflow.getHandle(workflowId);
  // A closed ticket's workflow completes right after; wait for it so that the history is whole.
  await Promise.race([handle.result().catch(() => undefined), sleep(30000)]);
  const history = await handle.fetchHistory();
  const d = await handle.describe();
  const byType = {};
  const markers = {};
  for (const e of history.events) {
    const name = String(EventType[e.eventType] ?? e.eventType).replace(/^EVENT_TYPE_/, '');
    byType[name] = (byType[name] || 0) + 1;
    const marker = e.markerRecordedEventAttributes?.markerName;
    if (marker) markers[marker] = (markers[marker] || 0) + 1;
  }
  const stc = d.raw.workflowExecutionInfo?.stateTransitionCount;
  return {
    workflowId,
    status: d.status.name,
    historyEvents: history.events.length,
    stateTransitions: stc == null ? null : Number(stc.toString()),
    activityTasks: byType.ACTIVITY_TASK_SCHEDULED || 0,
    localActivities: markers.core_local_activity || 0,
    workflowTasks: byType.WORKFLOW_TASK_COMPLETED || 0,
    timersStarted: byType.TIMER_STARTED || 0,
    eventsByType: byType,
    markers,
  };
}

// 5. open tickets ------------------------------------------------------------------------------

/** Saves the active policy set again with a rule for letters: sign within OPEN_SIGN_HOURS. */
async function holdingPolicy(ctx) {
  const admin = await login(ctx.urls.intake, 'admin');
  const api = `${ctx.urls.intake}/api/v1/admin/policy-sets`;
  const list = await request('GET', `${api}?limit=200`, { token: admin });
  const active = list.body?.items?.find((s) => s.active);
  if (list.status !== 200 || !active) throw new Error(`open: no active policy set (${list.status})`);
  const set = (await request('GET', `${api}/${active.code}`, { token: admin })).body;
  const rule = {
    id: 'bench-open-letters',
    name: '基准测试：信件签收时限',
    match: { channel: 'letter' },
    limits: { sign: { amount: OPEN_SIGN_HOURS, unit: 'hours' } },
  };
  const saved = await request('POST', api, {
    token: admin,
    body: { ...set, rules: [...set.rules.filter((r) => r.id !== rule.id), rule] },
  });
  if (saved.status !== 201)
    throw new Error(`open: the policy rule was refused: ${JSON.stringify(saved.body)}`);
  say(`open: ${active.code} v${saved.body.version} signs letters within ${OPEN_SIGN_HOURS} h`);
  return { code: active.code, version: saved.body.version, signHours: OPEN_SIGN_HOURS };
}

async function openPhase(ctx) {
  const policy = OPEN_SIGN_HOURS > 0 ? await holdingPolicy(ctx) : null;
  const body = policy ? () => ({ ...ticketBody(), channel: 'letter' }) : ticketBody;
  const before = await dispatchedTotal(ctx);
  const failures = new Failures();
  let created = 0;
  let dispatched = before;
  const t0 = now();
  const poll = setInterval(() => {
    dispatchedTotal(ctx).then(
      (t) => (dispatched = t),
      () => undefined,
    );
  }, 2000);
  const p = progress(
    () =>
      `open: created ${created}/${OPEN}  ${perSec(created, now() - t0)} tickets/s  dispatched ${dispatched - before}  failed ${failures.count}`,
  );
  await createTickets(ctx, OPEN, failures, () => created++, body);
  clearInterval(poll);
  p.stop();
  const createMs = now() - t0;
  const w = await waitDispatched(ctx, before + created, 'open tickets');
  const dispatchMs = now() - t0;
  const worker = ctx.sampler.sample().worker;
  return {
    policy,
    created,
    createSeconds: secs(createMs),
    createdPerSecond: perSec(created, createMs),
    dispatched: w.dispatched - before,
    allDispatchedAfterSeconds: w.complete ? secs(dispatchMs) : null,
    workerRssMiB: mib(worker?.mem),
    workerPeakRssMiB: mib(ctx.sampler.peak.worker),
    failures: failures.toJSON(),
  };
}

// the run --------------------------------------------------------------------------------------

async function phase(name, fn) {
  if (platform?.crashed) return { skipped: platform.crashed };
  if (interrupted) return { skipped: 'interrupted' };
  try {
    return await fn();
  } catch (err) {
    say(`${name} did not complete: ${err.stack || err.message}`);
    return { error: err.message };
  }
}

/**
 * Where the ratio's CPU goes. With both phases keeping the same cores busy, the ratio is the
 * ceiling's CPU per workflow over the lifecycle's CPU per closed ticket (all processes, the
 * platform at rest included in both; each counted from its first request to its last answer, so
 * the ceiling's bundling and the worker's start are left out). So at the target a closed ticket
 * may cost at most the ceiling's CPU divided by the target ratio; the engine's part of it (Temporal
 * and the worker) is set beside what the services, Postgres, Kafka and the bench's client took.
 * The lifecycle's own CPU per ticket is `lifecycle.cpuMsPerClosedTicket`, over the same window.
 */
function cpuBudgetOf(r, cpus) {
  const lcRun = r.lifecycle?.cpuWindow;
  const ceRun = r.ceiling?.cpuWindow;
  const closed = r.lifecycle?.closed;
  const completed = r.ceiling?.completed;
  if (!lcRun || !ceRun || !closed || !completed) return null;
  const lc = lcRun.cpuSeconds;
  const ce = ceRun.cpuSeconds;
  const sum = (v) => Object.values(v).reduce((a, b) => a + b, 0);
  const ms = (s, n) => Math.round((s * 1000) / n);
  const engine = (lc.temporal ?? 0) + (lc.worker ?? 0);
  const ceilingMs = ms(sum(ce), completed);
  return {
    ceilingCpuMsPerWorkflow: ceilingMs,
    allowedCpuMsPerTicketAtTarget: Math.round(ceilingMs / TARGETS.ratio),
    engineCpuMsPerTicket: ms(engine, closed),
    restCpuMsPerTicket: ms(sum(lc) - engine, closed),
    coresBusy: {
      lifecycle: Math.round((sum(lc) / lcRun.seconds) * 100) / 100,
      ceiling: Math.round((sum(ce) / ceRun.seconds) * 100) / 100,
      of: cpus,
    },
  };
}

/** Each target of the issue (#6 §5) with what this run measured; null where its phase did not run. */
function targetsOf(r) {
  const met = (v, ok) => (v == null ? null : ok(v));
  const rate = r.rate?.latencyMs ? r.rate : null;
  const rss = r.open?.workerRssMiB ?? null;
  return [
    {
      target: `intake >= ${TARGETS.intakePerSecond} tickets/s with p99 <= ${TARGETS.intakeP99Ms} ms (offered ${RATE}/s)`,
      measured: rate ? `${rate.ticketsPerSecond}/s, p99 ${rate.latencyMs.p99} ms` : null,
      met: rate
        ? rate.ticketsPerSecond >= TARGETS.intakePerSecond * 0.98 &&
          RATE >= TARGETS.intakePerSecond &&
          rate.latencyMs.p99 <= TARGETS.intakeP99Ms &&
          rate.failures.count === 0
        : null,
    },
    {
      target: `lifecycle >= ${TARGETS.ratio * 100} % of the bare-engine ceiling`,
      measured: r.ratio == null ? null : `${(r.ratio * 100).toFixed(1)} %`,
      met: met(r.ratio, (v) => v >= TARGETS.ratio),
    },
    {
      target: `at most ${TARGETS.stateTransitions} state transitions for the simple course`,
      measured: r.oneTicket?.stateTransitions ?? null,
      met: met(r.oneTicket?.stateTransitions, (v) => v <= TARGETS.stateTransitions),
    },
    {
      target: `open tickets waiting on their timers, worker RSS < ${TARGETS.openWorkerRssMiB} MiB (target: 100,000 tickets)`,
      measured:
        rss == null
          ? null
          : `${r.open.created} tickets: ${rss} MiB after, ${r.open.workerPeakRssMiB} at peak`,
      met: met(
        rss,
        (v) =>
          v < TARGETS.openWorkerRssMiB &&
          r.open.created >= 100000 &&
          r.open.allDispatchedAfterSeconds != null &&
          !interrupted,
      ),
    },
  ];
}

function printReport(r) {
  const lines = [];
  const lc = r.lifecycle;
  const ce = r.ceiling;
  lines.push(
    `\nlifecycle benchmark: ${r.machine.cpus} CPUs (${r.machine.cpuModel}), ${mib(r.machine.memoryBytes)} MiB, Node ${r.machine.node}; ${r.config.tickets} tickets, concurrency ${r.config.concurrency}`,
    '',
    table(
      ['throughput', 'count', 'seconds', 'per second'],
      [
        [
          'intake: POST /api/v1/tickets (tickets/s)',
          r.intake.tickets,
          r.intake.seconds,
          r.intake.ticketsPerSecond,
        ],
        [
          'intake: until the workflows dispatched them',
          r.intake.dispatched,
          r.intake.allDispatchedAfterSeconds,
          null,
        ],
        [
          `intake at ${RATE}/s offered (tickets/s answered)`,
          r.rate.tickets,
          r.rate.seconds,
          r.rate.ticketsPerSecond,
        ],
        [
          `intake at ${RATE}/s: until the workflows dispatched them`,
          r.rate.dispatched,
          r.rate.allDispatchedAfterSeconds,
          null,
        ],
        ['lifecycle: create → … → closed (closed/s)', lc.closed, lc.seconds, lc.closedPerSecond],
        ['ceiling: bare Temporal, 4 updates (workflows/s)', ce.completed, ce.seconds, ce.workflowsPerSecond],
        ['lifecycle / ceiling', null, null, r.ratio == null ? null : `${(r.ratio * 100).toFixed(1)} %`],
      ],
    ),
    '',
  );
  if (lc.signRetries != null)
    lines.push(
      `early signs (before the ticket was on the desk): ${lc.signRetries}` +
        Object.entries(lc.signRetriesByStatus ?? {})
          .map(([answer, n]) => `, ${n} × ${answer}`)
          .join(''),
      '',
    );
  const latRow = (label, s) => [label, s?.n, s?.p50, s?.p90, s?.p99, s?.max];
  const L = lc.latencyMs || {};
  const C = ce.latencyMs || {};
  lines.push(
    table(
      ['latency (ms)', 'n', 'p50', 'p90', 'p99', 'max'],
      [
        latRow('intake: create (16 callers in turn)', r.intake.latencyMs),
        latRow(`intake: create at ${RATE}/s (from when it was due)`, r.rate.latencyMs),
        latRow('lifecycle: create', L.create),
        latRow('lifecycle: wait until on the desk', L.dispatchWait),
        latRow('lifecycle: sign (dispatch)', L.sign),
        latRow('lifecycle: reply (dispatch)', L.reply),
        latRow('lifecycle: review (intake)', L.review),
        latRow('lifecycle: sms satisfied (evaluation)', L.sms),
        latRow('ceiling: start', C.start),
        latRow('ceiling: sign', C.sign),
        latRow('ceiling: reply', C.reply),
        latRow('ceiling: review', C.review),
        latRow('ceiling: callback', C.callback),
        latRow('ceiling: result', C.result),
      ],
    ),
    '',
  );
  const t = r.oneTicket;
  const c = r.oneCeiling;
  lines.push(
    table(
      [
        'one workflow',
        'history events',
        'state transitions',
        'activity tasks',
        'local activities',
        'workflow tasks',
        'timers',
      ],
      [
        [
          `ticket ${t?.workflowId ?? ''}`,
          t?.historyEvents,
          t?.stateTransitions,
          t?.activityTasks,
          t?.localActivities,
          t?.workflowTasks,
          t?.timersStarted,
        ],
        [
          'ceiling workflow',
          c?.historyEvents,
          c?.stateTransitions,
          c?.activityTasks,
          c?.localActivities,
          c?.workflowTasks,
          c?.timersStarted,
        ],
      ],
    ),
    '',
  );
  if (r.open && !r.open.skipped) {
    const o = r.open;
    lines.push(
      table(
        ['open tickets (BENCH_OPEN)', 'value'],
        [
          [
            'policy',
            o.policy
              ? `${o.policy.code} v${o.policy.version}: letters sign within ${o.policy.signHours} h`
              : 'the active set as it is',
          ],
          ['created', o.created],
          ['created per second', o.createdPerSecond],
          ['dispatched', o.dispatched],
          ['all dispatched after (s, from the first create)', o.allDispatchedAfterSeconds],
          ['worker RSS after (MiB)', o.workerRssMiB],
          ['worker peak RSS (MiB)', o.workerPeakRssMiB],
        ],
      ),
      '',
    );
  }
  const phases = Object.keys(r.processes.cpuSecondsByPhase);
  lines.push(
    table(
      ['process', ...phases.map((p) => `CPU s ${p}`), 'CPU s total', 'peak MiB'],
      Object.entries(r.processes.total).map(([name, v]) => [
        name + (name === 'postgres' ? ` (${v.procs} procs, PSS)` : ''),
        ...phases.map((p) => r.processes.cpuSecondsByPhase[p][name]?.toFixed(1)),
        v.cpuSeconds.toFixed(1),
        v.peakMiB,
      ]),
    ),
  );
  if (lc.cpuMsPerClosedTicket)
    lines.push(
      `\nCPU per closed ticket in the lifecycle phase, all processes: ${lc.cpuMsPerClosedTicket} ms`,
    );
  const b = r.cpuBudget;
  if (b)
    lines.push(
      `CPU per ceiling workflow, all processes: ${b.ceilingCpuMsPerWorkflow} ms (cores busy: lifecycle ` +
        `${b.coresBusy.lifecycle}, ceiling ${b.coresBusy.ceiling} of ${b.coresBusy.of})`,
      `at ${TARGETS.ratio * 100} % a closed ticket may cost ${b.allowedCpuMsPerTicketAtTarget} ms; ` +
        `Temporal and the worker took ${b.engineCpuMsPerTicket} ms of its ${lc.cpuMsPerClosedTicket}, ` +
        `the services, Postgres, Kafka and the bench's client ${b.restCpuMsPerTicket}`,
    );
  lines.push(
    '',
    table(
      ['target (#6)', 'measured', 'met'],
      r.targets.map((t) => [t.target, t.measured, t.met == null ? 'not run' : t.met ? 'yes' : 'NO']),
    ),
  );
  const failed = ['intake', 'rate', 'lifecycle', 'ceiling', 'open']
    .map((k) => [k, r[k]])
    .filter(([, v]) => v && (v.error || v.failures?.count));
  for (const [k, v] of failed) {
    const what = v.error
      ? `error: ${v.error}`
      : v.skipped
        ? `skipped: ${v.skipped}`
        : `${v.failures.count} failed (${v.failures.examples.join('; ')})`;
    lines.push(`\n${k}: ${what}`);
  }
  if (r.interrupted) lines.push('\ninterrupted (Ctrl-C): the figures cover what ran until then');
  if (r.crashed) lines.push(`\nstopped early: ${r.crashed}`);
  console.log(lines.join('\n'));
}

function writeFiles(r) {
  fs.mkdirSync(OUT, { recursive: true });
  const base = path.join(OUT, `lifecycle-${new Date(r.startedAt).toISOString().replace(/[:.]/g, '-')}`);
  const cpu = r.processes.cpuSecondsByPhase.lifecycle || {};
  const svg = svgChart(
    `12345 lifecycle benchmark — ${r.config.tickets} tickets, concurrency ${r.config.concurrency}, ${r.machine.cpus} CPUs`,
    [
      {
        title: 'Throughput',
        unit: '/s',
        bars: [
          { label: 'intake, 16 callers (tickets/s)', value: r.intake.ticketsPerSecond },
          { label: `intake at ${RATE}/s offered (tickets/s)`, value: r.rate.ticketsPerSecond },
          { label: 'lifecycle (closed/s)', value: r.lifecycle.closedPerSecond },
          { label: 'ceiling (workflows/s)', value: r.ceiling.workflowsPerSecond },
        ],
      },
      {
        title: 'Latency of each action',
        unit: 'ms',
        bars: ['create', 'sign', 'reply', 'review', 'sms'].flatMap((a) =>
          ['p50', 'p99'].map((q) => ({
            label: `${a} ${q}`,
            value: r.lifecycle.latencyMs?.[a]?.[q],
            series: q,
          })),
        ),
      },
      {
        title: 'CPU seconds per process during the lifecycle phase',
        unit: 's',
        bars: Object.entries(cpu).map(([k, v]) => ({ label: k, value: v })),
      },
      {
        title: 'Peak memory per process (postgres: PSS of all its processes)',
        unit: 'MiB',
        bars: Object.entries(r.processes.total).map(([k, v]) => ({ label: k, value: v.peakMiB })),
      },
    ],
  );
  fs.writeFileSync(`${base}.json`, `${JSON.stringify(r, null, 2)}\n`);
  fs.writeFileSync(`${base}.svg`, svg);
  fs.copyFileSync(`${base}.json`, path.join(OUT, 'lifecycle-latest.json'));
  fs.copyFileSync(`${base}.svg`, path.join(OUT, 'lifecycle-latest.svg'));
  return base;
}

async function main() {
  const { Runtime, DefaultLogger } = require('@temporalio/worker');
  // The ceiling's worker logs only errors: its warnings (a workflow task the server dropped under
  // load) are noise in a benchmark's output.
  Runtime.install({
    logger: new DefaultLogger('ERROR'),
    telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } },
  });
  const { Client, Connection } = require('@temporalio/client');
  const { loadConfig, ticketWorkflowId } = require('../../libs/shared/dist');

  const startedAt = Date.now();
  process.on('SIGINT', () => {
    if (interrupted) process.exit(130); // the platform's processes end with this one (lib/platform)
    interrupted = true;
    say('interrupted: finishing the requests in flight, then cleaning up (Ctrl-C again to quit at once)');
  });
  say(
    `lifecycle: ${TICKETS} tickets, concurrency ${CONCURRENCY}, open tickets ${OPEN || 'skipped (BENCH_OPEN=0)'}`,
  );
  const logDir = path.join(OUT, 'logs', STAMP);
  platform = await startPlatform({ stamp: STAMP, logDir, say });
  // The sandbox's stack traces as the platform's worker read them from its configuration: the
  // ceiling's worker gets the same (TEMPORAL_WORKFLOW_STACK_TRACES).
  const workflowStackTraces = loadConfig(platform.env).temporalWorkflowStackTraces;
  say(
    `platform up (logs: ${path.relative(ROOT, logDir)}); workflow stack traces ${workflowStackTraces ? 'on' : 'off'}`,
  );
  const stack = findStackProcesses(platform.stack.stackDir);
  const groups = {};
  for (const [name, child] of Object.entries(platform.children)) groups[name] = { pid: child.pid };
  if (stack.postgres) groups.postgres = { pid: stack.postgres, pss: true };
  if (stack.kafka) groups.kafka = { pid: stack.kafka };
  if (stack.temporal) groups.temporal = { pid: stack.temporal };
  groups['bench (client, ceiling worker)'] = { pid: process.pid, alone: true };
  const sampler = new ProcSampler(groups);
  sampler.start();

  const connection = await Connection.connect({ address: platform.stack.temporalAddress });
  const temporal = new Client({ connection, namespace: platform.namespace });
  const ctx = { platform, urls: platform.urls, temporal, sampler, tokens: {}, workflowStackTraces };
  const report = {
    startedAt: new Date(startedAt).toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model?.trim(),
      memoryBytes: os.totalmem(),
      node: process.version,
      platform: `${os.type()} ${os.release()}`,
    },
    config: {
      tickets: TICKETS,
      concurrency: CONCURRENCY,
      intakeRate: RATE,
      phases: [...RUN],
      open: OPEN,
      namespace: platform.namespace,
      workflowStackTraces,
    },
  };
  let problems = [];
  try {
    ctx.tokens.operator = await login(ctx.urls.intake, 'operator');
    ctx.tokens.clerk = await login(ctx.urls.intake, 'clerk.transport');
    ctx.tokens.reviewer = await login(ctx.urls.intake, 'reviewer');
    ctx.dispatchedBefore = await dispatchedTotal(ctx);

    const marks = [sampler.mark('start')];
    const cpuByPhase = {};
    const endPhase = (name) => {
      const m = sampler.mark(name);
      cpuByPhase[name] = ProcSampler.cpuBetween(marks[marks.length - 1], m);
      marks.push(m);
    };
    const run = async (name, fn) => {
      if (!RUN.has(name)) return { skipped: `not in BENCH_PHASES` };
      const r = await phase(name, fn);
      endPhase(name);
      return r;
    };
    report.idle = await run('idle', async () => {
      // What the platform costs at rest (pollers, consumers, timers): CPU per process over a quiet spell.
      for (let left = IDLE_SECONDS; left > 0 && !halted(); left -= 5) {
        say(`idle: ${left} s left`);
        await sleep(Math.min(5, left) * 1000);
      }
      return { seconds: IDLE_SECONDS };
    });
    report.intake = await run('intake', () => intakePhase(ctx));
    report.rate = await run('rate', () => ratePhase(ctx));
    report.lifecycle = await run('lifecycle', () => lifecyclePhase(ctx));
    report.ceiling = await run('ceiling', () => ceilingPhase(ctx));
    const lcRate = report.lifecycle.closedPerSecond;
    const ceRate = report.ceiling.workflowsPerSecond;
    report.ratio = lcRate && ceRate ? Math.round((lcRate / ceRate) * 1000) / 1000 : null;
    if (report.lifecycle.closed) {
      // Over the courses' own window, as the budget below counts it: one figure for one fact.
      const courses = report.lifecycle.cpuWindow?.cpuSeconds ?? cpuByPhase.lifecycle;
      const lcCpu = Object.values(courses).reduce((a, b) => a + b, 0);
      report.lifecycle.cpuMsPerClosedTicket = Math.round((lcCpu * 1000) / report.lifecycle.closed);
    }
    report.cpuBudget = cpuBudgetOf(report, report.machine.cpus);
    report.oneTicket = ctx.sampleTicketNo
      ? await phase('one ticket', () => historyOf(temporal, ticketWorkflowId(ctx.sampleTicketNo)))
      : null;
    report.oneCeiling = ctx.sampleCeilingId
      ? await phase('one ceiling workflow', () => historyOf(temporal, ctx.sampleCeilingId))
      : null;
    report.open = OPEN > 0 ? await run('open', () => openPhase(ctx)) : { skipped: 'BENCH_OPEN=0' };
    report.targets = targetsOf(report);

    const last = sampler.stop();
    const cpuTotal = ProcSampler.cpuBetween(marks[0], {
      cpu: Object.fromEntries(Object.entries(last).map(([k, v]) => [k, v.cpu])),
    });
    report.processes = {
      note: 'CPU seconds from /proc (user + system, children included); peak resident memory sampled every second (postgres: sum of PSS over its processes)',
      cpuSecondsByPhase: Object.fromEntries(
        Object.entries(cpuByPhase).map(([p, v]) => [
          p,
          Object.fromEntries(Object.entries(v).map(([k, s]) => [k, Math.round(s * 100) / 100])),
        ]),
      ),
      total: Object.fromEntries(
        Object.keys(groups)
          .filter((k) => k in cpuTotal)
          .map((k) => [
            k,
            {
              cpuSeconds: Math.round(cpuTotal[k] * 100) / 100,
              peakMiB: mib(sampler.peak[k]),
              procs: last[k]?.procs,
            },
          ]),
      ),
      notFound: ['postgres', 'kafka', 'temporal'].filter((k) => !stack[k]),
    };
  } finally {
    sampler.stop();
    await connection.close().catch(() => undefined);
    closeHttp();
    say('stopping the services and the worker; dropping the database, namespace and topics');
    problems = (await platform.stop()) || [];
  }
  for (const p of problems) say(`cleanup: ${p}`);
  report.seconds = secs(Date.now() - startedAt);
  if (interrupted) report.interrupted = true;
  if (platform.crashed) report.crashed = platform.crashed;
  printReport(report);
  const base = writeFiles(report);
  say(`wrote ${path.relative(ROOT, base)}.json and .svg (latest: reports/bench/lifecycle-latest.*)`);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
