import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * scripts/lib.sh's pid files: `npm run stop` finds what `npm start` started by them, and must
 * neither forget a live app nor end a stranger that was later given the same pid. Each run
 * sources lib.sh with a stack folder of its own; the "app" is a sleep.
 */
const LIB = path.resolve(__dirname, '../scripts/lib.sh');
const linux = existsSync('/proc/self/stat');

describe('scripts/lib.sh pid files', () => {
  let dir: string;
  let app: ChildProcess;
  const bash = (script: string) => {
    const r = spawnSync('bash', ['-c', `source "${LIB}"; ${script}`], {
      env: { ...process.env, HOTLINE_STACK_DIR: dir },
      encoding: 'utf8',
      timeout: 20_000,
    });
    return { status: r.status, out: r.stdout.trim() };
  };
  const file = (name: string) => path.join(dir, 'run', name);

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'hotline-pids-'));
    mkdirSync(path.join(dir, 'run'));
    app = spawn('sleep', ['300'], { stdio: 'ignore' });
  });
  afterEach(() => {
    app.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  (linux ? it : it.skip)('owns the recorded process, also after the wall clock has been set forward', () => {
    expect(bash(`record_pid app-x ${app.pid}; owned_pid app-x sleep`)).toEqual({
      status: 0,
      out: `${app.pid}`,
    });
    // The clock jumped an hour ahead after the file was written: by wall-clock reasoning the app
    // started an hour after its pid file, which only a later process with the same pid could.
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(file('app-x.pid'), hourAgo, hourAgo);
    expect(bash(`owned_pid app-x sleep`)).toEqual({ status: 0, out: `${app.pid}` });
    expect(existsSync(file('app-x.pid'))).toBe(true);
  });

  (linux ? it : it.skip)(
    'disowns a process with the same pid that started at another time, and forgets it',
    () => {
      bash(`record_pid app-x ${app.pid}`);
      writeFileSync(file('app-x.start'), '1\n');
      expect(bash(`owned_pid app-x sleep`).status).toBe(1);
      expect(existsSync(file('app-x.pid'))).toBe(false);
      expect(existsSync(file('app-x.start'))).toBe(false);
    },
  );

  it('disowns a live process whose command is not the app, and a pid no process has', () => {
    bash(`record_pid app-x ${app.pid}`);
    expect(bash(`owned_pid app-x hotline-worker`).status).toBe(1);
    expect(existsSync(file('app-x.pid'))).toBe(false);
    writeFileSync(file('app-y.pid'), '999999999\n');
    expect(bash(`owned_pid app-y sleep`).status).toBe(1);
    expect(existsSync(file('app-y.pid'))).toBe(false);
  });

  it('without a recorded start time, owns a process that ran before its file was written', () => {
    writeFileSync(file('app-x.pid'), `${app.pid}\n`);
    expect(bash(`owned_pid app-x sleep`)).toEqual({ status: 0, out: `${app.pid}` });
  });
});
