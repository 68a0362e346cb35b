import { loadConfig } from '@hotline/shared';
import { createDataSource } from '../db/data-source';
import { disableDemoUsers, seedDemoCity } from '../db/seed';
import { PiiCipher } from '../security/pii-cipher';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const ds = await createDataSource(config.databaseUrl, { poolSize: 2 }).initialize();
  try {
    const demoUsers = config.env !== 'production';
    console.log(`seed: demo city (${config.env})`);
    await seedDemoCity(ds, (m) => console.log(`seed:   ${m}`), process.env.HOTLINE_POLICY_SET || 'SQ', {
      demoUsers,
      pii: demoUsers ? PiiCipher.fromEnv(process.env) : undefined,
    });
    if (!demoUsers) {
      console.log('seed:   no demo users outside development and test (HOTLINE_ENV)');
      const disabled = await disableDemoUsers(ds);
      if (disabled.length > 0)
        console.log(`seed:   deactivated demo users still on the demo password: ${disabled.join(', ')}`);
      console.log(
        'seed:   create users with `HOTLINE_USER_PASSWORD=… node libs/platform/dist/cli/user.js create <username> <role> [unit]`',
      );
    }
    console.log('seed: done');
  } finally {
    await ds.destroy();
  }
}

main().catch((err) => {
  console.error(`seed: ${(err as Error).message}`);
  process.exit(1);
});
