import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Supervision's facts per ticket and per unit (its own read model, fed by the ticket events). */
@Injectable()
export class TicketFactsRepository {
  constructor(private readonly ds: DataSource) {}

  async find(ticketNo: string): Promise<Record<string, unknown> | null> {
    const rows = await this.ds.query(
      `SELECT ticket_no AS "ticketNo", status, unit_id AS "unitId", category, region_code AS "regionCode",
              created_at AS "createdAt", dispatched_at AS "dispatchedAt", sign_due_at AS "signDueAt",
              signed_at AS "signedAt", signed_late AS "signedLate", replied_at AS "repliedAt",
              closed_at AS "closedAt", last_seq AS "lastSeq", complete_due_at AS "completeDueAt",
              overdue_count AS "overdueCount", reminder_count AS "reminderCount",
              extension_count AS "extensionCount", return_count AS "returnCount",
              rejected_reply_count AS "rejectedReplyCount", outcome,
              (SELECT count(*)::int FROM supervision.coordinations c WHERE c.ticket_no = f.ticket_no)
                AS "coordinationCount"
       FROM supervision.ticket_facts f WHERE ticket_no = $1`,
      [ticketNo],
    );
    return rows[0] ?? null;
  }

  async unitExists(unitId: string): Promise<boolean> {
    const rows = await this.ds.query(`SELECT 1 FROM catalog.units WHERE id = $1`, [unitId]);
    return rows.length > 0;
  }

  /**
   * The tickets the centre's coordination gave the unit to lead that the leadership group then
   * decided (took from it, or confirmed it) while the unit still held them as the centre gave them
   * (the coordination just before the group's was the centre's, to the unit), with when the group
   * first did so on the ticket, when that is since `since`.
   */
  async escalatedCoordinations(unitId: string, since: string): Promise<{ decidedAt: string | Date }[]> {
    return this.ds.query(
      `SELECT min(g.coordinated_at) AS "decidedAt" FROM supervision.coordinations g
       WHERE g.level = 'leadership_group' AND g.from_unit_id = $1
         AND (SELECT c.level = 'centre' AND c.unit_id = $1 FROM supervision.coordinations c
              WHERE c.ticket_no = g.ticket_no AND c.coordinated_at < g.coordinated_at
              ORDER BY c.coordinated_at DESC, c.event_id DESC LIMIT 1)
       GROUP BY g.ticket_no
       HAVING min(g.coordinated_at) >= $2`,
      [unitId, since],
    );
  }

  /** Intake of a period: tickets created in [from, to). */
  async createdBetween(from: string, to: string): Promise<number> {
    const [r] = await this.ds.query(
      `SELECT count(*)::int AS n FROM supervision.ticket_facts WHERE created_at >= $1 AND created_at < $2`,
      [from, to],
    );
    return r.n;
  }

  async unitOverview(): Promise<Record<string, unknown>[]> {
    // Satisfaction as the evaluation service decided it (satisfaction_facts): copied, not recomputed.
    return this.ds.query(
      `WITH t AS (
         SELECT unit_id, count(*)::int AS total,
                count(*) FILTER (WHERE status = 'closed')::int AS closed
         FROM supervision.ticket_facts WHERE unit_id IS NOT NULL GROUP BY unit_id),
       l AS (SELECT unit_id, count(*)::int AS late_signs FROM supervision.late_signs GROUP BY unit_id),
       -- The unit's own deadlines missed (sign, reply), under the unit each named: not the centre's.
       o AS (SELECT unit_id, count(*)::int AS overdue_events FROM supervision.missed_deadlines GROUP BY unit_id),
       s AS (
         SELECT unit_id, count(*)::int AS evaluated,
                count(*) FILTER (WHERE verdict IN ('satisfied','basically_satisfied'))::int AS satisfied
         FROM supervision.satisfaction_facts WHERE unit_id IS NOT NULL GROUP BY unit_id),
       -- Coordinations (协调): designating the unit to lead (confirming it too), and taking a ticket from it.
       ct AS (SELECT unit_id, count(*)::int AS n FROM supervision.coordinations GROUP BY unit_id),
       cf AS (SELECT from_unit_id AS unit_id, count(*)::int AS n FROM supervision.coordinations
              WHERE from_unit_id <> unit_id GROUP BY from_unit_id),
       u AS (SELECT unit_id FROM t UNION SELECT unit_id FROM s UNION SELECT unit_id FROM l
             UNION SELECT unit_id FROM o UNION SELECT unit_id FROM ct UNION SELECT unit_id FROM cf)
       SELECT u.unit_id AS "unitId", coalesce(t.total, 0) AS total,
              coalesce(t.closed, 0) AS closed, coalesce(l.late_signs, 0) AS "lateSigns",
              coalesce(o.overdue_events, 0) AS "overdueEvents", coalesce(s.evaluated, 0) AS evaluated,
              CASE WHEN s.evaluated > 0 THEN round(s.satisfied::numeric / s.evaluated, 4)::float END AS "satisfactionRate",
              coalesce(ct.n, 0) AS "coordinatedTo", coalesce(cf.n, 0) AS "coordinatedFrom"
       -- Every unit with anything to show: a sub-unit that leads no ticket has its missed signs.
       FROM u LEFT JOIN t ON t.unit_id = u.unit_id LEFT JOIN s ON s.unit_id = u.unit_id
         LEFT JOIN l ON l.unit_id = u.unit_id LEFT JOIN o ON o.unit_id = u.unit_id
         LEFT JOIN ct ON ct.unit_id = u.unit_id LEFT JOIN cf ON cf.unit_id = u.unit_id
       ORDER BY 1`,
    );
  }
}
