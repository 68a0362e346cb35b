import { ConfigError, jwtSecretProblems, KNOWN_DEVELOPMENT_SECRETS, loadConfig } from './config';

const RANDOM_SECRET = 'k3J9vQ2mX7pL0sR4tW8yZ1aB5cD6eF0gH2iJ4kL6mN8=';
const base = {
  DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/hotline',
  KAFKA_BROKERS: '127.0.0.1:9092',
  TEMPORAL_ADDRESS: '127.0.0.1:7233',
  JWT_SECRET: RANDOM_SECRET,
};

describe('loadConfig', () => {
  it('reads a valid environment with defaults', () => {
    const c = loadConfig(base);
    expect(c.kafkaBrokers).toEqual(['127.0.0.1:9092']);
    expect(c.ports).toEqual({ intake: 3001, dispatch: 3002, evaluation: 3003, supervision: 3004 });
    expect(c.temporalNamespace).toBe('default');
  });
  it('lists every problem at once', () => {
    try {
      loadConfig({ KAFKA_BROKERS: 'nohost', INTAKE_PORT: 'abc', JWT_SECRET: 'short', HOTLINE_ENV: 'test' });
      fail('expected ConfigError');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const problems = (e as ConfigError).problems.join('\n');
      expect(problems).toMatch(/DATABASE_URL is required/);
      expect(problems).toMatch(/TEMPORAL_ADDRESS is required/);
      expect(problems).toMatch(/"nohost" is not host:port/);
      expect(problems).toMatch(/JWT_SECRET must be at least 16/);
      expect(problems).toMatch(/INTAKE_PORT must be an integer/);
    }
  });
});

describe('the JWT secret', () => {
  const config = (env: Record<string, string>) => loadConfig({ ...base, ...env });
  const problems = (env: Record<string, string>) => {
    try {
      config(env);
      return [];
    } catch (e) {
      return (e as ConfigError).problems;
    }
  };

  it('is production unless HOTLINE_ENV says development or test', () => {
    expect(config({}).env).toBe('production');
    expect(config({ HOTLINE_ENV: 'development' }).env).toBe('development');
    expect(problems({ HOTLINE_ENV: 'staging' }).join()).toMatch(/HOTLINE_ENV must be/);
  });
  it('refuses every development or placeholder secret outside development and test', () => {
    for (const secret of [
      'local-development-secret-change-me', // the one scripts/start.sh used to write
      'change-me-to-a-long-random-secret', // the one docker-compose.yml used to ship
      ...KNOWN_DEVELOPMENT_SECRETS,
      'please-change-me-0123456789abcdefghijklmnop',
      'an-example-secret-that-is-long-enough-1234567',
    ]) {
      expect(problems({ JWT_SECRET: secret }).join()).toMatch(/JWT_SECRET/);
      if (secret.length < 16) continue; // too short for development too
      expect(() => config({ JWT_SECRET: secret, HOTLINE_ENV: 'development' })).not.toThrow();
      expect(() => config({ JWT_SECRET: secret, HOTLINE_ENV: 'test' })).not.toThrow();
    }
  });
  it('must be at least 32 bytes in production: 31 is refused, 32 accepted', () => {
    const of = (n: number) => RANDOM_SECRET.slice(0, n);
    expect(problems({ JWT_SECRET: of(31) }).join()).toMatch(/at least 32 bytes/);
    expect(config({ JWT_SECRET: of(32) }).jwtSecret).toBe(of(32));
    expect(jwtSecretProblems('一二三四五六七八九十百', 'production')).toEqual([]); // 11 characters, 33 bytes
  });
  it('refuses a long run of a few characters in production', () => {
    expect(jwtSecretProblems('ab'.repeat(32), 'production').join()).toMatch(/not random enough/);
  });
  it('keeps the 16-character minimum in development and test', () => {
    expect(problems({ JWT_SECRET: 'x'.repeat(15), HOTLINE_ENV: 'test' }).join()).toMatch(/16 characters/);
    expect(() => config({ JWT_SECRET: 'x'.repeat(16), HOTLINE_ENV: 'test' })).not.toThrow();
  });
});

describe('other security settings', () => {
  it('caches token users 15 s by default, at most 30 s', () => {
    expect(loadConfig(base).authUserCacheTtlMs).toBe(15_000);
    expect(loadConfig({ ...base, AUTH_USER_CACHE_TTL_MS: '30000' }).authUserCacheTtlMs).toBe(30_000);
    expect(() => loadConfig({ ...base, AUTH_USER_CACHE_TTL_MS: '30001' })).toThrow(/AUTH_USER_CACHE_TTL_MS/);
  });
  it('trusts no proxy by default; hop counts and address lists, never everyone', () => {
    expect(loadConfig(base).trustProxy).toBe(false);
    expect(loadConfig({ ...base, TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ ...base, TRUST_PROXY: '127.0.0.1,10.0.0.0/8' }).trustProxy).toBe(
      '127.0.0.1,10.0.0.0/8',
    );
    expect(() => loadConfig({ ...base, TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY/);
  });
  it('lets no web origin call the APIs by default; names origins, never a wildcard or a path', () => {
    expect(loadConfig(base).corsOrigins).toEqual([]);
    expect(
      loadConfig({
        ...base,
        CORS_ORIGINS: ' https://Hotline.example , http://127.0.0.1:8080,https://hotline.example',
      }).corsOrigins,
    ).toEqual(['https://hotline.example', 'http://127.0.0.1:8080']);
    expect(loadConfig({ ...base, CORS_ORIGINS: 'http://[::1]:3000' }).corsOrigins).toEqual([
      'http://[::1]:3000',
    ]);
    for (const bad of [
      '*',
      'null',
      'https://hotline.example/',
      'https://a.example/app',
      'hotline.example',
      'ftp://a.example',
    ])
      expect(() => loadConfig({ ...base, CORS_ORIGINS: bad })).toThrow(/CORS_ORIGINS/);
  });
});

describe('the Kafka connection', () => {
  it('is plain with no login by default (the local stack, on 127.0.0.1)', () => {
    expect(loadConfig(base)).toMatchObject({ kafkaSsl: false, kafkaSasl: null });
  });
  it('takes TLS and a SASL login, all three variables or none', () => {
    expect(
      loadConfig({
        ...base,
        KAFKA_SSL: 'on',
        KAFKA_SASL_MECHANISM: 'scram-sha-512',
        KAFKA_SASL_USERNAME: 'hotline',
        KAFKA_SASL_PASSWORD: 's3cret pass',
      }),
    ).toMatchObject({
      kafkaSsl: true,
      kafkaSasl: { mechanism: 'scram-sha-512', username: 'hotline', password: 's3cret pass' },
    });
    expect(() => loadConfig({ ...base, KAFKA_SASL_MECHANISM: 'plain' })).toThrow(/KAFKA_SASL_USERNAME/);
    expect(() =>
      loadConfig({
        ...base,
        KAFKA_SASL_MECHANISM: 'gssapi',
        KAFKA_SASL_USERNAME: 'u',
        KAFKA_SASL_PASSWORD: 'p',
      }),
    ).toThrow(/KAFKA_SASL_MECHANISM/);
    expect(() => loadConfig({ ...base, KAFKA_SASL_PASSWORD: 'p' })).toThrow(/KAFKA_SASL_MECHANISM/);
    expect(() => loadConfig({ ...base, KAFKA_SSL: 'yes' })).toThrow(/KAFKA_SSL/);
  });
});

describe('worker settings', () => {
  it('caches 250 workflows by default; any count from 0 (no cache), nothing else', () => {
    expect(loadConfig(base).temporalMaxCachedWorkflows).toBe(250);
    expect(loadConfig({ ...base, TEMPORAL_MAX_CACHED_WORKFLOWS: '0' }).temporalMaxCachedWorkflows).toBe(0);
    expect(loadConfig({ ...base, TEMPORAL_MAX_CACHED_WORKFLOWS: '1' }).temporalMaxCachedWorkflows).toBe(1);
    for (const bad of ['-5', '2.5', 'lots'])
      expect(() => loadConfig({ ...base, TEMPORAL_MAX_CACHED_WORKFLOWS: bad })).toThrow(
        /TEMPORAL_MAX_CACHED_WORKFLOWS must be an integer/,
      );
  });
  it('waits 20 s for a workflow to take an action by default; 1 s to 10 min, nothing else', () => {
    expect(loadConfig(base).temporalUpdateWaitMs).toBe(20_000);
    expect(loadConfig({ ...base, TEMPORAL_UPDATE_WAIT_MS: '1000' }).temporalUpdateWaitMs).toBe(1000);
    expect(loadConfig({ ...base, TEMPORAL_UPDATE_WAIT_MS: '600000' }).temporalUpdateWaitMs).toBe(600_000);
    for (const bad of ['0', '999', '600001', '-1', '2.5', 'soon'])
      expect(() => loadConfig({ ...base, TEMPORAL_UPDATE_WAIT_MS: bad })).toThrow(/TEMPORAL_UPDATE_WAIT_MS/);
  });
  it('keeps workflow stack traces unless TEMPORAL_WORKFLOW_STACK_TRACES=off', () => {
    expect(loadConfig(base).temporalWorkflowStackTraces).toBe(true);
    expect(loadConfig({ ...base, TEMPORAL_WORKFLOW_STACK_TRACES: 'off' }).temporalWorkflowStackTraces).toBe(
      false,
    );
    expect(loadConfig({ ...base, TEMPORAL_WORKFLOW_STACK_TRACES: 'on' }).temporalWorkflowStackTraces).toBe(
      true,
    );
    for (const bad of ['yes', 'true', '1', 'ON'])
      expect(() => loadConfig({ ...base, TEMPORAL_WORKFLOW_STACK_TRACES: bad })).toThrow(
        /TEMPORAL_WORKFLOW_STACK_TRACES must be on\|off/,
      );
  });
});
