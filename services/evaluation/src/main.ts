import { ConfigError, loadConfig } from '@hotline/shared';
import { listen } from '@hotline/platform';
import { createEvaluationApp } from './app';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const app = await createEvaluationApp(config);
  await listen(app, config, config.ports.evaluation);
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
