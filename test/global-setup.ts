import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createDataSource, runMigrations } from '../libs/platform/src/db/data-source';
import { seedDemoCity } from '../libs/platform/src/db/seed';
import { PiiCipher } from '../libs/platform/src/security/pii-cipher';
import { ensureNamespace } from '../libs/platform/src/temporal/namespace';
import { requireStack } from './stack-env';

/**
 * Integration tests get a database of their own, migrated and seeded, and their own Kafka topic
 * prefix and Temporal task queue, so a run never sees another run's data.
 */
export default async function globalSetup(): Promise<void> {
  const stack = requireStack();
  const stamp = `${Date.now().toString(36)}${process.pid.toString(36)}`;
  const dbName = `hotline_test_${stamp}`;
  const admin = new Client({ connectionString: stack.databaseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${dbName}`);
  } finally {
    await admin.end();
  }
  const url = new URL(stack.databaseUrl);
  url.pathname = `/${dbName}`;
  process.env.HOTLINE_TEST_ADMIN_DATABASE_URL = stack.databaseUrl;
  process.env.HOTLINE_TEST_DATABASE = dbName;
  process.env.DATABASE_URL = url.toString();
  process.env.KAFKA_PREFIX = `test-${stamp}`;
  // Ticket numbers restart in every test database, and they are the workflow ids: a namespace of
  // the run's own keeps them apart from other runs and from the development data.
  process.env.TEMPORAL_NAMESPACE = `hotline-test-${stamp}`;
  process.env.TEMPORAL_TASK_QUEUE = `tickets-test-${stamp}`;
  // Tests are development: demo users, and a secret of the run's own.
  process.env.HOTLINE_ENV = 'test';
  process.env.JWT_SECRET = process.env.JWT_SECRET ?? randomBytes(32).toString('base64');
  process.env.LOG_LEVEL = 'warn';
  for (const p of ['INTAKE_PORT', 'DISPATCH_PORT', 'EVALUATION_PORT', 'SUPERVISION_PORT'])
    process.env[p] = '0';

  await ensureNamespace(stack.temporalAddress, process.env.TEMPORAL_NAMESPACE, { retentionDays: 1 });
  // Personal-data keys: fixed test keys (never used outside tests), unless the environment sets its own.
  process.env.HOTLINE_PII_KEYS ??= `test1:${Buffer.alloc(32, 'hotline-test-pii-key-1').toString('base64')}`;
  process.env.HOTLINE_PII_INDEX_KEY ??= Buffer.alloc(32, 'hotline-test-pii-index').toString('base64');
  await runMigrations(process.env.DATABASE_URL);
  const ds = await createDataSource(process.env.DATABASE_URL, { poolSize: 2 }).initialize();
  try {
    await seedDemoCity(ds, undefined, 'SQ', { demoUsers: true, pii: PiiCipher.fromEnv(process.env) });
  } finally {
    await ds.destroy();
  }
}
