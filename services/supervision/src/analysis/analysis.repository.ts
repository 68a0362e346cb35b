import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { queryPage } from '@hotline/platform';
import type { RowsPage } from '@hotline/platform';
import type { ConcentratedEvent, HotEvent, PersistentEvent, TargetCounts } from '@hotline/shared';
import type { UnitLine } from '../reports/report';

export interface TicketForAnalysis {
  ticketNo: string;
  createdAt: string;
  category: string;
  regionCode: string;
  unitId: string | null;
  title: string;
}

/** What the analysis and the reports read: supervision's facts per ticket, and the catalog's names. */
@Injectable()
export class AnalysisRepository {
  constructor(private readonly ds: DataSource) {}

  async tickets(from: string, to: string): Promise<TicketForAnalysis[]> {
    return this.ds.query(
      `SELECT ticket_no AS "ticketNo", created_at AS "createdAt", category, region_code AS "regionCode",
              unit_id AS "unitId", coalesce(title, '') AS title
       FROM supervision.ticket_facts
       WHERE created_at >= $1 AND created_at < $2 AND category IS NOT NULL AND region_code IS NOT NULL
       ORDER BY created_at, ticket_no`,
      [from, to],
    );
  }

  async totals(from: string, to: string) {
    const [t] = await this.ds.query(
      `SELECT (SELECT count(*)::int FROM supervision.ticket_facts WHERE created_at >= $1 AND created_at < $2) AS created,
              (SELECT count(*)::int FROM supervision.ticket_facts WHERE closed_at >= $1 AND closed_at < $2) AS closed,
              (SELECT count(*)::int FROM supervision.satisfaction_facts WHERE closed_at >= $1 AND closed_at < $2) AS evaluated,
              (SELECT count(*)::int FROM supervision.satisfaction_facts WHERE closed_at >= $1 AND closed_at < $2
                 AND verdict IN ('satisfied','basically_satisfied')) AS satisfied`,
      [from, to],
    );
    return t as { created: number; closed: number; evaluated: number; satisfied: number };
  }

  /**
   * What the targets seen in practice are counted on (libs/shared `practiceTargets`), for the tickets
   * closed in [from, to): city-wide, and the supervised ones (a reminder or order raised on the
   * ticket and not withdrawn as raised in error).
   */
  async targetCounts(from: string, to: string): Promise<{ city: TargetCounts; supervised: TargetCounts }> {
    const SUPERVISED = `EXISTS (SELECT 1 FROM supervision.orders o WHERE o.ticket_no = x.ticket_no
                         AND o.outcome IS DISTINCT FROM 'withdrawn')`;
    const [r] = await this.ds.query(
      `WITH f AS (SELECT ticket_no, resolved FROM supervision.ticket_facts x
                  WHERE closed_at >= $1 AND closed_at < $2 AND resolved IS NOT NULL),
            s AS (SELECT ticket_no, verdict FROM supervision.satisfaction_facts x
                  WHERE closed_at >= $1 AND closed_at < $2)
       SELECT (SELECT count(*) FILTER (WHERE resolved) FROM f)::int AS "cityResolved",
              (SELECT count(*) FILTER (WHERE NOT resolved) FROM f)::int AS "cityUnresolved",
              (SELECT count(*) FILTER (WHERE verdict IN ('satisfied','basically_satisfied')) FROM s)::int AS "citySatisfied",
              (SELECT count(*) FROM s)::int AS "cityEvaluated",
              (SELECT count(*) FILTER (WHERE resolved) FROM f x WHERE ${SUPERVISED})::int AS "supResolved",
              (SELECT count(*) FILTER (WHERE NOT resolved) FROM f x WHERE ${SUPERVISED})::int AS "supUnresolved",
              (SELECT count(*) FILTER (WHERE verdict IN ('satisfied','basically_satisfied')) FROM s x WHERE ${SUPERVISED})::int AS "supSatisfied",
              (SELECT count(*) FROM s x WHERE ${SUPERVISED})::int AS "supEvaluated"`,
      [from, to],
    );
    return {
      city: {
        resolved: r.cityResolved,
        unresolved: r.cityUnresolved,
        satisfied: r.citySatisfied,
        evaluated: r.cityEvaluated,
      },
      supervised: {
        resolved: r.supResolved,
        unresolved: r.supUnresolved,
        satisfied: r.supSatisfied,
        evaluated: r.supEvaluated,
      },
    };
  }

  async units(from: string, to: string): Promise<UnitLine[]> {
    return this.ds.query(
      `SELECT u.id AS "unitId", u.name AS "unitName",
              (SELECT count(*)::int FROM supervision.ticket_facts f WHERE f.unit_id = u.id AND f.created_at >= $1 AND f.created_at < $2) AS total,
              (SELECT count(*)::int FROM supervision.ticket_facts f WHERE f.unit_id = u.id AND f.closed_at >= $1 AND f.closed_at < $2) AS closed,
              (SELECT count(*)::int FROM supervision.late_signs l WHERE l.unit_id = u.id AND l.signed_at >= $1 AND l.signed_at < $2) AS "lateSigns",
              (SELECT CASE WHEN count(*) > 0 THEN round(count(*) FILTER (WHERE s.verdict IN ('satisfied','basically_satisfied'))::numeric / count(*), 4)::float END
                 FROM supervision.satisfaction_facts s WHERE s.unit_id = u.id AND s.closed_at >= $1 AND s.closed_at < $2) AS "satisfactionRate"
       FROM catalog.units u ORDER BY u.id`,
      [from, to],
    );
  }

  async names(): Promise<{ categories: Record<string, string>; regions: Record<string, string> }> {
    const regions: { code: string; name: string }[] = await this.ds.query(
      `SELECT code, name FROM catalog.regions`,
    );
    const categories: { category: string; name: string }[] = await this.ds.query(
      `SELECT DISTINCT ON (category) category, name FROM catalog.matter_catalog ORDER BY category, region_code NULLS FIRST, id`,
    );
    return {
      categories: Object.fromEntries(categories.map((c) => [c.category, c.name])),
      regions: Object.fromEntries(regions.map((r) => [r.code, r.name])),
    };
  }

  /**
   * Keeps what the analysis found (tracking, SQ art. 12–14): a concentrated event by its region,
   * category and first ticket; a persistent one by its region, subject and first week. Seen again,
   * it grows (tickets, last week) and its last-seen time moves; it is never found twice. Hot events
   * are kept by `trackHot`.
   */
  async track(found: {
    concentrated: ConcentratedEvent[];
    persistent: PersistentEvent[];
    hot?: HotEvent[];
  }): Promise<void> {
    const rows = [
      ...found.concentrated.map((c) => ({
        key: `concentrated:${c.regionCode}:${c.category}:${c.ticketNos[0]}`,
        kind: 'concentrated',
        region: c.regionCode,
        subject: c.category,
        from: c.from,
        to: c.to,
        tickets: c.ticketNos,
      })),
      ...found.persistent.map((p) => ({
        key: `persistent:${p.regionCode}:${p.subjectKind}:${p.subject}:${p.weeks[0]}`,
        kind: 'persistent',
        region: p.regionCode,
        subject: p.subject,
        from: p.weeks[0],
        to: p.weeks[p.weeks.length - 1],
        tickets: p.ticketNos,
      })),
    ];
    for (const r of rows)
      await this.ds.query(
        `INSERT INTO supervision.tracked_events (key, kind, region_code, subject, first_seen_at, last_seen_at,
           period_from, period_to, ticket_nos, ticket_count)
         VALUES ($1,$2,$3,$4,now(),now(),$5,$6,$7,$8)
         ON CONFLICT (key) DO UPDATE SET last_seen_at = now(), period_to = greatest(supervision.tracked_events.period_to, $6),
           ticket_nos = $7, ticket_count = greatest(supervision.tracked_events.ticket_count, $8)`,
        [
          r.key,
          r.kind,
          r.region,
          r.subject,
          toInstant(r.from),
          toInstant(r.to),
          JSON.stringify(r.tickets),
          r.tickets.length,
        ],
      );
    if (found.hot?.length) await this.trackHot(found.hot);
  }

  /**
   * A hot event is kept by its subject (kind and subject) and episode: found in a window that
   * overlaps or touches the span of one already kept, it is that one, seen again — its span widens
   * to hold the window (never past now: a report's period may end in the future), its tickets are
   * those of both (the ones kept first, then the new ones) and its last-seen time moves; otherwise
   * it is a new one, keyed by its window's start. Discovery's sliding seven days and the reports'
   * periods thus keep one event while a subject stays hot. City-wide: no region.
   */
  private async trackHot(hot: HotEvent[]): Promise<void> {
    await this.ds.transaction(async (m) => {
      // One tracker at a time (discovery and reports): an episode is looked up, then written.
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('supervision.tracked_events:hot'))`);
      for (const h of hot) {
        const prefix = `hot:${h.subjectKind}:`;
        const [open]: { key: string; ticketNos: string[] }[] = await m.query(
          `SELECT key, ticket_nos AS "ticketNos" FROM supervision.tracked_events
           WHERE kind = 'hot' AND subject = $1 AND left(key, length($2)) = $2
             AND period_from <= $4 AND period_to >= $3
           ORDER BY period_to DESC, key LIMIT 1`,
          [h.subject, prefix, h.from, h.to],
        );
        if (open) {
          const tickets = [...new Set([...open.ticketNos, ...h.ticketNos])];
          await m.query(
            `UPDATE supervision.tracked_events SET last_seen_at = now(), period_from = least(period_from, $2),
               period_to = greatest(period_to, least($3::timestamptz, now())), ticket_nos = $4, ticket_count = $5
             WHERE key = $1`,
            [open.key, h.from, h.to, JSON.stringify(tickets), tickets.length],
          );
        } else {
          await m.query(
            `INSERT INTO supervision.tracked_events (key, kind, region_code, subject, first_seen_at, last_seen_at,
               period_from, period_to, ticket_nos, ticket_count)
             VALUES ($1, 'hot', NULL, $2, now(), now(), $3, greatest($3::timestamptz, least($4::timestamptz, now())), $5, $6)
             ON CONFLICT (key) DO NOTHING`,
            [
              `${prefix}${h.subject}:${h.from}`,
              h.subject,
              h.from,
              h.to,
              JSON.stringify(h.ticketNos),
              h.count,
            ],
          );
        }
      }
    });
  }

  /** Hot, concentrated and persistent events found so far, the latest seen first. */
  tracked(q: { kind?: string; limit: number; offset: number }): Promise<RowsPage<Record<string, unknown>>> {
    return queryPage(
      this.ds,
      {
        select: `key, kind, region_code AS "regionCode", subject, first_seen_at AS "firstSeenAt",
                 last_seen_at AS "lastSeenAt", period_from AS "periodFrom", period_to AS "periodTo",
                 ticket_count AS "ticketCount", ticket_nos AS "ticketNos"`,
        from: `FROM supervision.tracked_events ${q.kind ? 'WHERE kind = $1' : ''}`,
        orderBy: 'last_seen_at DESC, key',
      },
      q.kind ? [q.kind] : [],
      q,
    );
  }
}

/** An ISO instant as it is, or an ISO week (`2026-W47`) as its Monday 00:00 China time. */
function toInstant(v: string): string {
  const w = /^(\d{4})-W(\d{2})$/.exec(v);
  if (!w) return v;
  const year = Number(w[1]);
  const jan4 = Date.UTC(year, 0, 4);
  const monday1 = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * 86_400_000;
  return new Date(monday1 + (Number(w[2]) - 1) * 7 * 86_400_000 - 8 * 3_600_000).toISOString();
}
