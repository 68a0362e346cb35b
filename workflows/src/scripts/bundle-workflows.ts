import { writeFileSync } from 'node:fs';
import { bundleWorkflowCode } from '@temporalio/worker';
import { DEFAULT_BUNDLE_PATH } from '../worker/worker';
import { quietBundlerLogger } from '../worker/bundler-logger';

/** Build step: the production worker loads this prebuilt bundle instead of bundling at boot. */
async function main(): Promise<void> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../workflows'),
    logger: quietBundlerLogger,
  });
  writeFileSync(DEFAULT_BUNDLE_PATH, code);
  console.log(`workflow bundle: ${DEFAULT_BUNDLE_PATH} (${Math.round(code.length / 1024)} KiB)`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
