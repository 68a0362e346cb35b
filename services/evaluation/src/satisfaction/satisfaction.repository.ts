import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { appendEvaluationEvent, CONFIG, queryPage, stableUuid } from '@hotline/platform';
import { countedChange } from '@hotline/shared';
import type {
  AnyTicketEvent,
  CallbackVerdict,
  Period,
  PlatformConfig,
  TicketEvent,
  Verdict,
} from '@hotline/shared';

export type GroupBy = 'unit' | 'category' | 'region';

const GROUP_COLUMN: Record<GroupBy, string> = {
  unit: 's.unit_id',
  category: 's.category',
  region: 's.region_code',
};
const GROUP_NAME: Record<GroupBy, string> = {
  unit: '(SELECT name FROM catalog.units WHERE id = s.unit_id)',
  // The category's name as the reports name it: its catalog entry's, the city-wide one first.
  category: `(SELECT m.name FROM catalog.matter_catalog m WHERE m.category = s.category
              ORDER BY m.region_code NULLS FIRST, m.id LIMIT 1)`,
  region: '(SELECT name FROM catalog.regions WHERE code = s.region_code)',
};

export interface SatisfactionFilter {
  from?: string;
  to?: string;
  unitId?: string;
  category?: string;
  regionCode?: string;
}

/**
 * Satisfaction's records: each ticket's verdict facts and the verdict that counts, decided by the
 * precedence rule (libs/shared) whenever a fact arrives; each change is an event (outbox, same
 * transaction). Figures are counted from the tickets' counted verdicts, so each is traceable.
 */
@Injectable()
export class SatisfactionRepository {
  constructor(
    private readonly ds: DataSource,
    @Inject(CONFIG) private readonly config: PlatformConfig,
  ) {}

  async ticketFacts(
    m: EntityManager,
    ticketNo: string,
    set: {
      unitId?: string | null;
      category?: string;
      regionCode?: string;
      channel?: string;
      closedAt?: string;
      outcome?: string;
    },
  ): Promise<void> {
    await m.query(
      `INSERT INTO evaluation.ticket_satisfaction (ticket_no, unit_id, category, region_code, channel, closed_at, outcome)
       VALUES ($1,$2,$3,$4,$5,$6,$7)
       ON CONFLICT (ticket_no) DO UPDATE SET
         unit_id = coalesce(EXCLUDED.unit_id, evaluation.ticket_satisfaction.unit_id),
         category = coalesce(EXCLUDED.category, evaluation.ticket_satisfaction.category),
         region_code = coalesce(EXCLUDED.region_code, evaluation.ticket_satisfaction.region_code),
         channel = coalesce(EXCLUDED.channel, evaluation.ticket_satisfaction.channel),
         closed_at = coalesce(EXCLUDED.closed_at, evaluation.ticket_satisfaction.closed_at),
         outcome = coalesce(EXCLUDED.outcome, evaluation.ticket_satisfaction.outcome),
         updated_at = now()`,
      [
        ticketNo,
        set.unitId ?? null,
        set.category ?? null,
        set.regionCode ?? null,
        set.channel ?? null,
        set.closedAt ?? null,
        set.outcome ?? null,
      ],
    );
  }

  async callback(m: EntityManager, ticketNo: string, c: CallbackVerdict): Promise<void> {
    await m.query(
      `INSERT INTO evaluation.ticket_satisfaction (ticket_no, callbacks) VALUES ($1, $2::jsonb)
       ON CONFLICT (ticket_no) DO UPDATE SET
         callbacks = evaluation.ticket_satisfaction.callbacks || $2::jsonb, updated_at = now()`,
      [ticketNo, JSON.stringify([c])],
    );
  }

  async verdict(
    m: EntityManager,
    ticketNo: string,
    kind: 'vote' | 'expert',
    verdict: Verdict,
    unitId: string,
  ) {
    const column = kind === 'vote' ? 'vote_verdict' : 'expert_verdict';
    await m.query(
      `INSERT INTO evaluation.ticket_satisfaction (ticket_no, unit_id, ${column}) VALUES ($1,$2,$3)
       ON CONFLICT (ticket_no) DO UPDATE SET ${column} = $3,
         unit_id = coalesce(evaluation.ticket_satisfaction.unit_id, $2), updated_at = now()`,
      [ticketNo, unitId, verdict],
    );
  }

  /**
   * The ticket's record was corrected (a lost attempt's events voided): its callback answers and its
   * close are set again from the events that stand, replacing what the voided ones had put there.
   */
  async corrected(m: EntityManager, ticketNo: string, standing: readonly AnyTicketEvent[]): Promise<void> {
    const callbacks: CallbackVerdict[] = [];
    let closed: TicketEvent<'ticket.closed'> | null = null;
    for (const e of standing) {
      if (e.type === 'ticket.callback_answered')
        callbacks.push({ round: e.data.round, mode: e.data.mode, verdict: e.data.verdict });
      else if (e.type === 'ticket.closed') closed = e;
    }
    await m.query(
      `UPDATE evaluation.ticket_satisfaction
       SET callbacks = $2::jsonb, closed_at = $3, outcome = $4,
           unit_id = coalesce($5, unit_id), updated_at = now()
       WHERE ticket_no = $1`,
      [
        ticketNo,
        JSON.stringify(callbacks),
        closed?.occurredAt ?? null,
        closed?.data.outcome ?? null,
        closed?.data.unitId ?? null,
      ],
    );
  }

  /**
   * Applies the precedence rule to the ticket's facts (libs/shared `countedChange`); a change is
   * recorded and announced. After a correction, a verdict with nothing left to count is withdrawn.
   */
  async decide(m: EntityManager, ticketNo: string, correction = false, recheck = false): Promise<void> {
    const [row] = await m.query(
      `SELECT unit_id AS "unitId", category, region_code AS "regionCode", closed_at AS "closedAt", callbacks,
              outcome,
              vote_verdict AS vote, expert_verdict AS expert, counted_verdict AS "countedVerdict",
              counted_source AS "countedSource", counted_version AS version
       FROM evaluation.ticket_satisfaction WHERE ticket_no = $1 FOR UPDATE`,
      [ticketNo],
    );
    if (!row) return;
    const change = countedChange(
      {
        callbacks: row.callbacks,
        vote: row.vote,
        expert: row.expert,
        unreachable: row.outcome === 'unreachable',
        closed: row.closedAt !== null,
        // The close brings the unit (none for a ticket answered at intake: it counts by category
        // and region, and the city's, in no unit's); the creation brings category and region.
        known: Boolean(row.category && row.regionCode),
      },
      row.countedVerdict ? { verdict: row.countedVerdict, source: row.countedSource } : null,
      correction,
      recheck,
    );
    if (change.kind === 'unchanged') return;
    const version = row.version + 1;
    if (change.kind === 'withdrawn') {
      await m.query(
        `UPDATE evaluation.ticket_satisfaction
         SET counted_verdict = NULL, counted_source = NULL, counted_version = $2 WHERE ticket_no = $1`,
        [ticketNo, version],
      );
      await appendEvaluationEvent(m, this.config.kafkaPrefix, {
        id: stableUuid(`satisfaction_withdrawn:${ticketNo}:${version}`),
        type: 'evaluation.satisfaction_withdrawn',
        ticketNo,
        actor: { kind: 'system' },
        data: { unitId: row.unitId, reason: change.reason },
      });
      return;
    }
    await m.query(
      `UPDATE evaluation.ticket_satisfaction SET counted_verdict = $2, counted_source = $3, counted_version = $4
       WHERE ticket_no = $1`,
      [ticketNo, change.verdict, change.source, version],
    );
    await appendEvaluationEvent(m, this.config.kafkaPrefix, {
      id: stableUuid(`satisfaction_recorded:${ticketNo}:${version}`),
      type: 'evaluation.satisfaction_recorded',
      ticketNo,
      actor: { kind: 'system' },
      data: {
        unitId: row.unitId,
        category: row.category,
        regionCode: row.regionCode,
        verdict: change.verdict,
        source: change.source,
        closedAt: new Date(row.closedAt).toISOString(),
        ...(change.correction ? { correction: true as const } : {}),
      },
    });
  }

  /**
   * Decides again the tickets a migration listed (their counting rule changed), a batch per
   * transaction, each taken off the list in the transaction that decides it. Answers how many.
   */
  async drainRecheck(batch = 100): Promise<number> {
    let done = 0;
    for (;;) {
      const n = await this.ds.transaction(async (m) => {
        const rows: { ticketNo: string }[] = await m.query(
          `SELECT ticket_no AS "ticketNo" FROM evaluation.satisfaction_recheck
           ORDER BY ticket_no LIMIT $1 FOR UPDATE SKIP LOCKED`,
          [batch],
        );
        for (const r of rows) {
          await this.decide(m, r.ticketNo, false, true);
          await m.query(`DELETE FROM evaluation.satisfaction_recheck WHERE ticket_no = $1`, [r.ticketNo]);
        }
        return rows.length;
      });
      done += n;
      if (n < batch) return done;
    }
  }

  private where(f: SatisfactionFilter, params: unknown[]): string {
    const clauses = ['s.counted_verdict IS NOT NULL'];
    // Dates are China days: [from 00:00, to 24:00) in UTC+8.
    if (f.from) clauses.push(`s.closed_at >= ($${params.push(f.from)}::date - interval '8 hours')`);
    if (f.to) clauses.push(`s.closed_at < ($${params.push(f.to)}::date + interval '16 hours')`);
    if (f.unitId) clauses.push(`s.unit_id = $${params.push(f.unitId)}`);
    if (f.category) clauses.push(`s.category = $${params.push(f.category)}`);
    if (f.regionCode) clauses.push(`s.region_code = $${params.push(f.regionCode)}`);
    return clauses.join(' AND ');
  }

  async figures(groupBy: GroupBy, period: Period, f: SatisfactionFilter) {
    const params: unknown[] = [period];
    // By unit: the units' tickets (one answered at intake is no unit's).
    const where = this.where(f, params) + (groupBy === 'unit' ? ' AND s.unit_id IS NOT NULL' : '');
    return this.ds.query(
      `SELECT ${GROUP_COLUMN[groupBy]} AS key, ${GROUP_NAME[groupBy]} AS name,
              to_char(date_trunc($1, (s.closed_at AT TIME ZONE 'UTC') + interval '8 hours'), 'YYYY-MM-DD') AS "periodStart",
              count(*) FILTER (WHERE s.counted_verdict = 'satisfied')::int AS satisfied,
              count(*) FILTER (WHERE s.counted_verdict = 'basically_satisfied')::int AS basically_satisfied,
              count(*) FILTER (WHERE s.counted_verdict = 'unsatisfied')::int AS unsatisfied,
              count(*) FILTER (WHERE s.counted_source = 'sms')::int AS sms,
              count(*) FILTER (WHERE s.counted_source = 'manual')::int AS manual,
              count(*) FILTER (WHERE s.counted_source = 'vote')::int AS vote,
              count(*) FILTER (WHERE s.counted_source = 'expert')::int AS expert
       FROM evaluation.ticket_satisfaction s WHERE ${where}
       GROUP BY 1, 2, 3 ORDER BY 3, 1`,
      params,
    );
  }

  async tickets(f: SatisfactionFilter & { limit: number; offset: number }) {
    const params: unknown[] = [];
    const where = this.where(f, params);
    return queryPage(
      this.ds,
      {
        select: `s.ticket_no AS "ticketNo", s.unit_id AS "unitId", s.category, s.region_code AS "regionCode",
          s.closed_at AS "closedAt", s.counted_verdict AS verdict, s.counted_source AS source`,
        from: `FROM evaluation.ticket_satisfaction s WHERE ${where}`,
        orderBy: 's.closed_at DESC, s.ticket_no',
      },
      params,
      f,
    );
  }
}
