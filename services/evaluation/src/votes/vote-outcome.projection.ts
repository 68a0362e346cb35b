import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Kafka } from 'kafkajs';
import { CONFIG, EvaluationEventProjection, KAFKA } from '@hotline/platform';
import type { AfterCommit } from '@hotline/platform';
import type { AnyEvaluationEvent, PlatformConfig } from '@hotline/shared';
import { publicVoteNeedsExperts } from '@hotline/shared';
import { ExpertsService } from '../experts/experts.service';

/**
 * What a forum ticket's closed vote starts: the expert evaluators judge the cases the public rated
 * unsatisfied (PA §3), and a public vote's result is the public's rating (SZ 寒山闻钟). One case
 * per ticket: a case the callbacks already opened (or decided) stays as it is.
 */
@Injectable()
export class VoteOutcomeProjection extends EvaluationEventProjection {
  protected readonly consumerName = 'evaluation.vote-outcomes';
  protected override readonly eventTypes = ['evaluation.vote_closed'] as const;

  constructor(
    ds: DataSource,
    @Inject(KAFKA) kafka: Kafka,
    @Inject(CONFIG) config: PlatformConfig,
    private readonly experts: ExpertsService,
  ) {
    super(ds, kafka, config);
  }

  protected async apply(e: AnyEvaluationEvent, m: EntityManager, afterCommit: AfterCommit): Promise<void> {
    if (e.type !== 'evaluation.vote_closed' || !publicVoteNeedsExperts(e.data)) return;
    await this.experts.open(m, afterCommit, e.ticketNo, e.data.unitId, e.occurredAt);
  }
}
