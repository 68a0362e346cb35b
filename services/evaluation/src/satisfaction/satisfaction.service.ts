import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { pageOf, ProblemException } from '@hotline/platform';
import { satisfactionRate } from '@hotline/shared';
import type { Period, Principal } from '@hotline/shared';
import { SatisfactionRepository } from './satisfaction.repository';
import type { GroupBy, SatisfactionFilter } from './satisfaction.repository';

/** The figures' filter as asked: closure days (China) and what to narrow to. */
export interface SatisfactionAsked {
  from?: string;
  to?: string;
  unitId?: string;
  category?: string;
  regionCode?: string;
}

/** The counts of one group and period, as the repository counts them. */
interface FigureRow {
  key: string;
  name: string | null;
  periodStart: string;
  satisfied: number;
  basically_satisfied: number;
  unsatisfied: number;
  sms: number;
  manual: number;
  vote: number;
  expert: number;
}

/**
 * Satisfaction figures (满意率) and the tickets behind them. A unit's clerk sees their own unit
 * only; the rate and whether it meets the target come from the domain's `satisfactionRate`.
 */
@Injectable()
export class SatisfactionService implements OnApplicationBootstrap {
  private readonly logger = new Logger(SatisfactionService.name);

  constructor(private readonly satisfaction: SatisfactionRepository) {}

  /** Tickets a migration listed to be decided again: done in the background, once, at start. */
  onApplicationBootstrap(): void {
    void this.satisfaction.drainRecheck().then(
      (n) => n > 0 && this.logger.log(`satisfaction: ${n} ticket(s) decided again`),
      (err: unknown) =>
        this.logger.warn(`satisfaction recheck: ${(err as Error).message} (retried at next start)`),
    );
  }

  private scope(who: Principal, q: SatisfactionAsked): SatisfactionFilter {
    const f: SatisfactionFilter = {
      from: q.from,
      to: q.to,
      unitId: q.unitId,
      category: q.category,
      regionCode: q.regionCode,
    };
    if (q.from && q.to && q.from > q.to) throw new ProblemException('validation_failed', 'from is after to');
    if (who.role === 'unit_clerk') {
      if (q.unitId && q.unitId !== who.unitId)
        throw new ProblemException('not_found', `no figures for ${q.unitId}`);
      f.unitId = who.unitId!;
    }
    return f;
  }

  async figures(who: Principal, groupBy: GroupBy, period: Period, q: SatisfactionAsked) {
    const rows: FigureRow[] = await this.satisfaction.figures(groupBy, period, this.scope(who, q));
    return {
      groupBy,
      period,
      items: rows.map((r) => ({
        key: r.key,
        name: r.name,
        periodStart: r.periodStart,
        satisfied: r.satisfied,
        basically_satisfied: r.basically_satisfied,
        unsatisfied: r.unsatisfied,
        ...satisfactionRate(r),
        bySource: { sms: r.sms, manual: r.manual, vote: r.vote, expert: r.expert },
      })),
    };
  }

  async tickets(who: Principal, q: SatisfactionAsked, page: { limit: number; offset: number }) {
    return pageOf(await this.satisfaction.tickets({ ...this.scope(who, q), ...page }), page);
  }
}
