import { loadConfig } from '@hotline/shared';
import { createDataSource } from '../db/data-source';
import { seedDemoCity } from '../db/seed';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const ds = await createDataSource(config.databaseUrl, { poolSize: 2 }).initialize();
  try {
    console.log('seed: demo city');
    await seedDemoCity(ds, (m) => console.log(`seed:   ${m}`), process.env.HOTLINE_POLICY_SET || 'SQ');
    console.log('seed: done');
  } finally {
    await ds.destroy();
  }
}

main().catch((err) => {
  console.error(`seed: ${(err as Error).message}`);
  process.exit(1);
});
