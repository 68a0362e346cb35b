import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { sourceBundlerOptions } from '../src/worker/worker';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';

/**
 * Determinism guard: every recorded history in ./histories is replayed with the current workflow
 * code. A change that would break running tickets fails here; such a change needs `patched()`.
 */
const HISTORIES = path.resolve(__dirname, 'histories');

describe('workflow replay (ticket, supervision order, indicator and plan deadlines)', () => {
  const files = readdirSync(HISTORIES).filter((f) => f.endsWith('.json'));

  it('has recorded histories to replay', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)(
    'replays %s with the current code',
    async (file) => {
      const history = JSON.parse(readFileSync(path.join(HISTORIES, file), 'utf8')) as Parameters<
        typeof historyFromJSON
      >[0];
      await Worker.runReplayHistory(
        {
          workflowsPath: require.resolve('../src/workflows'),
          bundlerOptions: sourceBundlerOptions(),
          replayName: file,
        },
        history,
        `replay-${file}`,
      );
    },
    60000,
  );
});
