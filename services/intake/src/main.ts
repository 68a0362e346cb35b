import { ConfigError, loadConfig } from '@hotline/shared';
import { listen } from '@hotline/platform';
import { createIntakeApp } from './app';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const app = await createIntakeApp(config);
  await listen(app, config, config.ports.intake);
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
