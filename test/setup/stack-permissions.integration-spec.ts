import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { requireStack } from '../stack-env';

/**
 * A clone in a directory the `postgres` user cannot enter (a home of mode 700, a `mktemp -d`
 * folder) still gets a Postgres of its own from scripts/stack.sh, keeps its data over a restart,
 * and its `down` stops only what it started. Kafka and Temporal are the running stack's, so only
 * Postgres starts.
 */
const STACK_SH = path.resolve(__dirname, '../../scripts/stack.sh');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

function reachable(hostPort: string): Promise<boolean> {
  const [host, port] = hostPort.split(',')[0].split(':');
  return new Promise((resolve) => {
    const socket = createConnection({ host, port: Number(port) });
    socket.setTimeout(5_000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

async function query(url: string, sql: string): Promise<Record<string, unknown>[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('scripts/stack.sh missing and prefetch', () => {
  // npm start and npm test fetch these in the background while npm installs and builds.
  const inFreshStack = (args: string[], extra: NodeJS.ProcessEnv) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hotline-missing-'));
    try {
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        HOTLINE_STACK_DIR: path.join(dir, '.stack'),
        ...extra,
      };
      for (const k of ['KAFKA_BROKERS', 'TEMPORAL_ADDRESS', 'DATABASE_URL'] as const)
        if (!(k in extra)) delete env[k];
      const r = spawnSync('bash', [STACK_SH, ...args], { env, encoding: 'utf8', timeout: 60_000 });
      return { status: r.status, out: r.stdout.trim() };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it('names what a first up would fetch or build, and leaves out what the environment provides', () => {
    expect(inFreshStack(['missing', 'test-server'], {})).toEqual({
      status: 0,
      out: 'kafka temporal test-server',
    });
    expect(inFreshStack(['missing'], {})).toEqual({ status: 0, out: 'kafka temporal' });
    const external = { KAFKA_BROKERS: '127.0.0.1:1', TEMPORAL_ADDRESS: '127.0.0.1:1' };
    expect(inFreshStack(['missing', 'test-server'], external)).toEqual({ status: 0, out: 'test-server' });
    expect(inFreshStack(['missing'], external)).toEqual({ status: 0, out: '' });
    // Nothing missing: the prefetch does nothing and succeeds.
    expect(inFreshStack(['prefetch'], external)).toEqual({ status: 0, out: '' });
  });
});

describe('scripts/stack.sh in a directory the postgres user cannot reach', () => {
  let dir = '';
  let stackDir = '';
  let url = '';
  let env: NodeJS.ProcessEnv = {};
  const shared = requireStack();

  const stack = (cmd: string) =>
    spawnSync('bash', [STACK_SH, cmd], { env, encoding: 'utf8', timeout: 90_000 });
  const run = (cmd: string): string => {
    const r = stack(cmd);
    if (r.status !== 0) throw new Error(`stack.sh ${cmd} exited ${r.status}\n${r.stdout}\n${r.stderr}`);
    return r.stdout;
  };
  const outsideDir = (): string | undefined => {
    const location = path.join(stackDir, 'pg', 'location');
    return existsSync(location) ? readFileSync(location, 'utf8').trim() : undefined;
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'hotline-stack-'));
    chmodSync(dir, 0o700);
    stackDir = path.join(dir, 'clone', '.stack');
    const port = await freePort();
    url = `postgres://postgres@127.0.0.1:${port}/hotline`;
    env = {
      ...process.env,
      HOTLINE_STACK_DIR: stackDir,
      HOTLINE_PG_PORT: String(port),
      HOTLINE_PG_FSYNC: 'off',
      KAFKA_BROKERS: shared.kafkaBrokers,
      TEMPORAL_ADDRESS: shared.temporalAddress,
    };
    // Set, it would mean "an external Postgres, start nothing" (and it names the tests' database).
    delete env.DATABASE_URL;
  });

  afterAll(() => {
    if (!dir) return;
    const outside = outsideDir();
    stack('down');
    rmSync(dir, { recursive: true, force: true });
    if (outside) rmSync(outside, { recursive: true, force: true });
  });

  it('starts only Postgres, answers queries, keeps the data over down and up', async () => {
    const up = run('up');
    expect(up).toContain('kafka: using KAFKA_BROKERS, starting nothing');
    expect(up).toContain('temporal: using TEMPORAL_ADDRESS, starting nothing');

    const [{ data_directory }] = await query(url, 'SHOW data_directory');
    if (process.getuid?.() === 0) {
      // As root, Postgres runs as `postgres`, which cannot enter the 700 folder: the cluster lives
      // outside it, where .stack/pg/location says.
      const outside = outsideDir();
      expect(outside).toBeDefined();
      expect(data_directory).toBe(path.join(outside!, 'data'));
      expect(String(data_directory).startsWith(dir)).toBe(false);
    } else {
      expect(data_directory).toBe(path.join(stackDir, 'pg', 'data'));
    }
    await query(url, 'CREATE TABLE kept (n int); INSERT INTO kept VALUES (12345)');
    expect(run('status')).toMatch(/^postgres +running on 127\.0\.0\.1/m);

    run('down');
    expect(run('status')).toMatch(/^postgres +stopped/m);
    run('up');
    expect(await query(url, 'SELECT n FROM kept')).toEqual([{ n: 12345 }]);
    run('down');
    await expect(query(url, 'SELECT 1')).rejects.toThrow();

    // That stack's down stopped only what it started: the shared servers still answer.
    expect(await query(process.env.DATABASE_URL ?? shared.databaseUrl, 'SELECT 1 AS one')).toEqual([
      { one: 1 },
    ]);
    expect(await reachable(shared.kafkaBrokers)).toBe(true);
    expect(await reachable(shared.temporalAddress)).toBe(true);
  }, 120_000);

  it('prune removes the cluster of a clone that is gone, and never a running one or a living clone', async () => {
    if (process.getuid?.() !== 0) return; // only root places clusters outside the clone
    run('up');
    const outside = outsideDir()!;
    expect(readFileSync(path.join(outside, 'owner'), 'utf8').trim()).toBe(stackDir);
    const other = mkdtempSync(path.join(tmpdir(), 'hotline-prune-'));
    const prune = () => {
      // From another clone's stack: this one's stack.sh would make its own stack folder again.
      const r = spawnSync('bash', [STACK_SH, 'prune'], {
        env: { ...env, HOTLINE_STACK_DIR: path.join(other, '.stack') },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(r.status).toBe(0);
      return r.stdout;
    };
    try {
      run('down');
      prune();
      expect(existsSync(outside)).toBe(true); // stopped, but its clone is still here

      run('up');
      rmSync(path.join(dir, 'clone'), { recursive: true, force: true });
      prune();
      expect(existsSync(outside)).toBe(true); // its clone is gone, but its server still runs

      const pgCtl = spawnSync('bash', ['-c', 'ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1'], {
        encoding: 'utf8',
      }).stdout.trim();
      const stop = spawnSync(
        'runuser',
        ['-u', 'postgres', '--', `${pgCtl}/pg_ctl`, '-D', `${outside}/data`, '-m', 'fast', '-w', 'stop'],
        {
          cwd: '/',
          encoding: 'utf8',
        },
      );
      expect(stop.status).toBe(0);
      expect(prune()).toContain(`its clone's stack ${stackDir} is gone`);
      expect(existsSync(outside)).toBe(false);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  }, 120_000);
});
