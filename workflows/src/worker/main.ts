import {
  loadConfig,
  ConfigError,
  EVALUATION_EVENTS_TOPIC,
  SUPERVISION_EVENTS_TOPIC,
  TICKET_EVENTS_TOPIC,
  topicName,
} from '@hotline/shared';
import {
  consoleLogger,
  createDataSource,
  createKafka,
  ensureTopics,
  OutboxRelay,
  quietKafka,
} from '@hotline/platform';
import { createTicketWorker, DEFAULT_BUNDLE_PATH } from './worker';

/** The worker process: runs TicketWorkflow and its activities, and relays the outbox to Kafka. */
async function main(): Promise<void> {
  const log = consoleLogger('worker');
  const config = loadConfig(process.env);
  const ds = await createDataSource(config.databaseUrl, { applicationName: 'worker' }).initialize();
  const kafka = createKafka(config, 'worker-outbox');
  // Every topic the outbox carries exists before the first row goes out.
  await ensureTopics(
    quietKafka(config, 'worker-topics'),
    [TICKET_EVENTS_TOPIC, EVALUATION_EVENTS_TOPIC, SUPERVISION_EVENTS_TOPIC].map((t) => topicName(config, t)),
  );
  const relay = new OutboxRelay(ds, kafka, log);
  await relay.start();
  const { worker, connection } = await createTicketWorker({
    config,
    ds,
    workflowBundlePath: DEFAULT_BUNDLE_PATH,
  });
  log.log(
    `polling task queue "${config.temporalTaskQueue}" on ${config.temporalAddress}; ` +
      `workflow stack traces ${config.temporalWorkflowStackTraces ? 'on' : 'off'}`,
  );
  const shutdown = (): void => worker.shutdown();
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  await worker.run();
  await relay.stop();
  await connection.close();
  await ds.destroy();
  log.log('stopped');
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
