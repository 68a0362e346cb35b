import { Client } from 'pg';

export default async function globalTeardown(): Promise<void> {
  const adminUrl = process.env.HOTLINE_TEST_ADMIN_DATABASE_URL;
  const db = process.env.HOTLINE_TEST_DATABASE;
  if (!adminUrl || !db || process.env.HOTLINE_KEEP_TEST_DB === '1') return;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
