import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import type { WorkerOptions } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import type { SmsGateway } from '@hotline/platform';
import type { PlatformConfig } from '@hotline/shared';
import {
  AlertRepository,
  ExpertRepository,
  PiiCipher,
  ReconsiderationRepository,
  SupervisionOrderRepository,
  IndicatorDeadlineRepository,
  TrackedPlanRepository,
  VoteRepository,
  SmsSender,
  smsGatewayFromEnv,
  TicketLedgerRepository,
} from '@hotline/platform';
import { createTicketActivities } from '../ticket/ticket.activities';
import { createExpertActivities } from '../evaluation/expert/expert-evaluation.activities';
import { createVoteActivities } from '../evaluation/vote/public-vote.activities';
import { createReconsiderationActivities } from '../evaluation/reconsideration/reconsideration.activities';
import { createSupervisionOrderActivities } from '../supervision/order/supervision-order.activities';
import { createIndicatorDeadlineActivities } from '../supervision/indicator/indicator-deadline.activities';
import { createPlanDeadlineActivities } from '../supervision/plan/plan-deadline.activities';
import { withSandboxPrelude } from './sandbox';

export interface TicketWorkerOptions {
  config: PlatformConfig;
  ds: DataSource;
  /** A prebuilt bundle (production); without it the worker bundles the workflow sources itself. */
  workflowBundlePath?: string;
  /** Workflows kept in the worker's sticky cache (default: the config's, TEMPORAL_MAX_CACHED_WORKFLOWS). */
  maxCachedWorkflows?: number;
  /** How SMS leave the platform (default: SMS_PROVIDER's gateway; local records only). */
  smsGateway?: SmsGateway;
}

/** Where the build puts the prebuilt workflow bundle (scripts/bundle-workflows). */
export const DEFAULT_BUNDLE_PATH = path.resolve(__dirname, '../workflow-bundle.js');

export async function createTicketWorker(
  opts: TicketWorkerOptions,
): Promise<{ worker: Worker; connection: NativeConnection }> {
  const { config, ds } = opts;
  const connection = await NativeConnection.connect({ address: config.temporalAddress });
  const pii = PiiCipher.fromEnv(process.env);
  const activities = {
    ...createTicketActivities({
      ledger: new TicketLedgerRepository(ds, config.kafkaPrefix),
      alerts: new AlertRepository(ds, config.kafkaPrefix),
    }),
    ...createExpertActivities({
      experts: new ExpertRepository(ds, config.kafkaPrefix, pii),
      sms: new SmsSender(ds, pii, opts.smsGateway ?? smsGatewayFromEnv(process.env)),
    }),
    ...createVoteActivities({ votes: new VoteRepository(ds, config.kafkaPrefix) }),
    ...createReconsiderationActivities({
      reconsiderations: new ReconsiderationRepository(ds, config.kafkaPrefix),
    }),
    ...createSupervisionOrderActivities({ orders: new SupervisionOrderRepository(ds, config.kafkaPrefix) }),
    ...createIndicatorDeadlineActivities({
      indicators: new IndicatorDeadlineRepository(ds, config.kafkaPrefix),
    }),
    ...createPlanDeadlineActivities({ plans: new TrackedPlanRepository(ds, config.kafkaPrefix) }),
  };
  const worker = await Worker.create({
    connection,
    namespace: config.temporalNamespace,
    taskQueue: config.temporalTaskQueue,
    activities,
    // A bounded sticky cache: an open ticket waits days on its timers, so most tickets are not in
    // memory; an evicted one is replayed from its (short) history when it wakes.
    maxCachedWorkflows: opts.maxCachedWorkflows ?? config.temporalMaxCachedWorkflows,
    // A task for a ticket this worker has just evicted from its cache waits on the sticky queue
    // until this runs out, then goes to any worker: 10 s by default, a clerk's 10 s.
    stickyQueueScheduleToStartTimeout: '2s',
    workflowBundle: await ticketWorkflowBundle(config, opts.workflowBundlePath),
  });
  return { worker, connection };
}

/**
 * The workflows as the worker runs them: the prebuilt bundle when there is one, otherwise the
 * sources bundled now; behind the sandbox prelude the configuration asks for (sandbox.ts).
 */
export async function ticketWorkflowBundle(
  config: Pick<PlatformConfig, 'temporalWorkflowStackTraces'>,
  bundlePath?: string,
): Promise<{ code: string }> {
  const code =
    bundlePath && existsSync(bundlePath)
      ? readFileSync(bundlePath, 'utf8')
      : (
          await bundleWorkflowCode({
            workflowsPath: require.resolve('../workflows'),
            ...sourceBundlerOptions(),
            logger: Runtime.instance().logger,
          })
        ).code;
  return { code: withSandboxPrelude(code, { stackTraces: config.temporalWorkflowStackTraces }) };
}

/**
 * Without a prebuilt bundle (development, tests) the worker bundles the workflow sources: it then
 * takes libs/shared from its sources too, never from a stale build.
 */
export function sourceBundlerOptions(): WorkerOptions['bundlerOptions'] {
  const sharedSrc = path.resolve(__dirname, '../../../libs/shared/src');
  if (!existsSync(sharedSrc)) return undefined;
  return {
    webpackConfigHook: (config) => {
      const resolve = config.resolve ?? {};
      const alias = (resolve.alias ?? {}) as Record<string, string>;
      config.resolve = {
        ...resolve,
        alias: { ...alias, '@hotline/shared$': path.join(sharedSrc, 'index.ts') },
      };
      return config;
    },
  };
}
