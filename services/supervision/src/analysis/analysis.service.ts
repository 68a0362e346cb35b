import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { pageOf, ProblemException } from '@hotline/platform';
import {
  concentratedEvents,
  crossHotSpots,
  hotEvents,
  hotSpots,
  persistentEvents,
  practiceTargets,
  reportPeriod,
} from '@hotline/shared';
import type { AnalysedTicket, ReportKind } from '@hotline/shared';
import { segmentTitle } from '@hotline/platform';
import type { SupervisionReport } from '../reports/report';
import { AnalysisRepository } from './analysis.repository';

const DAY = 86_400_000;
/** How far back the automatic discovery looks: persistent events need weeks of history. */
const DISCOVERY_WEEKS = 8;
/** Hot events: the last 7 days against the 7 before (the rule's defaults: ≥ 10 tickets, ≥ 2×). */
const HOT_WINDOW_DAYS = 7;

/**
 * Hot spots, hot, concentrated and persistent events, and the cross-district, cross-department hot
 * spots (SQ art. 12–14), from supervision's facts: the titles segmented (jieba), the rules pure in
 * libs/shared/src/supervision/analysis.ts. Discovery runs by itself every
 * `SUPERVISION_DISCOVERY_MINUTES` (10) over the last 8 weeks (hot events: the last 7 days against
 * the 7 before) and keeps what it finds (tracked events); the daily, weekly and monthly reports are
 * built on request, and keep what they find too.
 */
@Injectable()
export class AnalysisService implements OnModuleInit, OnApplicationShutdown {
  private readonly log = new Logger('Analysis');
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly repo: AnalysisRepository) {}

  onModuleInit(): void {
    const minutes = Number(process.env.SUPERVISION_DISCOVERY_MINUTES ?? 10);
    if (!(minutes > 0)) return;
    this.timer = setInterval(() => {
      this.discover().catch((err: Error) => this.log.warn(`discovery failed: ${err.message}`));
    }, minutes * 60_000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async analysed(from: string, to: string): Promise<AnalysedTicket[]> {
    return (await this.repo.tickets(from, to)).map((t) => ({
      ticketNo: t.ticketNo,
      createdAt: new Date(t.createdAt).toISOString(),
      category: t.category,
      regionCode: t.regionCode,
      unitId: t.unitId,
      keywords: segmentTitle(t.title),
    }));
  }

  /**
   * Finds and keeps the concentrated and persistent events of the last weeks, and the hot events of
   * the last 7 days (against the 7 before).
   */
  async discover(now = Date.now()) {
    const tickets = await this.analysed(
      new Date(now - DISCOVERY_WEEKS * 7 * DAY).toISOString(),
      new Date(now).toISOString(),
    );
    const found = {
      concentrated: concentratedEvents(tickets),
      persistent: persistentEvents(tickets),
      hot: hotEvents(tickets, { from: now - HOT_WINDOW_DAYS * DAY, to: now }),
    };
    await this.repo.track(found);
    return found;
  }

  async hotSpots(from: string, to: string) {
    const a = Date.parse(from);
    const b = Date.parse(to);
    if (!(a < b))
      throw new ProblemException('validation_failed', 'from must be before to', { field: 'from' });
    if (b - a > 92 * DAY) throw new ProblemException('validation_failed', 'at most 92 days at a time');
    // Hot events compare the span with the one of equal length just before it.
    const history = await this.analysed(new Date(a - (b - a)).toISOString(), new Date(b).toISOString());
    const tickets = history.filter((t) => Date.parse(t.createdAt) >= a);
    return {
      from: new Date(a).toISOString(),
      to: new Date(b).toISOString(),
      tickets: tickets.length,
      hotSpots: hotSpots(tickets),
      hot: hotEvents(history, { from: a, to: b }),
      concentrated: concentratedEvents(tickets),
      persistent: persistentEvents(tickets),
      crossHotSpots: crossHotSpots(tickets),
    };
  }

  async tracked(q: { kind?: string; limit: number; offset: number }) {
    return pageOf(await this.repo.tracked(q), q);
  }

  /**
   * The daily, weekly or monthly report of the period holding `at` (China time). Hot events compare
   * the period with the one of equal length just before it; the weekly and monthly reports have the
   * cross-district, cross-department hot spots (RULES §7: weekly).
   */
  async report(kind: ReportKind, at: Date): Promise<SupervisionReport> {
    const period = reportPeriod(kind, at);
    // Persistent events need the weeks before the period too, hot events the period before.
    const history = await this.analysed(
      new Date(Date.parse(period.from) - DISCOVERY_WEEKS * 7 * DAY).toISOString(),
      period.to,
    );
    const inPeriod = history.filter((t) => t.createdAt >= period.from && t.createdAt < period.to);
    const persistent = persistentEvents(history).filter((e) =>
      e.ticketNos.some((no) => inPeriod.some((t) => t.ticketNo === no)),
    );
    const concentrated = concentratedEvents(inPeriod);
    const hot = hotEvents(history, { from: period.from, to: period.to });
    await this.repo.track({ concentrated, persistent, hot });
    return {
      kind,
      label: period.label,
      from: period.from,
      to: period.to,
      generatedAt: new Date().toISOString(),
      totals: await this.repo.totals(period.from, period.to),
      targets: practiceTargets(await this.repo.targetCounts(period.from, period.to)),
      hotSpots: hotSpots(inPeriod),
      hot,
      concentrated,
      persistent,
      ...(kind === 'daily' ? {} : { crossHotSpots: crossHotSpots(inPeriod) }),
      units: await this.repo.units(period.from, period.to),
      names: await this.repo.names(),
    };
  }
}
