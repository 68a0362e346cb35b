/**
 * Typed configuration, validated at boot. Pure: it reads the environment object it is given, so
 * it is testable and usable anywhere; a process fails fast with the list of every bad variable.
 */
export interface PlatformConfig {
  databaseUrl: string;
  kafkaBrokers: string[];
  /** Whether the platform connects to Kafka over TLS (`KAFKA_SSL=on`; default off, the local stack). */
  kafkaSsl: boolean;
  /**
   * Kafka's SASL login (`KAFKA_SASL_MECHANISM` plain|scram-sha-256|scram-sha-512,
   * `KAFKA_SASL_USERNAME`, `KAFKA_SASL_PASSWORD`: all three or none); null: none (the local stack,
   * reached on 127.0.0.1 only). A broker others can reach must ask for it: whoever can write to the
   * topics writes facts every service takes as the workflow's.
   */
  kafkaSasl: KafkaSasl | null;
  /** Prefix for topic names and consumer groups, so test runs and deployments do not mix. */
  kafkaPrefix: string;
  temporalAddress: string;
  temporalNamespace: string;
  temporalTaskQueue: string;
  /**
   * `production` unless the environment says otherwise (`HOTLINE_ENV`): `npm start` marks itself
   * `development`, the tests and benchmarks `test`. Only those two accept a development secret and
   * get the demo users.
   */
  env: HotlineEnv;
  jwtSecret: string;
  jwtTtlSeconds: number;
  /** How long a token's user (active, role, unit, token version) is cached by each service; ≤ 30 s. */
  authUserCacheTtlMs: number;
  /**
   * Fastify's `trustProxy`: whom to believe about the client address (`X-Forwarded-For`), which the
   * login's per-address limit counts by. `false` (default): the socket's peer; a number: that many
   * proxy hops; otherwise a comma-separated list of proxy addresses or CIDRs.
   */
  trustProxy: false | number | string;
  /**
   * The web origins (`scheme://host[:port]`) whose pages may call the APIs from a browser
   * (`CORS_ORIGINS`, comma-separated). Empty (default): none, same-origin only. No wildcard: the
   * APIs carry personal data.
   */
  corsOrigins: string[];
  host: string;
  ports: { intake: number; dispatch: number; evaluation: number; supervision: number };
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** Workflows the worker keeps in its sticky cache (`TEMPORAL_MAX_CACHED_WORKFLOWS`; 0: none). */
  temporalMaxCachedWorkflows: number;
  /**
   * Whether the worker's workflow sandbox keeps a stack trace of every promise workflow code makes
   * (`TEMPORAL_WORKFLOW_STACK_TRACES`, default on). They feed the Temporal UI's "Stack Trace" tab
   * and the stacks of workflow errors; `off` saves the worker about a fifth of its CPU.
   */
  temporalWorkflowStackTraces: boolean;
  /**
   * How long a caller waits for a workflow to take an action (a Temporal update) before it answers
   * 503 `dependency_unavailable` (`TEMPORAL_UPDATE_WAIT_MS`, default 20 s): a clerk's click or a
   * service's withdrawal never hangs on a worker that is down. The action may still take effect
   * later; repeated with the same Idempotency-Key it answers the first request's result.
   */
  temporalUpdateWaitMs: number;
  /**
   * How often the evaluation service looks over its expert cases (`EXPERT_SWEEP_MS`, default 60 s):
   * it starts a case's workflow that did not start, and hands on the cases held by an evaluator
   * whose account was deactivated.
   */
  expertSweepMs: number;
}

export const KAFKA_SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;
export interface KafkaSasl {
  mechanism: (typeof KAFKA_SASL_MECHANISMS)[number];
  username: string;
  password: string;
}

/** The SASL login from the environment: all three variables or none. */
function parseKafkaSasl(env: Env, problems: string[]): KafkaSasl | null {
  const mechanism = env.KAFKA_SASL_MECHANISM?.trim() ?? '';
  const username = env.KAFKA_SASL_USERNAME?.trim() ?? '';
  const password = env.KAFKA_SASL_PASSWORD ?? '';
  if (!mechanism && !username && !password) return null;
  if (!(KAFKA_SASL_MECHANISMS as readonly string[]).includes(mechanism))
    problems.push(`KAFKA_SASL_MECHANISM must be ${KAFKA_SASL_MECHANISMS.join('|')}, got "${mechanism}"`);
  if (!username || !password)
    problems.push('KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD are both required with KAFKA_SASL_MECHANISM');
  return { mechanism: mechanism as KafkaSasl['mechanism'], username, password };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

export const HOTLINE_ENVS = ['production', 'development', 'test'] as const;
export type HotlineEnv = (typeof HOTLINE_ENVS)[number];

/** Secrets that are written down somewhere (this repository, its history, its docs): never in production. */
export const KNOWN_DEVELOPMENT_SECRETS: readonly string[] = [
  'local-development-secret-change-me',
  'change-me-to-a-long-random-secret',
  'integration-test-secret',
  'bench-secret-bench-secret',
  'unit-test-secret-123456',
  'a-long-enough-secret',
  'secret',
  'changeme',
];
/** A production JWT secret has at least this many bytes (HS256 wants a key as long as its hash). */
export const MIN_PRODUCTION_SECRET_BYTES = 32;
const MIN_DEVELOPMENT_SECRET_CHARS = 16;
const PLACEHOLDER =
  /change[-_ .]?me|placeholder|example|dev(elopment)?[-_ .]?secret|test[-_ .]?secret|your[-_ .]?secret/i;

function utf8Length(s: string): number {
  let n = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return n;
}

/**
 * What is wrong with a JWT secret for this environment (empty: nothing). Outside development and
 * test a secret must be long (≥ 32 bytes), not one written in the repository, not a placeholder
 * ("change-me", "example"…) and not a run of a few characters.
 */
export function jwtSecretProblems(secret: string, env: HotlineEnv): string[] {
  if (env !== 'production')
    return secret.length < MIN_DEVELOPMENT_SECRET_CHARS
      ? [`JWT_SECRET must be at least ${MIN_DEVELOPMENT_SECRET_CHARS} characters`]
      : [];
  const problems: string[] = [];
  const hint = 'e.g. `openssl rand -base64 48`';
  if (KNOWN_DEVELOPMENT_SECRETS.includes(secret) || PLACEHOLDER.test(secret))
    problems.push(
      `JWT_SECRET is a development or placeholder secret; outside development and test (HOTLINE_ENV) set a long random one (${hint})`,
    );
  else if (utf8Length(secret) < MIN_PRODUCTION_SECRET_BYTES)
    problems.push(
      `JWT_SECRET must be at least ${MIN_PRODUCTION_SECRET_BYTES} bytes outside development and test (${hint})`,
    );
  else if (new Set(secret).size < 8) problems.push(`JWT_SECRET is not random enough (${hint})`);
  return problems;
}

function parseTrustProxy(raw: string | undefined, problems: string[]): PlatformConfig['trustProxy'] {
  const v = raw?.trim();
  if (!v || v === 'false') return false;
  if (/^\d+$/.test(v)) return Number(v);
  if (v === 'true') {
    problems.push(
      'TRUST_PROXY=true would believe any client about its address; name the proxies or a hop count',
    );
    return false;
  }
  if (!/^[0-9a-fA-F:./, ]+$/.test(v))
    problems.push('TRUST_PROXY must be a hop count or a comma-separated list of addresses or CIDRs');
  return v;
}

/** A browser's `Origin`: scheme, host and an optional port, nothing else. */
const ORIGIN = /^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$|^https?:\/\/\[[0-9a-f:]+\](:\d{1,5})?$/;

function parseCorsOrigins(raw: string | undefined, problems: string[]): string[] {
  const origins = (raw ?? '')
    .split(',')
    .map((o) => o.trim().toLowerCase())
    .filter(Boolean);
  for (const o of origins)
    if (o === '*' || o === 'null')
      problems.push(`CORS_ORIGINS may not be "${o}": name each web origin the APIs serve`);
    else if (!ORIGIN.test(o))
      problems.push(`CORS_ORIGINS entry "${o}" is not an origin like https://hotline.example (no path)`);
  return [...new Set(origins)];
}

export function loadConfig(env: Env): PlatformConfig {
  const problems: string[] = [];
  const required = (name: string): string => {
    const v = env[name]?.trim();
    if (!v) {
      problems.push(`${name} is required`);
      return '';
    }
    return v;
  };
  const int = (name: string, dflt: number, min: number, max: number): number => {
    const raw = env[name]?.trim();
    if (!raw) return dflt;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name} must be an integer in [${min}, ${max}], got "${raw}"`);
      return dflt;
    }
    return n;
  };
  const databaseUrl = required('DATABASE_URL');
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl))
    problems.push('DATABASE_URL must be a postgres:// URL');
  const brokers = required('KAFKA_BROKERS')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  for (const b of brokers)
    if (!/^[^:\s]+:\d+$/.test(b)) problems.push(`KAFKA_BROKERS entry "${b}" is not host:port`);
  const temporalAddress = required('TEMPORAL_ADDRESS');
  const rawEnv = env.HOTLINE_ENV?.trim() || 'production';
  const envName: HotlineEnv = (HOTLINE_ENVS as readonly string[]).includes(rawEnv)
    ? (rawEnv as HotlineEnv)
    : 'production';
  if (envName !== rawEnv) problems.push(`HOTLINE_ENV must be ${HOTLINE_ENVS.join('|')}, got "${rawEnv}"`);
  const jwtSecret = required('JWT_SECRET');
  if (jwtSecret) problems.push(...jwtSecretProblems(jwtSecret, envName));
  const logLevel = (env.LOG_LEVEL ?? 'info') as PlatformConfig['logLevel'];
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel))
    problems.push('LOG_LEVEL must be debug|info|warn|error');
  const onOff = (name: string, dflt: boolean): boolean => {
    const raw = env[name]?.trim();
    if (!raw) return dflt;
    if (raw === 'on' || raw === 'off') return raw === 'on';
    problems.push(`${name} must be on|off, got "${raw}"`);
    return dflt;
  };
  const config: PlatformConfig = {
    databaseUrl,
    kafkaBrokers: brokers,
    kafkaSsl: onOff('KAFKA_SSL', false),
    kafkaSasl: parseKafkaSasl(env, problems),
    kafkaPrefix: env.KAFKA_PREFIX?.trim() || 'hotline',
    temporalAddress,
    temporalNamespace: env.TEMPORAL_NAMESPACE?.trim() || 'default',
    temporalTaskQueue: env.TEMPORAL_TASK_QUEUE?.trim() || 'tickets',
    env: envName,
    jwtSecret,
    jwtTtlSeconds: int('JWT_TTL_SECONDS', 8 * 3600, 60, 7 * 24 * 3600),
    authUserCacheTtlMs: int('AUTH_USER_CACHE_TTL_MS', 15_000, 0, 30_000),
    trustProxy: parseTrustProxy(env.TRUST_PROXY, problems),
    corsOrigins: parseCorsOrigins(env.CORS_ORIGINS, problems),
    host: env.HOST?.trim() || '127.0.0.1',
    ports: {
      intake: int('INTAKE_PORT', 3001, 0, 65535),
      dispatch: int('DISPATCH_PORT', 3002, 0, 65535),
      evaluation: int('EVALUATION_PORT', 3003, 0, 65535),
      supervision: int('SUPERVISION_PORT', 3004, 0, 65535),
    },
    logLevel,
    temporalMaxCachedWorkflows: int('TEMPORAL_MAX_CACHED_WORKFLOWS', 250, 0, 1_000_000),
    temporalWorkflowStackTraces: onOff('TEMPORAL_WORKFLOW_STACK_TRACES', true),
    temporalUpdateWaitMs: int('TEMPORAL_UPDATE_WAIT_MS', 20_000, 1_000, 600_000),
    expertSweepMs: int('EXPERT_SWEEP_MS', 60_000, 1_000, 3_600_000),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

export function topicName(config: Pick<PlatformConfig, 'kafkaPrefix'>, topic: string): string {
  return `${config.kafkaPrefix}.${topic}`;
}
