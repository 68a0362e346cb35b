import { ConfigError, loadConfig } from '@hotline/shared';
import { listen } from '@hotline/platform';
import { createDispatchApp } from './app';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const app = await createDispatchApp(config);
  await listen(app, config, config.ports.dispatch);
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
