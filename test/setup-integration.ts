import { DefaultLogger, Runtime } from '@temporalio/worker';

// Real servers take real time: a Kafka group join, a workflow bundle.
jest.setTimeout(120_000);

// The worker's own progress lines are noise in test output; warnings and errors still show.
try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  /* already installed by an earlier file in this process */
}
