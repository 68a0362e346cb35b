import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { queryPage } from '@hotline/platform';
import type { RowsPage } from '@hotline/platform';
import type { BonusKind, UnitPeriodFacts } from '@hotline/shared';
import { INSTRUCTION_COMPLETED, INSTRUCTION_JOINS } from '../instructions/instructions.repository';

/** An attitude complaint as recorded. */
export interface AttitudeComplaintRow {
  ticketNo: string;
  unitId: string;
  note: string;
  recordedBy: string;
  recordedAt: Date;
}

/**
 * The assessment's facts per unit and period, read from supervision's own records (its copies of
 * the ticket and evaluation events, its orders and instructions) and the centre's manual inputs.
 */
@Injectable()
export class AssessmentRepository {
  constructor(private readonly ds: DataSource) {}

  async units(): Promise<{ id: string; name: string }[]> {
    return this.ds.query(`SELECT id, name FROM catalog.units ORDER BY id`);
  }

  /** Every unit's facts for [from, to): see UnitPeriodFacts for what each figure means. */
  async facts(period: string, from: string, to: string, unitIds: string[]): Promise<UnitPeriodFacts[]> {
    const list = async (sql: string) => {
      const rows: { unitId: string; ticketNo: string }[] = await this.ds.query(sql, [from, to]);
      const by = new Map<string, string[]>();
      for (const r of rows) by.set(r.unitId, [...(by.get(r.unitId) ?? []), r.ticketNo]);
      return by;
    };
    // Every late signature of the unit's, as lead, assisting unit or sub-unit: one per signature.
    const lateSigns = await list(
      `SELECT unit_id AS "unitId", ticket_no AS "ticketNo" FROM supervision.late_signs
       WHERE signed_at >= $1 AND signed_at < $2 ORDER BY ticket_no, signed_at`,
    );
    const overdueReplies = await list(
      `SELECT unit_id AS "unitId", ticket_no AS "ticketNo" FROM supervision.ticket_facts
       WHERE reply_overdue_at >= $1 AND reply_overdue_at < $2 ORDER BY ticket_no`,
    );
    // A refused return is an order raised for the refusal: one per refusal, naming its ticket.
    const refusals = await list(
      `SELECT unit_id AS "unitId", ticket_no AS "ticketNo" FROM supervision.orders
       WHERE trigger = 'refusal' AND raised_at >= $1 AND raised_at < $2 ORDER BY ticket_no`,
    );
    const attitude = await list(
      `SELECT unit_id AS "unitId", ticket_no AS "ticketNo" FROM supervision.attitude_complaints
       WHERE recorded_at >= $1 AND recorded_at < $2 ORDER BY ticket_no`,
    );
    const counts = async (sql: string) => {
      const rows: { unitId: string; a: number; b: number }[] = await this.ds.query(sql, [from, to]);
      return new Map(rows.map((r) => [r.unitId, r]));
    };
    // Due in the period: the reply deadline (after extensions, a reply sent back, rectification)
    // falls in it and has passed, or the unit has replied (a ticket still within its time is not
    // due yet); completed: replied no later than that deadline. A reply stands while the ticket is
    // past its handling: one sent back, or followed by a rectification round, answers nothing now
    // (its time is in replied_at still, as the workflow's status says the unit is handling it again).
    const REPLY_STANDS = `replied_at IS NOT NULL
         AND status NOT IN ('created', 'dispatched', 'signed', 'returned', 'rectifying')`;
    const DUE = `FROM supervision.ticket_facts
       WHERE complete_due_at >= $1 AND complete_due_at < $2 AND unit_id IS NOT NULL
         AND (complete_due_at <= now() OR (${REPLY_STANDS}))`;
    const ON_TIME = `${REPLY_STANDS} AND replied_at <= complete_due_at`;
    const due = await counts(
      `SELECT unit_id AS "unitId", count(*)::int AS a, count(*) FILTER (WHERE ${ON_TIME})::int AS b
       ${DUE} GROUP BY unit_id`,
    );
    const notCompleted = await list(
      `SELECT unit_id AS "unitId", ticket_no AS "ticketNo" ${DUE} AND NOT (${ON_TIME}) ORDER BY ticket_no`,
    );
    const satisfaction = await counts(
      `SELECT unit_id AS "unitId", count(*)::int AS a,
              count(*) FILTER (WHERE verdict IN ('satisfied','basically_satisfied'))::int AS b
       FROM supervision.satisfaction_facts WHERE closed_at >= $1 AND closed_at < $2 AND unit_id IS NOT NULL
       GROUP BY unit_id`,
    );
    const unsatisfied = await list(
      `SELECT unit_id AS "unitId", ticket_no AS "ticketNo" FROM supervision.satisfaction_facts
       WHERE closed_at >= $1 AND closed_at < $2 AND verdict NOT IN ('satisfied','basically_satisfied')
         AND unit_id IS NOT NULL
       ORDER BY ticket_no`,
    );
    // A leader's instruction is completed as it says: its ticket or order closed, or its key task
    // closed off. It counts once it is due: completed, or its time has passed (the ticket's reply
    // deadline, the order's response time, a date of the task's indicators): an instruction still
    // within its time is not marked down, as a ticket still within its time is not.
    const INSTRUCTIONS = `FROM supervision.instructions i ${INSTRUCTION_JOINS}
       WHERE i.issued_at >= $1 AND i.issued_at < $2`;
    const INSTRUCTION_DONE = INSTRUCTION_COMPLETED;
    // One on a closed ticket is due when the post-closure order it raised is.
    const INSTRUCTION_DUE = `(${INSTRUCTION_DONE}
       OR CASE WHEN ro.stage = 'post_closure' THEN ro.respond_by <= now() ELSE f.complete_due_at <= now() END
       OR o.respond_by <= now()
       OR EXISTS (SELECT 1 FROM supervision.task_indicators ti WHERE ti.task_id = k.id AND ti.due_at <= now()))`;
    const instructedOpen = await list(
      `SELECT i.unit_id AS "unitId", i.ticket_no AS "ticketNo" ${INSTRUCTIONS}
         AND i.ticket_no IS NOT NULL AND ${INSTRUCTION_DUE} AND NOT coalesce(${INSTRUCTION_DONE}, false)
       ORDER BY i.ticket_no`,
    );
    // (Listed by the helper's column name: an instruction's id here, not a ticket's number.)
    const instructionsOpen = await list(
      `SELECT i.unit_id AS "unitId", i.id::text AS "ticketNo" ${INSTRUCTIONS}
         AND ${INSTRUCTION_DUE} AND NOT coalesce(${INSTRUCTION_DONE}, false)
       ORDER BY i.issued_at, i.id`,
    );
    const instructed = await counts(
      `SELECT i.unit_id AS "unitId", count(*)::int AS a,
              count(*) FILTER (WHERE ${INSTRUCTION_DONE})::int AS b
       ${INSTRUCTIONS} AND ${INSTRUCTION_DUE} GROUP BY i.unit_id`,
    );
    const manualBy = await this.manual(period, from, to);
    // One award per event (its ref, spaces aside), at its highest: every award of an event counts in
    // the period of its first, so that an event awarded again in a later month is not awarded twice.
    const bonuses: { unitId: string; kind: BonusKind; ref: string }[] = await this.ds.query(
      `WITH awards AS (
         SELECT unit_id, kind, regexp_replace(btrim(ref), '\\s+', ' ', 'g') AS event, occurred_on
         FROM supervision.bonuses)
       SELECT a.unit_id AS "unitId", a.kind, a.event AS ref FROM awards a
       JOIN (SELECT unit_id, event, min(occurred_on) AS first_on FROM awards GROUP BY unit_id, event) e
         USING (unit_id, event)
       WHERE e.first_on >= ($1::timestamptz AT TIME ZONE 'Asia/Shanghai')::date
         AND e.first_on < ($2::timestamptz AT TIME ZONE 'Asia/Shanghai')::date`,
      [from, to],
    );
    return unitIds.map((unitId) => ({
      unitId,
      lateSigns: lateSigns.get(unitId) ?? [],
      overdueReplies: overdueReplies.get(unitId) ?? [],
      due: due.get(unitId)?.a ?? 0,
      completed: due.get(unitId)?.b ?? 0,
      notCompleted: notCompleted.get(unitId) ?? [],
      evaluated: satisfaction.get(unitId)?.a ?? 0,
      satisfied: satisfaction.get(unitId)?.b ?? 0,
      unsatisfied: unsatisfied.get(unitId) ?? [],
      refusals: refusals.get(unitId) ?? [],
      attitudeComplaints: attitude.get(unitId) ?? [],
      instructed: instructed.get(unitId)?.a ?? 0,
      instructedCompleted: instructed.get(unitId)?.b ?? 0,
      instructedOpen: instructedOpen.get(unitId) ?? [],
      instructionsOpen: instructionsOpen.get(unitId) ?? [],
      manual: {
        leadership: Number(manualBy.get(unitId)?.leadership ?? 0),
        rules: Number(manualBy.get(unitId)?.rules ?? 0),
      },
      bonuses: bonuses.filter((b) => b.unitId === unitId).map((b) => ({ kind: b.kind, ref: b.ref })),
    }));
  }

  /**
   * The centre's manual scores of each unit for the period: entered for the period itself, or, for
   * a quarter, a half-year or a year without its own, the mean of the months of it that have them
   * (the centre scores monthly; a quarterly ranking must not drop its 30 points).
   */
  async manual(
    period: string,
    from: string,
    to: string,
  ): Promise<Map<string, { leadership: number; rules: number }>> {
    const rows: { unitId: string; leadership: string; rules: string }[] = await this.ds.query(
      `SELECT unit_id AS "unitId", leadership, rules FROM supervision.assessment_inputs WHERE period = $1
       UNION ALL
       SELECT unit_id, avg(leadership), avg(rules) FROM supervision.assessment_inputs m
       WHERE m.period ~ '^[0-9]{4}-[0-9]{2}$' AND m.period <> $1
         AND to_date(m.period, 'YYYY-MM') >= ($2::timestamptz AT TIME ZONE 'Asia/Shanghai')::date
         AND to_date(m.period, 'YYYY-MM') < ($3::timestamptz AT TIME ZONE 'Asia/Shanghai')::date
         AND NOT EXISTS (SELECT 1 FROM supervision.assessment_inputs o WHERE o.period = $1 AND o.unit_id = m.unit_id)
       GROUP BY unit_id`,
      [period, from, to],
    );
    return new Map(
      rows.map((r) => [
        r.unitId,
        { leadership: round2(Number(r.leadership)), rules: round2(Number(r.rules)) },
      ]),
    );
  }

  async manualEntered(period: string, from: string, to: string): Promise<Set<string>> {
    return new Set((await this.manual(period, from, to)).keys());
  }

  async setManual(
    period: string,
    unitId: string,
    leadership: number,
    rules: number,
    by: string,
  ): Promise<void> {
    await this.ds.query(
      `INSERT INTO supervision.assessment_inputs (period, unit_id, leadership, rules, set_by, set_at)
       VALUES ($1,$2,$3,$4,$5,now())
       ON CONFLICT (period, unit_id) DO UPDATE SET leadership = $3, rules = $4, set_by = $5, set_at = now()`,
      [period, unitId, leadership, rules, by],
    );
  }

  /** Records a bonus event once (unit, kind, ref); false when it was recorded before. */
  /** Records a bonus event once; its id, or null when that award is already recorded. */
  async addBonus(b: {
    id: string;
    unitId: string;
    kind: BonusKind;
    ref: string;
    occurredOn: string;
    note: string;
    by: string;
  }): Promise<string | null> {
    const rows: { id: string }[] = await this.ds.query(
      `INSERT INTO supervision.bonuses (id, unit_id, kind, ref, occurred_on, note, recorded_by, recorded_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,now()) ON CONFLICT (unit_id, kind, ref) DO NOTHING RETURNING id`,
      [b.id, b.unitId, b.kind, b.ref, b.occurredOn, b.note, b.by],
    );
    return rows[0]?.id ?? null;
  }

  async bonus(id: string): Promise<Record<string, unknown> | null> {
    const [row] = await this.ds.query(`SELECT ${BONUS_COLUMNS} FROM supervision.bonuses WHERE id = $1`, [id]);
    return row ?? null;
  }

  /** Recorded bonus events, the latest first (by day, then as recorded); one unit's when `unitId` is given. */
  bonuses(q: { unitId?: string; limit: number; offset: number }): Promise<RowsPage<Record<string, unknown>>> {
    return queryPage(
      this.ds,
      {
        select: BONUS_COLUMNS,
        from: `FROM supervision.bonuses ${q.unitId ? 'WHERE unit_id = $1' : ''}`,
        orderBy: 'occurred_on DESC, recorded_at DESC, id',
      },
      q.unitId ? [q.unitId] : [],
      q,
    );
  }

  /**
   * A complaint about a unit's attitude on one of its tickets (PA: −0.5 each); once per ticket:
   * null when the ticket has one already.
   */
  async addAttitudeComplaint(c: {
    ticketNo: string;
    unitId: string;
    note: string;
    by: string;
  }): Promise<AttitudeComplaintRow | null> {
    const rows: AttitudeComplaintRow[] = await this.ds.query(
      `INSERT INTO supervision.attitude_complaints (ticket_no, unit_id, note, recorded_by, recorded_at)
       VALUES ($1,$2,$3,$4,now()) ON CONFLICT (ticket_no) DO NOTHING
       RETURNING ticket_no AS "ticketNo", unit_id AS "unitId", note, recorded_by AS "recordedBy",
                 recorded_at AS "recordedAt"`,
      [c.ticketNo, c.unitId, c.note, c.by],
    );
    return rows[0] ?? null;
  }

  /** Publishes a period's ranking as it stands: once, and never changed afterwards. */
  async publish(period: string, ranking: unknown, by: string): Promise<boolean> {
    const rows: unknown[] = await this.ds.query(
      `INSERT INTO supervision.assessment_publications (period, ranking, published_by, published_at)
       VALUES ($1,$2,$3,now()) ON CONFLICT (period) DO NOTHING RETURNING period`,
      [period, JSON.stringify(ranking), by],
    );
    return rows.length > 0;
  }

  async publication(period: string): Promise<Record<string, unknown> | null> {
    const [r] = await this.ds.query(
      `SELECT period, ranking, published_by AS "publishedBy", published_at AS "publishedAt"
       FROM supervision.assessment_publications WHERE period = $1`,
      [period],
    );
    return r ?? null;
  }
}

const BONUS_COLUMNS = `id, unit_id AS "unitId", kind, ref, to_char(occurred_on, 'YYYY-MM-DD') AS "occurredOn", note,
  recorded_by AS "recordedBy", recorded_at AS "recordedAt"`;

const round2 = (n: number): number => Math.round(n * 100) / 100;
