/**
 * Typed configuration, validated at boot. Pure: it reads the environment object it is given, so
 * it is testable and usable anywhere; a process fails fast with the list of every bad variable.
 */
export interface PlatformConfig {
  databaseUrl: string;
  kafkaBrokers: string[];
  /** Prefix for topic names and consumer groups, so test runs and deployments do not mix. */
  kafkaPrefix: string;
  temporalAddress: string;
  temporalNamespace: string;
  temporalTaskQueue: string;
  jwtSecret: string;
  jwtTtlSeconds: number;
  host: string;
  ports: { intake: number; dispatch: number; evaluation: number; supervision: number };
  logLevel: 'debug' | 'info' | 'warn' | 'error';
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

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
  const jwtSecret = required('JWT_SECRET');
  if (jwtSecret && jwtSecret.length < 16) problems.push('JWT_SECRET must be at least 16 characters');
  const logLevel = (env.LOG_LEVEL ?? 'info') as PlatformConfig['logLevel'];
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel))
    problems.push('LOG_LEVEL must be debug|info|warn|error');
  const config: PlatformConfig = {
    databaseUrl,
    kafkaBrokers: brokers,
    kafkaPrefix: env.KAFKA_PREFIX?.trim() || 'hotline',
    temporalAddress,
    temporalNamespace: env.TEMPORAL_NAMESPACE?.trim() || 'default',
    temporalTaskQueue: env.TEMPORAL_TASK_QUEUE?.trim() || 'tickets',
    jwtSecret,
    jwtTtlSeconds: int('JWT_TTL_SECONDS', 8 * 3600, 60, 7 * 24 * 3600),
    host: env.HOST?.trim() || '127.0.0.1',
    ports: {
      intake: int('INTAKE_PORT', 3001, 0, 65535),
      dispatch: int('DISPATCH_PORT', 3002, 0, 65535),
      evaluation: int('EVALUATION_PORT', 3003, 0, 65535),
      supervision: int('SUPERVISION_PORT', 3004, 0, 65535),
    },
    logLevel,
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

export function topicName(config: Pick<PlatformConfig, 'kafkaPrefix'>, topic: string): string {
  return `${config.kafkaPrefix}.${topic}`;
}
