import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The addresses of the real servers the integration tests use: the environment, or else what
 * scripts/stack.sh wrote to .stack/env when it started them.
 */
export function loadStackEnv(): void {
  const file = path.resolve(__dirname, '../.stack/env');
  if (!existsSync(file)) return;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m && process.env[m[1]] === undefined) process.env[m[1]] = m[2];
  }
}

export function requireStack(): { databaseUrl: string; kafkaBrokers: string; temporalAddress: string } {
  loadStackEnv();
  const { DATABASE_URL, KAFKA_BROKERS, TEMPORAL_ADDRESS } = process.env;
  if (!DATABASE_URL || !KAFKA_BROKERS || !TEMPORAL_ADDRESS)
    throw new Error(
      'integration tests need DATABASE_URL, KAFKA_BROKERS and TEMPORAL_ADDRESS: run them through `npm test`, or start the stack with `npm run stack`',
    );
  return { databaseUrl: DATABASE_URL, kafkaBrokers: KAFKA_BROKERS, temporalAddress: TEMPORAL_ADDRESS };
}
