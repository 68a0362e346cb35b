import { loadConfig } from '@hotline/shared';
import { ensureNamespace } from '../temporal/namespace';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  await ensureNamespace(config.temporalAddress, config.temporalNamespace);
  console.log(`temporal: namespace "${config.temporalNamespace}" has the ticket search attributes`);
}

main().catch((err) => {
  console.error(`temporal-setup: ${(err as Error).message}`);
  process.exit(1);
});
