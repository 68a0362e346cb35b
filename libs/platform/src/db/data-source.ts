import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { Foundation1763900000000 } from './migrations/1763900000000-foundation';
import { Lifecycle1763910000000 } from './migrations/1763910000000-lifecycle';
import { AssistingUnits1763920000000 } from './migrations/1763920000000-assisting-units';
import { CoreV21763930000000 } from './migrations/1763930000000-core-v2';
import { TokenVersion1763940000000 } from './migrations/1763940000000-token-version';
import { PersonalData1763950000000 } from './migrations/1763950000000-personal-data';
import { EvaluationEvents1763955000000 } from './migrations/1763955000000-evaluation-events';
import { Sms1763956000000 } from './migrations/1763956000000-sms';
import { CallbackTasks1763962000000 } from './migrations/1763962000000-callback-tasks';
import { ExpertEvaluators1763963000000 } from './migrations/1763963000000-expert-evaluators';
import { VotesReconsideration1763964000000 } from './migrations/1763964000000-votes-reconsideration';
import { Satisfaction1763965000000 } from './migrations/1763965000000-satisfaction';
import { Supervision1763970000000 } from './migrations/1763970000000-supervision';
import { LedgerCorrections1763980000000 } from './migrations/1763980000000-ledger-corrections';
import { OrderSources1763990000000 } from './migrations/1763990000000-order-sources';
import { TransitionGeneration1763995000000 } from './migrations/1763995000000-transition-generation';
import { VoteWithdrawal1763996000000 } from './migrations/1763996000000-vote-withdrawal';
import { ExpertCaseWithdrawal1763997000000 } from './migrations/1763997000000-expert-case-withdrawal';
import { ClosedTicketsOrder1763998000000 } from './migrations/1763998000000-closed-tickets-order';
import { IdempotencyKeys1763999000000 } from './migrations/1763999000000-idempotency-keys';
import { DeskDeadlines1764000000000 } from './migrations/1764000000000-desk-deadlines';
import { LedgerOrder1764001000000 } from './migrations/1764001000000-ledger-order';
import { RegistryNumbers1764002000000 } from './migrations/1764002000000-registry-numbers';
import { TrackedPlans1764003000000 } from './migrations/1764003000000-tracked-plans';
import { WithdrawnPlans1764004000000 } from './migrations/1764004000000-withdrawn-plans';
import { ComplaintNature1764005000000 } from './migrations/1764005000000-complaint-nature';
import { MultiLevel1764006000000 } from './migrations/1764006000000-multi-level';
import { CatalogApplications1764007000000 } from './migrations/1764007000000-catalog-applications';
import { KnowledgeBase1764008000000 } from './migrations/1764008000000-knowledge-base';
import { Attachments1764009000000 } from './migrations/1764009000000-attachments';
import { AttachmentDownloads1764010000000 } from './migrations/1764010000000-attachment-downloads';
import { Archives1764011000000 } from './migrations/1764011000000-archives';
import { ArchiveExport1764012000000 } from './migrations/1764012000000-archive-export';
import { CommunityUnits1764013000000 } from './migrations/1764013000000-community-units';
import { AttachmentWithdrawals1764014000000 } from './migrations/1764014000000-attachment-withdrawals';
import { UnitLeaders1764015000000 } from './migrations/1764015000000-unit-leaders';
import { KnowledgeReviewByLeader1764016000000 } from './migrations/1764016000000-knowledge-review-by-leader';
import { AttachmentPutBack1764017000000 } from './migrations/1764017000000-attachment-put-back';
import { AssistingFromWorkflow1764018000000 } from './migrations/1764018000000-assisting-from-workflow';
import { ArchiveAmendments1764019000000 } from './migrations/1764019000000-archive-amendments';
import { LateSigns1764020000000 } from './migrations/1764020000000-late-signs';
import { LedgerTextSearch1764021000000 } from './migrations/1764021000000-ledger-text-search';
import { LedgerBigrams1764022000000 } from './migrations/1764022000000-ledger-bigrams';
import { IdempotencyAnswers1764023000000 } from './migrations/1764023000000-idempotency-answers';
import { SentBackDeadlines1764024000000 } from './migrations/1764024000000-sent-back-deadlines';
import { SubUnitDeadlines1764025000000 } from './migrations/1764025000000-sub-unit-deadlines';
import { SearchLog1764026000000 } from './migrations/1764026000000-search-log';
import { AdminActions1764027000000 } from './migrations/1764027000000-admin-actions';
import { MissedSigns1764028000000 } from './migrations/1764028000000-missed-signs';
import { MissedUnitDeadlines1764029000000 } from './migrations/1764029000000-missed-unit-deadlines';
import { UnitlessSatisfaction1764030000000 } from './migrations/1764030000000-unitless-satisfaction';
import { OneEntryPerMatter1764031000000 } from './migrations/1764031000000-one-entry-per-matter';
import { EvaluationOnRecord1764032000000 } from './migrations/1764032000000-evaluation-on-record';
import { HotEvents1764040000000 } from './migrations/1764040000000-hot-events';
import { ActualResolution1764041000000 } from './migrations/1764041000000-actual-resolution';
import { UnitEvaluation1764042000000 } from './migrations/1764042000000-unit-evaluation';
import { ServicePromises1764043000000 } from './migrations/1764043000000-service-promises';
import { ChannelDetail1764044000000 } from './migrations/1764044000000-channel-detail';
import { OrderWithdrawalReason1764045000000 } from './migrations/1764045000000-order-withdrawal-reason';
import { Coordinations1764046000000 } from './migrations/1764046000000-coordinations';
import { UnreachableSatisfaction1764047000000 } from './migrations/1764047000000-unreachable-satisfaction';

export const MIGRATIONS = [
  Foundation1763900000000,
  Lifecycle1763910000000,
  AssistingUnits1763920000000,
  CoreV21763930000000,
  TokenVersion1763940000000,
  PersonalData1763950000000,
  EvaluationEvents1763955000000,
  Sms1763956000000,
  CallbackTasks1763962000000,
  ExpertEvaluators1763963000000,
  VotesReconsideration1763964000000,
  Satisfaction1763965000000,
  Supervision1763970000000,
  LedgerCorrections1763980000000,
  OrderSources1763990000000,
  TransitionGeneration1763995000000,
  VoteWithdrawal1763996000000,
  ExpertCaseWithdrawal1763997000000,
  ClosedTicketsOrder1763998000000,
  IdempotencyKeys1763999000000,
  DeskDeadlines1764000000000,
  LedgerOrder1764001000000,
  RegistryNumbers1764002000000,
  TrackedPlans1764003000000,
  WithdrawnPlans1764004000000,
  ComplaintNature1764005000000,
  MultiLevel1764006000000,
  CatalogApplications1764007000000,
  KnowledgeBase1764008000000,
  Attachments1764009000000,
  AttachmentDownloads1764010000000,
  Archives1764011000000,
  ArchiveExport1764012000000,
  CommunityUnits1764013000000,
  AttachmentWithdrawals1764014000000,
  UnitLeaders1764015000000,
  KnowledgeReviewByLeader1764016000000,
  AttachmentPutBack1764017000000,
  AssistingFromWorkflow1764018000000,
  ArchiveAmendments1764019000000,
  LateSigns1764020000000,
  LedgerTextSearch1764021000000,
  LedgerBigrams1764022000000,
  IdempotencyAnswers1764023000000,
  SentBackDeadlines1764024000000,
  SubUnitDeadlines1764025000000,
  SearchLog1764026000000,
  AdminActions1764027000000,
  MissedSigns1764028000000,
  MissedUnitDeadlines1764029000000,
  UnitlessSatisfaction1764030000000,
  OneEntryPerMatter1764031000000,
  EvaluationOnRecord1764032000000,
  HotEvents1764040000000,
  ActualResolution1764041000000,
  UnitEvaluation1764042000000,
  ServicePromises1764043000000,
  ChannelDetail1764044000000,
  OrderWithdrawalReason1764045000000,
  Coordinations1764046000000,
  UnreachableSatisfaction1764047000000,
];

/**
 * The platform's TypeORM data source. Migrations only: `synchronize` and `migrationsRun` are off,
 * the schema changes when `npm run migrate` (or a test's global setup) runs the migrations.
 */
export function createDataSource(url: string, opts: { poolSize?: number; applicationName?: string } = {}) {
  return new DataSource({
    type: 'postgres',
    url,
    synchronize: false,
    migrationsRun: false,
    migrations: MIGRATIONS,
    migrationsTableName: 'typeorm_migrations',
    entities: [],
    extra: { max: opts.poolSize ?? 10, application_name: opts.applicationName ?? 'hotline' },
  });
}

export async function runMigrations(url: string): Promise<string[]> {
  const ds = createDataSource(url, { poolSize: 2, applicationName: 'hotline-migrate' });
  await ds.initialize();
  try {
    const ran = await ds.runMigrations({ transaction: 'each' });
    return ran.map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}
