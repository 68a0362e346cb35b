// The platform for a benchmark run, as `npm start` runs it: the built services and the worker as
// separate processes, on ports of their own, against a fresh database (migrated and seeded), a
// Kafka prefix, a Temporal namespace and task queue, and a JWT secret of the run's own. stop()
// ends the processes and removes the run's database, namespace and topics.
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { spawn, execFile } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { setTimeout: sleep } = require('node:timers/promises');
const { Client: PgClient } = require('pg');
const { request } = require('./http');

const ROOT = path.resolve(__dirname, '../../..');
const SERVICES = ['intake', 'dispatch', 'evaluation', 'supervision'];
const ENTRY = {
  intake: 'services/intake/dist/main.js',
  dispatch: 'services/dispatch/dist/main.js',
  evaluation: 'services/evaluation/dist/main.js',
  supervision: 'services/supervision/dist/main.js',
  worker: 'workflows/dist/worker/main.js',
};

/** The stack's addresses: the environment, or else what scripts/stack.sh wrote to .stack/env. */
function stackEnv() {
  const dir = process.env.HOTLINE_STACK_DIR || path.join(ROOT, '.stack');
  const env = {};
  try {
    for (const line of fs.readFileSync(path.join(dir, 'env'), 'utf8').split('\n')) {
      const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
      if (m) env[m[1]] = m[2];
    }
  } catch {
    /* no local stack */
  }
  const get = (k) => process.env[k] || env[k];
  const out = {
    stackDir: dir,
    databaseUrl: get('DATABASE_URL'),
    kafkaBrokers: get('KAFKA_BROKERS'),
    temporalAddress: get('TEMPORAL_ADDRESS'),
  };
  if (!out.databaseUrl || !out.kafkaBrokers || !out.temporalAddress)
    throw new Error(
      'no stack: run `npm run bench` (it starts one), or set DATABASE_URL, KAFKA_BROKERS, TEMPORAL_ADDRESS',
    );
  return out;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function runNode(script, env, log) {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [path.join(ROOT, script)], { cwd: ROOT, env }, (err, stdout, stderr) => {
      fs.appendFileSync(log, `$ node ${script}\n${stdout}${stderr}`);
      if (err) reject(new Error(`${script} failed (log: ${log}): ${stderr.trim() || err.message}`));
      else resolve();
    });
  });
}

async function startPlatform({ stamp, logDir, say = () => undefined }) {
  const stack = stackEnv();
  for (const [name, entry] of Object.entries(ENTRY))
    if (!fs.existsSync(path.join(ROOT, entry)))
      throw new Error(`${name} is not built (${entry}): run npm run build`);
  fs.mkdirSync(logDir, { recursive: true });
  const dbName = `hotline_bench_${stamp}`;
  const dbUrl = new URL(stack.databaseUrl);
  dbUrl.pathname = `/${dbName}`;
  const ports = {};
  for (const s of SERVICES) ports[s] = await freePort();
  const env = {
    ...process.env,
    DATABASE_URL: dbUrl.toString(),
    KAFKA_BROKERS: stack.kafkaBrokers,
    TEMPORAL_ADDRESS: stack.temporalAddress,
    TEMPORAL_NAMESPACE: `hotline-bench-${stamp}`,
    TEMPORAL_TASK_QUEUE: `tickets-bench-${stamp}`,
    KAFKA_PREFIX: `bench-${stamp}`,
    JWT_SECRET: randomBytes(32).toString('base64'),
    HOTLINE_ENV: 'test', // a run of its own: demo users, like the tests
    HOST: '127.0.0.1',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL || 'info',
    INTAKE_PORT: String(ports.intake),
    DISPATCH_PORT: String(ports.dispatch),
    EVALUATION_PORT: String(ports.evaluation),
    SUPERVISION_PORT: String(ports.supervision),
    HOTLINE_PII_KEYS: `bench:${randomBytes(32).toString('base64')}`,
    HOTLINE_PII_INDEX_KEY: randomBytes(32).toString('base64'),
  };
  const platform = {
    stack,
    env,
    dbName,
    namespace: env.TEMPORAL_NAMESPACE,
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    kafkaPrefix: env.KAFKA_PREFIX,
    urls: Object.fromEntries(SERVICES.map((s) => [s, `http://127.0.0.1:${ports[s]}`])),
    children: {},
    logDir,
    stopped: false,
    crashed: null,
    stop: () => stopPlatform(platform),
  };
  // Should this process end without stop() (a crash), its children end with it.
  process.once('exit', () => {
    for (const c of Object.values(platform.children))
      if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  });

  const admin = new PgClient({ connectionString: stack.databaseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${dbName}`);
  } finally {
    await admin.end();
  }
  platform.dbCreated = true;
  try {
    const setupLog = path.join(logDir, 'setup.log');
    say(`database ${dbName}: migrating and seeding; namespace ${platform.namespace}`);
    await runNode('libs/platform/dist/cli/migrate.js', env, setupLog);
    await runNode('libs/platform/dist/cli/seed.js', env, setupLog);
    await runNode('libs/platform/dist/cli/temporal-setup.js', env, setupLog);
    platform.namespaceCreated = true;

    for (const name of Object.keys(ENTRY)) {
      const out = fs.openSync(path.join(logDir, `${name}.log`), 'w');
      // BENCH_PROFILE=<dir>: V8 CPU profiles of each app's threads, in <dir>/<app>/, written when it
      // stops (open them in Chrome DevTools).
      const profile = process.env.BENCH_PROFILE
        ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_PROFILE, name)}`]
        : [];
      const child = spawn(process.execPath, [...profile, path.join(ROOT, ENTRY[name])], {
        cwd: ROOT,
        env,
        stdio: ['ignore', out, out],
        // A process group of its own: Ctrl-C reaches the benchmark, which stops the apps in order.
        detached: true,
      });
      fs.closeSync(out);
      child.exited = new Promise((resolve) =>
        child.on('exit', (code, signal) => {
          // An app that ends before stop() was asked for has crashed: the benchmark stops early.
          if (!platform.stopped && !platform.crashed)
            platform.crashed = `${name} exited (${signal ?? `code ${code}`}); log: ${path.join(logDir, `${name}.log`)}`;
          resolve({ code, signal });
        }),
      );
      platform.children[name] = child;
    }
    say('starting intake, dispatch, evaluation, supervision and the worker');
    await waitReady(platform);
    return platform;
  } catch (err) {
    await stopPlatform(platform);
    throw err;
  }
}

async function waitReady(platform) {
  const deadline = Date.now() + 120000;
  const alive = () => {
    for (const [name, c] of Object.entries(platform.children))
      if (c.exitCode !== null || c.signalCode !== null)
        throw new Error(`${name} exited while starting (log: ${path.join(platform.logDir, `${name}.log`)})`);
  };
  for (const s of SERVICES) {
    for (;;) {
      alive();
      const ok = await request('GET', `${platform.urls[s]}/health`, { timeoutMs: 2000 }).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) break;
      if (Date.now() > deadline) throw new Error(`${s} did not become healthy`);
      await sleep(250);
    }
  }
  // The worker is ready when it polls its task queue (the public Temporal API says so).
  const { Connection } = require('@temporalio/client');
  const { temporal } = require('@temporalio/proto');
  const conn = await Connection.connect({ address: platform.stack.temporalAddress });
  try {
    for (;;) {
      alive();
      const r = await conn.workflowService
        .describeTaskQueue({
          namespace: platform.namespace,
          taskQueue: { name: platform.taskQueue },
          taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
        })
        .catch(() => ({ pollers: [] }));
      if ((r.pollers || []).length > 0) break;
      if (Date.now() > deadline) throw new Error('the worker did not start polling');
      await sleep(250);
    }
  } finally {
    await conn.close();
  }
}

async function stopPlatform(platform) {
  if (platform.stopped) return;
  platform.stopped = true;
  const children = Object.values(platform.children);
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
  await Promise.all(
    children.map(async (c) => {
      const done = await Promise.race([c.exited, sleep(15000).then(() => null)]);
      if (!done) {
        c.kill('SIGKILL');
        await c.exited;
      }
    }),
  );
  const problems = [];
  if (platform.dbCreated && process.env.BENCH_KEEP_DB !== '1') {
    const admin = new PgClient({ connectionString: platform.stack.databaseUrl });
    try {
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${platform.dbName} WITH (FORCE)`);
    } catch (err) {
      problems.push(`drop database ${platform.dbName}: ${err.message}`);
    } finally {
      await admin.end().catch(() => undefined);
    }
  }
  if (platform.namespaceCreated && process.env.BENCH_KEEP_DB !== '1') {
    // The namespace's open tickets (timers) go with it; the server deletes it in the background.
    const { Connection } = require('@temporalio/client');
    try {
      const conn = await Connection.connect({ address: platform.stack.temporalAddress });
      try {
        await conn.operatorService.deleteNamespace({ namespace: platform.namespace });
      } finally {
        await conn.close();
      }
    } catch (err) {
      problems.push(`delete namespace ${platform.namespace}: ${err.message}`);
    }
  }
  try {
    const { Kafka, logLevel } = require('kafkajs');
    const admin = new Kafka({
      clientId: 'bench-cleanup',
      brokers: platform.stack.kafkaBrokers.split(','),
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    try {
      const prefix = `${platform.kafkaPrefix}.`;
      const groups = (await admin.listGroups()).groups
        .map((g) => g.groupId)
        .filter((g) => g.startsWith(prefix));
      if (groups.length) await admin.deleteGroups(groups).catch(() => undefined);
      const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
      if (topics.length) await admin.deleteTopics({ topics });
    } finally {
      await admin.disconnect();
    }
  } catch (err) {
    problems.push(`delete Kafka topics ${platform.kafkaPrefix}.*: ${err.message}`);
  }
  return problems;
}

module.exports = { startPlatform, stackEnv, ROOT, SERVICES };
