import { ConfigError, loadConfig } from './config';

const base = {
  DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/hotline',
  KAFKA_BROKERS: '127.0.0.1:9092',
  TEMPORAL_ADDRESS: '127.0.0.1:7233',
  JWT_SECRET: 'a-long-enough-secret',
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
      loadConfig({ KAFKA_BROKERS: 'nohost', INTAKE_PORT: 'abc', JWT_SECRET: 'short' });
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
