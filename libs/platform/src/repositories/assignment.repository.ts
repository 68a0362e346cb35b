import type { DataSource } from 'typeorm';
import type { Actor, AssignmentRole, ComplaintNature, DeskSort, TicketStatus } from '@hotline/shared';
import type { PiiCipher } from '../security/pii-cipher';
import { ticketPiiAad } from '../security/pii-rotation';
import { encodeDeskCursor } from './desk-cursor';
import type { DeskCursor } from './desk-cursor';
import { ticketTextCondition } from './ticket-text';

export interface UnitTicketRow {
  ticketNo: string;
  unitId: string;
  role: AssignmentRole;
  assignmentStatus: string;
  dispatchedAt: string;
  signDueAt: string | null;
  completeDueAt: string | null;
  returnWindowEndsAt: string | null;
  signedAt: string | null;
  repliedAt: string | null;
  status: TicketStatus;
  channel: string;
  channelDetail: string | null;
  kind: string;
  category: string;
  regionCode: string;
  title: string;
  content: string;
  address: string | null;
  /** Who the appeal is about (被投诉举报人), and what the citizen asks for (诉求). */
  respondent: string | null;
  demand: string | null;
  complainantName: string | null;
  complainantPhone: string | null;
  confidential: boolean;
  createdAt: string;
  /** A complaint about officials: its nature (the body for it handles it); else null. */
  complaintNature: ComplaintNature | null;
  /** A real-name appeal: the complainant gave their name (a confidential ticket's counts as anonymous here). */
  realName: boolean;
}

export interface DeskSummaryRow {
  /** Tickets by the unit's assignment status (statuses it has none in are left out). */
  byStatus: Record<string, number>;
  pastDue: number;
  dueWithinHour: number;
}

export interface ProgressNoteRow {
  unitId: string;
  content: string;
  notedBy: string | null;
  notedAt: string;
}

/** One step of a hub's pass to a sub-unit, as the ledger recorded it. */
export interface SubDispatchRecordRow {
  type: string;
  subUnitId: string;
  data: Record<string, unknown>;
  by: string | null;
  at: string;
}

/** One of the centre's decisions on a unit's handling, or a callback answer (see centreDecisions). */
export interface CentreDecisionRow {
  type: string;
  at: string;
  approved: boolean | null;
  note: string;
  completeDueAt: string | null;
  granted: { amount: number; unit: string } | null;
  verdict: string | null;
  mode: string | null;
  round: number | null;
}

export interface CoordinationRecordRow {
  level: string;
  unitId: string;
  fromUnitId: string;
  assistingUnitIds: string[];
  reason: string;
  at: string;
}

export interface UnitActionEventRow {
  seq: number;
  type: string;
  actor: Actor;
  data: unknown;
  occurredAt: string;
}

/**
 * A real-name appeal (实名) as a unit's desk knows it: the complainant gave their name (RULES §1:
 * prioritised, GS). A confidential ticket counts as anonymous there: a unit never learns whether
 * its complainant (a whistle-blower) gave a name.
 */
export const REAL_NAME = `(t.complainant_name IS NOT NULL AND NOT t.confidential)`;

const COLUMNS = `
  a.ticket_no AS "ticketNo", a.unit_id AS "unitId", a.role, a.status AS "assignmentStatus",
  a.dispatched_at AS "dispatchedAt", a.sign_due_at AS "signDueAt", a.complete_due_at AS "completeDueAt",
  a.return_window_ends_at AS "returnWindowEndsAt", a.signed_at AS "signedAt",
  a.replied_at AS "repliedAt", t.status, t.channel, t.channel_detail AS "channelDetail", t.kind, t.category, t.region_code AS "regionCode",
  t.title, t.content, t.address, t.respondent, t.demand, t.complainant_name AS "complainantName",
  t.complainant_phone AS "complainantPhone", t.confidential, t.created_at AS "createdAt",
  t.complaint_nature AS "complaintNature",
  ${REAL_NAME} AS "realName"`;

/** What the unit must do next on the ticket by when (DESK_SORTS): sign, or reply. */
const NEXT_DUE = `CASE a.status WHEN 'dispatched' THEN a.sign_due_at
  WHEN 'signed' THEN a.complete_due_at WHEN 'rectifying' THEN a.complete_due_at END`;

/**
 * What a unit may see: only the tickets dispatched to it. Every query is scoped by unit. What of a
 * row the unit may be shown is decided by ticketAccessFor (libs/shared/src/security).
 */
export class AssignmentRepository {
  /** `pii` decrypts the complainant's data (the service masks it, or hides it when confidential). */
  constructor(
    private readonly ds: DataSource,
    private readonly pii: PiiCipher | null = null,
  ) {}

  private open(r: UnitTicketRow): UnitTicketRow {
    if (r.complainantName === null && r.complainantPhone === null) return r;
    // A confidential complainant is never shown to a unit: nothing to decrypt.
    if (r.confidential) return { ...r, complainantName: null, complainantPhone: null };
    if (!this.pii) throw new Error(`ticket ${r.ticketNo}: personal data needs the keys (HOTLINE_PII_KEYS)`);
    return {
      ...r,
      complainantName: this.pii.open(r.complainantName, ticketPiiAad(r.ticketNo, 'complainant_name')),
      complainantPhone: this.pii.open(r.complainantPhone, ticketPiiAad(r.ticketNo, 'complainant_phone')),
    };
  }

  async listForUnit(
    unitId: string,
    filter: {
      status?: string;
      sort?: DeskSort;
      words?: readonly string[];
      limit: number;
      offset: number;
      /** Read on from where an earlier page ended (its `nextCursor`), in the same order; offset unused. */
      after?: DeskCursor;
      /** Only real-name appeals (true) or only anonymous ones (false). */
      realName?: boolean;
    },
  ): Promise<{ items: UnitTicketRow[]; total: number; nextCursor: string | null }> {
    const params: unknown[] = [unitId];
    let clause = 'a.unit_id = $1';
    // The default desk lists the tickets the unit handles; the ones it was withdrawn from only
    // when asked for (status=withdrawn), and then only its own record (the service cuts the rest).
    if (filter.status) clause += ` AND a.status = $${params.push(filter.status)}`;
    else clause += ` AND a.status <> 'withdrawn'`;
    // Words are looked for only in the tickets the unit handles: a withdrawn ticket's content is
    // no longer the unit's to read, nor to probe.
    if (filter.realName !== undefined) clause += ` AND ${REAL_NAME} = $${params.push(filter.realName)}`;
    const text = ticketTextCondition('a.ticket_no', { words: filter.words }, params);
    if (text) clause += ` AND a.status <> 'withdrawn' AND ${text}`;
    const sort = filter.sort ?? 'dispatched';
    const from = `FROM dispatch.assignments a JOIN ticket.tickets t USING (ticket_no) WHERE ${clause}`;
    const [{ total }] = await this.ds.query(`SELECT count(*)::int AS total ${from}`, params);
    // The rows after the cursor in the desk's order: (real-name first,) (next deadline ASC NULLS
    // LAST,) dispatched DESC, number DESC.
    let after = '';
    if (filter.after) {
      const at = `$${params.push(filter.after.at)}::timestamptz`;
      const no = `$${params.push(filter.after.ticketNo)}`;
      const later = `(a.dispatched_at, a.ticket_no) < (${at}, ${no})`;
      if (sort === 'deadline' || sort === 'priority') {
        const due = filter.after.due === null ? null : `$${params.push(filter.after.due)}::timestamptz`;
        const dueAfter =
          due === null
            ? `(${NEXT_DUE} IS NULL AND ${later})`
            : `(${NEXT_DUE} > ${due} OR ${NEXT_DUE} IS NULL OR (${NEXT_DUE} = ${due} AND ${later}))`;
        if (sort === 'priority') {
          const anonymous = `$${params.push(filter.after.anonymous ?? false)}::boolean`;
          // A real-name row's place: every anonymous row follows it, and the real-name ones after it.
          after = ` AND ((NOT ${REAL_NAME} AND NOT ${anonymous}) OR (${REAL_NAME} = (NOT ${anonymous}) AND ${dueAfter}))`;
        } else after = ` AND ${dueAfter}`;
      } else after = ` AND ${later}`;
    }
    const order =
      sort === 'priority'
        ? `${REAL_NAME} DESC, ${NEXT_DUE} ASC NULLS LAST, `
        : sort === 'deadline'
          ? `${NEXT_DUE} ASC NULLS LAST, `
          : '';
    const rows: (UnitTicketRow & { cursorDue: string | null; cursorAt: string })[] = await this.ds.query(
      `SELECT ${COLUMNS},
         to_char((${NEXT_DUE}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "cursorDue",
         to_char(a.dispatched_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "cursorAt"
       ${from}${after}
       ORDER BY ${order}a.dispatched_at DESC, a.ticket_no DESC
       LIMIT $${params.push(filter.limit + 1)} OFFSET $${params.push(filter.after ? 0 : filter.offset)}`,
      params,
    );
    // One row more than the page, to know whether another page follows.
    const more = rows.length > filter.limit;
    if (more) rows.pop();
    const last = rows.at(-1);
    const nextCursor =
      more && last
        ? encodeDeskCursor({
            sort,
            due: last.cursorDue,
            at: last.cursorAt,
            ticketNo: last.ticketNo,
            ...(sort === 'priority' ? { anonymous: !last.realName } : {}),
          })
        : null;
    return {
      items: rows.map(({ cursorDue: _due, cursorAt: _at, ...r }) => this.open(r as UnitTicketRow)),
      total,
      nextCursor,
    };
  }

  /**
   * The unit's desk at a glance: its tickets by assignment status, and of those with something due
   * from the unit (a sign, a reply), how many are past that deadline and how many fall due within
   * the hour, at `now`.
   */
  async summaryForUnit(unitId: string, now: Date): Promise<DeskSummaryRow> {
    const [row] = await this.ds.query(
      `SELECT coalesce(json_object_agg(status, n) FILTER (WHERE status IS NOT NULL), '{}'::json) AS "byStatus",
         coalesce(sum(past_due), 0)::int AS "pastDue", coalesce(sum(due_soon), 0)::int AS "dueWithinHour"
       FROM (
         SELECT a.status, count(*)::int AS n,
           count(*) FILTER (WHERE ${NEXT_DUE} < $2) AS past_due,
           count(*) FILTER (WHERE ${NEXT_DUE} >= $2 AND ${NEXT_DUE} < $2::timestamptz + interval '1 hour') AS due_soon
         FROM dispatch.assignments a WHERE a.unit_id = $1 GROUP BY a.status
       ) s`,
      [unitId, now],
    );
    return row as DeskSummaryRow;
  }

  async findForUnit(ticketNo: string, unitId: string): Promise<UnitTicketRow | null> {
    const rows = await this.ds.query(
      `SELECT ${COLUMNS} FROM dispatch.assignments a JOIN ticket.tickets t USING (ticket_no)
       WHERE a.ticket_no = $1 AND a.unit_id = $2`,
      [ticketNo, unitId],
    );
    return rows[0] ? this.open(rows[0]) : null;
  }

  /** The ticket's progress notes (办理进度) by every unit on it, oldest first: the record that stands. */
  async progressNotes(ticketNo: string): Promise<ProgressNoteRow[]> {
    return this.ds.query(
      `SELECT data->>'unitId' AS "unitId", data->>'content' AS content, actor->>'userId' AS "notedBy",
         occurred_at AS "notedAt"
       FROM ticket.ticket_events
       WHERE ticket_no = $1 AND type = 'ticket.progress_noted' AND voided_by IS NULL
       ORDER BY seq`,
      [ticketNo],
    );
  }

  /**
   * The hub's passes of the ticket to its sub-units and what came of them (RULES §2 multi-level
   * handling), in order; with `unitId`, only those of that sub-unit: its own pass, and the passes it
   * made in turn as a hub (三级/四级). A sub-unit's sign time is the clock's as any unit's
   * (`ticket.reminded` / `ticket.overdue`, deadline `sign`, on the sub-unit): its reminders and its
   * mark, once it was passed the ticket, are among them, for its hub to see.
   */
  async subDispatchRecord(ticketNo: string, unitId: string | null): Promise<SubDispatchRecordRow[]> {
    // The passes of the lead the ticket is with now: those a former lead made went with the ticket
    // when it was taken from it (an approved return, a coordination recalling them).
    return this.ds.query(
      `WITH since AS (
         SELECT coalesce(max(d.seq), 0) AS seq FROM ticket.ticket_events d
         WHERE d.ticket_no = $1 AND d.voided_by IS NULL AND d.type = 'ticket.dispatched')
       SELECT e.type, coalesce(e.data->>'subUnitId', e.data->>'unitId') AS "subUnitId", e.data,
         e.actor->>'userId' AS "by", e.occurred_at AS "at"
       FROM ticket.ticket_events e, since
       WHERE e.ticket_no = $1 AND e.voided_by IS NULL AND e.seq > since.seq
         AND (
         e.type IN ('ticket.sub_dispatched', 'ticket.sub_signed', 'ticket.sub_recalled', 'ticket.sub_declined',
                    'ticket.sub_replied', 'ticket.sub_reply_reviewed', 'ticket.sub_reminded', 'ticket.sub_overdue')
           AND ($2::text IS NULL OR e.data->>'subUnitId' = $2 OR e.data->>'unitId' = $2)
         OR e.type IN ('ticket.reminded', 'ticket.overdue') AND e.data->>'deadline' = 'sign'
           AND EXISTS (SELECT 1 FROM ticket.ticket_events p
             WHERE p.ticket_no = $1 AND p.voided_by IS NULL AND p.type = 'ticket.sub_dispatched'
               AND p.seq > since.seq AND p.seq < e.seq
               AND p.data->>'subUnitId' = e.data->>'unitId'
               AND ($2::text IS NULL OR $2 IN (p.data->>'unitId', p.data->>'subUnitId'))))
       ORDER BY e.seq`,
      [ticketNo, unitId],
    );
  }

  /**
   * The latest coordination (协调) of the ticket, as recorded: who designated which lead, from which
   * unit, with which assisting units and why (the units on it read the centre's reason), or null.
   */
  async lastCoordination(ticketNo: string): Promise<CoordinationRecordRow | null> {
    const rows: CoordinationRecordRow[] = await this.ds.query(
      `SELECT coalesce(data->>'level', 'centre') AS level, data->>'unitId' AS "unitId",
              data->>'fromUnitId' AS "fromUnitId", data->'assistingUnitIds' AS "assistingUnitIds",
              data->>'reason' AS reason, occurred_at AS "at"
       FROM ticket.ticket_events
       WHERE ticket_no = $1 AND type = 'ticket.coordinated' AND voided_by IS NULL
       ORDER BY seq DESC LIMIT 1`,
      [ticketNo],
    );
    return rows[0] ?? null;
  }

  /**
   * What the centre decided on the unit's handling of the ticket, oldest first: its replies
   * reviewed (sent back with the note saying what to complete), its returns and extension requests
   * decided, a rectification ordered; and, for the lead, the citizen's callback answers (what a
   * rectification answers to). Copied from the events as recorded.
   */
  async centreDecisions(ticketNo: string, unitId: string, lead: boolean): Promise<CentreDecisionRow[]> {
    return this.ds.query(
      `SELECT type, occurred_at AS "at", (data->>'approved')::boolean AS approved,
              coalesce(data->>'note', '') AS note, data->>'completeDueAt' AS "completeDueAt",
              data->'granted' AS granted, data->>'verdict' AS verdict, data->>'mode' AS mode,
              (data->>'round')::int AS round
       FROM ticket.ticket_events
       WHERE ticket_no = $1 AND voided_by IS NULL
         AND ((type IN ('ticket.reply_reviewed', 'ticket.return_decided', 'ticket.extension_decided',
                        'ticket.rectification_ordered') AND data->>'unitId' = $2)
              OR ($3 AND type = 'ticket.callback_answered'))
       ORDER BY seq`,
      [ticketNo, unitId, lead],
    );
  }

  /** The unit's last reply on the ticket (`ticket.replied` data), or null. */
  async lastReplyBy(ticketNo: string, unitId: string): Promise<Record<string, unknown> | null> {
    const rows: { data: Record<string, unknown> }[] = await this.ds.query(
      `SELECT data FROM ticket.ticket_events
       WHERE ticket_no = $1 AND type = 'ticket.replied' AND data->>'unitId' = $2 AND voided_by IS NULL
       ORDER BY seq DESC LIMIT 1`,
      [ticketNo, unitId],
    );
    return rows[0]?.data ?? null;
  }

  async eventsByUnit(ticketNo: string, unitId: string): Promise<UnitActionEventRow[]> {
    return this.ds.query(
      `SELECT seq, type, actor, data, occurred_at AS "occurredAt" FROM ticket.ticket_events
       WHERE ticket_no = $1 AND actor->>'kind' = 'user' AND actor->>'unitId' = $2 AND voided_by IS NULL
       ORDER BY seq`,
      [ticketNo, unitId],
    );
  }
}
