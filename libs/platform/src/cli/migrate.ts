import { loadConfig } from '@hotline/shared';
import { runMigrations } from '../db/data-source';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  console.log('migrate: running migrations…');
  const ran = await runMigrations(config.databaseUrl);
  console.log(ran.length ? `migrate: applied ${ran.join(', ')}` : 'migrate: schema is up to date');
}

main().catch((err) => {
  console.error(`migrate: ${(err as Error).message}`);
  process.exit(1);
});
