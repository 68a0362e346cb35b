// CPU seconds and memory of the processes a benchmark runs on, sampled from /proc (Linux only).
// A group is a root process and all its descendants (Postgres forks a backend per connection).
// CPU of a group = user + system time of its live members plus what they collected from children
// that exited (cutime, cstime), so backends that come and go are still counted.
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const sysconf = (name, dflt) => {
  try {
    return Number(execFileSync('getconf', [name], { encoding: 'utf8' }).trim()) || dflt;
  } catch {
    return dflt;
  }
};
const CLK_TCK = sysconf('CLK_TCK', 100);
const PAGE = sysconf('PAGESIZE', 4096);

function readStat(pid) {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = s.lastIndexOf(')');
    const comm = s.slice(s.indexOf('(') + 1, close);
    const f = s.slice(close + 2).split(' ');
    return {
      pid,
      comm,
      ppid: Number(f[1]),
      own: Number(f[11]) + Number(f[12]),
      ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]),
      rss: Number(f[21]) * PAGE,
    };
  } catch {
    return null; // gone
  }
}

function readCmdline(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

/** Proportional set size: shared pages split between the processes sharing them (kB → bytes). */
function readPss(pid) {
  try {
    const m = /^Pss:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

function allStats() {
  const out = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const st = readStat(Number(name));
    if (st) out.push(st);
  }
  return out;
}

/** The local stack's servers, found by their command lines (nothing when they run elsewhere). */
function findStackProcesses(stackDir) {
  const found = {};
  const stats = allStats();
  const byPid = new Map(stats.map((s) => [s.pid, s]));
  try {
    const pid = Number(fs.readFileSync(path.join(stackDir, 'pg/data/postmaster.pid'), 'utf8').split('\n')[0]);
    if (byPid.has(pid)) found.postgres = pid;
  } catch {
    /* not the local cluster */
  }
  const postmasters = [];
  for (const s of stats) {
    const cmd = readCmdline(s.pid);
    const line = cmd.join(' ');
    if (s.comm === 'postgres' && byPid.get(s.ppid)?.comm !== 'postgres')
      postmasters.push({ pid: s.pid, ours: line.includes(stackDir) });
    if (!found.kafka && line.includes('kafka.Kafka') && /java$/.test(cmd[0] || '')) found.kafka = s.pid;
    if (!found.temporal && /temporal$/.test(cmd[0] || '') && line.includes('start-dev'))
      found.temporal = s.pid;
  }
  // The stack's own cluster, else the only one on this machine.
  if (!found.postgres) {
    const ours = postmasters.filter((p) => p.ours);
    const pick = ours.length ? ours : postmasters;
    if (pick.length === 1) found.postgres = pick[0].pid;
  }
  return found;
}

class ProcSampler {
  /**
   * groups: { name: { pid, pss?, alone? } }. pss: sum PSS instead of RSS (multi-process servers);
   * alone: the process itself only, without its children (this process, the parent of the services).
   */
  constructor(groups, intervalMs = 1000) {
    this.groups = groups;
    this.intervalMs = intervalMs;
    this.peak = {};
    this.last = {};
    this.marks = [];
    this.timer = null;
  }

  sample() {
    const stats = allStats();
    const children = new Map();
    for (const s of stats) {
      if (!children.has(s.ppid)) children.set(s.ppid, []);
      children.get(s.ppid).push(s);
    }
    const byPid = new Map(stats.map((s) => [s.pid, s]));
    const now = {};
    for (const [name, g] of Object.entries(this.groups)) {
      const root = byPid.get(g.pid);
      if (!root) continue;
      const members = [root];
      if (!g.alone)
        for (let i = 0; i < members.length; i++) members.push(...(children.get(members[i].pid) || []));
      let ticks = 0;
      let mem = 0;
      for (const m of members) {
        ticks += g.alone ? m.own : m.ticks;
        mem += g.pss ? (readPss(m.pid) ?? m.rss) : m.rss;
      }
      now[name] = { cpu: ticks / CLK_TCK, mem, procs: members.length };
      this.peak[name] = Math.max(this.peak[name] || 0, mem);
    }
    this.last = now;
    return now;
  }

  start() {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
  }

  stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    return this.sample();
  }

  /** A named point in time; CPU between two marks is their difference. */
  mark(label) {
    const s = this.sample();
    const m = {
      label,
      at: Date.now(),
      cpu: Object.fromEntries(Object.entries(s).map(([k, v]) => [k, v.cpu])),
    };
    this.marks.push(m);
    return m;
  }

  /** CPU seconds per group between two marks. */
  static cpuBetween(a, b) {
    const out = {};
    for (const k of Object.keys(b.cpu)) if (k in a.cpu) out[k] = Math.max(0, b.cpu[k] - a.cpu[k]);
    return out;
  }

  current(name) {
    return this.last[name];
  }
}

module.exports = { ProcSampler, findStackProcesses, CLK_TCK };
