import type { DataSource, EntityManager } from 'typeorm';
import {
  parseTicketEvent,
  TICKET_EVENT_VERSION,
  chinaDayKey,
  formatTicketNo,
  TICKET_EVENTS_TOPIC,
  topicName,
} from '@hotline/shared';
import type {
  Actor,
  AnyTicketEvent,
  AppealKind,
  Channel,
  IntakeDisposition,
  ResolvedPolicy,
  TicketEventDataMap,
  TicketEventType,
  TicketSnapshot,
  TicketStatus,
} from '@hotline/shared';
import { randomUUID } from 'node:crypto';
import type { PiiCipher } from '../security/pii-cipher';
import { ticketPiiAad } from '../security/pii-rotation';

export interface NewTicket {
  channel: Channel;
  kind: AppealKind;
  category: string;
  regionCode: string;
  title: string;
  content: string;
  address: string | null;
  complainantName: string | null;
  complainantPhone: string | null;
  confidential: boolean;
  respondent: string | null;
  demand: string | null;
  /** How intake disposed of it (分类处置); default: dispatch. */
  disposition?: IntakeDisposition;
  /** The SLA policy the ticket starts with; it keeps it. */
  policy?: ResolvedPolicy | null;
  /** Assisting units (协办单位) beside the lead unit. */
  assistingUnitIds?: string[];
}

export interface TicketRow extends NewTicket {
  ticketNo: string;
  status: TicketStatus;
  unitId: string | null;
  createdBy: string;
  workflowStartedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface TicketEventRow {
  eventId: string;
  seq: number;
  type: TicketEventType;
  actor: Actor;
  data: unknown;
  /** The ticket's state after the event's transition, as the workflow decided it. */
  state: TicketSnapshot | null;
  occurredAt: string;
}

/** An event to record: the caller picks the id (so a retry records it once), the ledger the seq. */
export interface PendingEvent<T extends TicketEventType = TicketEventType> {
  id: string;
  type: T;
  ticketNo: string;
  occurredAt: string;
  actor: Actor;
  data: TicketEventDataMap[T];
  /** The ticket's state after the transition, as the workflow decided it. */
  state: TicketSnapshot;
}

/** A ticket without its complainant's personal data: what code that has no need of it reads. */
export type TicketCore = Omit<TicketRow, 'complainantName' | 'complainantPhone'>;

const CORE_COLUMNS = `
  ticket_no AS "ticketNo", channel, kind, category, region_code AS "regionCode", title, content, address,
  confidential, respondent, demand, status, unit_id AS "unitId", created_by AS "createdBy",
  workflow_started_at AS "workflowStartedAt", created_at AS "createdAt", updated_at AS "updatedAt",
  policy, disposition, assisting_unit_ids AS "assistingUnitIds"`;
const TICKET_COLUMNS = `${CORE_COLUMNS},
  complainant_name AS "complainantName", complainant_phone AS "complainantPhone"`;

/**
 * The ledger (台账): tickets, their full history and the outbox rows that carry each event to
 * Kafka. Every write here happens in one transaction with its outbox row: an event is recorded
 * and published, or neither.
 */
export class TicketLedgerRepository {
  /**
   * `pii` encrypts the complainant's name and phone on the way in and decrypts them on the way
   * out (rows read here carry the plain values: services mask them before they leave). Without it
   * (the worker, which never reads them) a ticket with personal data can be neither created nor read.
   */
  constructor(
    private readonly ds: DataSource,
    private readonly kafkaPrefix: string,
    private readonly pii: PiiCipher | null = null,
  ) {}

  private cipher(ticketNo: string): PiiCipher {
    if (!this.pii)
      throw new Error(
        `ticket ${ticketNo}: personal data needs the keys (HOTLINE_PII_KEYS), and this process has none`,
      );
    return this.pii;
  }

  /** The row with its complainant's data decrypted (the AAD binds each value to the ticket and column). */
  private open(r: TicketRow): TicketRow {
    if (r.complainantName === null && r.complainantPhone === null) return r;
    const c = this.cipher(r.ticketNo);
    return {
      ...r,
      complainantName: c.open(r.complainantName, ticketPiiAad(r.ticketNo, 'complainant_name')),
      complainantPhone: c.open(r.complainantPhone, ticketPiiAad(r.ticketNo, 'complainant_phone')),
    };
  }

  /**
   * Creates a ticket with its `ticket.created` event and outbox row, in one transaction of three
   * statements (numbering, then ticket, event and outbox together): the intake's hot path, where
   * each round trip to Postgres costs every operator's request. Returns the ticket's core, so the
   * caller need not read it back. With a request key, a repeat returns the first ticket.
   */
  async create(
    input: NewTicket,
    actor: Actor & { userId: string },
    requestKey: string | null,
    now = new Date(),
  ): Promise<{ ticketNo: string; created: boolean; core: TicketCore }> {
    // The key is the caller's: another user's identical key is another request.
    const scopedKey = requestKey ? `${actor.userId}:${requestKey}` : null;
    return this.ds.transaction(async (m) => {
      if (scopedKey) {
        // Concurrent repeats queue here until the first commits (or rolls back), then find its ticket
        // instead of failing on the unique key. The lock ends with the transaction.
        // (The read is a statement of its own: its snapshot must be taken after the lock is held.)
        await m.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
          `ticket.request_key:${scopedKey}`,
        ]);
        const prior: TicketCore[] = await m.query(
          `SELECT ${CORE_COLUMNS} FROM ticket.tickets WHERE request_key = $1`,
          [scopedKey],
        );
        if (prior.length > 0) return { ticketNo: prior[0].ticketNo, created: false, core: prior[0] };
      }
      const dayKey = chinaDayKey(now);
      // Gapless: the counter row is locked until commit, and a rollback gives the number back.
      const [{ value }] = await m.query(
        `INSERT INTO ticket.counters (scope, value) VALUES ($1, 1)
         ON CONFLICT (scope) DO UPDATE SET value = ticket.counters.value + 1 RETURNING value`,
        [`ticket:${dayKey}`],
      );
      const ticketNo = formatTicketNo(dayKey, Number(value));
      // Personal data is stored encrypted, bound to this ticket and column; the phone also as its
      // blind index, so intake finds a caller's tickets without decrypting any.
      const hasPii = input.complainantName !== null || input.complainantPhone !== null;
      const c = hasPii ? this.cipher(ticketNo) : null;
      // The first event of a new ticket: seq 1, nothing to lock or project beyond the row itself.
      const event = parseTicketEvent({
        id: randomUUID(),
        type: 'ticket.created',
        version: TICKET_EVENT_VERSION,
        seq: 1,
        ticketNo,
        occurredAt: now.toISOString(),
        actor,
        state: { status: 'created', unitId: null, assignments: [] },
        data: {
          channel: input.channel,
          kind: input.kind,
          category: input.category,
          regionCode: input.regionCode,
          title: input.title,
          confidential: input.confidential,
        },
      });
      const [core]: TicketCore[] = await m.query(
        `WITH t AS (
           INSERT INTO ticket.tickets (ticket_no, channel, kind, category, region_code, title, content, address,
             complainant_name, complainant_phone, confidential, respondent, demand, status, created_by,
             request_key, created_at, updated_at, policy_code, policy_version, policy, disposition, assisting_unit_ids,
             complainant_phone_index)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,'created',$14,$15,$16,$16,$17,$18,$19,$20,$21,$22)
           RETURNING ${CORE_COLUMNS}
         ), e AS (
           INSERT INTO ticket.ticket_events (event_id, ticket_no, seq, type, actor, data, state, occurred_at)
           VALUES ($23, $1, 1, $24, $25, $26, $27, $16)
         ), o AS (
           INSERT INTO platform.outbox (topic, message_key, event_id, payload) VALUES ($28, $1, $23, $29)
         )
         SELECT * FROM t`,
        [
          ticketNo,
          input.channel,
          input.kind,
          input.category,
          input.regionCode,
          input.title,
          input.content,
          input.address,
          c?.seal(input.complainantName, ticketPiiAad(ticketNo, 'complainant_name')) ?? null,
          c?.seal(input.complainantPhone, ticketPiiAad(ticketNo, 'complainant_phone')) ?? null,
          input.confidential,
          input.respondent,
          input.demand,
          actor.userId,
          scopedKey,
          now,
          input.policy?.code ?? null,
          input.policy?.version ?? null,
          input.policy ? JSON.stringify(input.policy) : null,
          JSON.stringify(input.disposition ?? { type: 'dispatch' }),
          input.assistingUnitIds ?? [],
          c?.phoneIndex(input.complainantPhone) ?? null,
          event.id,
          event.type,
          event.actor,
          event.data,
          event.state,
          topicName({ kafkaPrefix: this.kafkaPrefix }, TICKET_EVENTS_TOPIC),
          event,
        ],
      );
      return { ticketNo, created: true, core };
    });
  }

  /** Records an event (idempotent on its id) and projects it onto the ticket and its assignments. */
  async append(event: PendingEvent): Promise<AnyTicketEvent> {
    return (await this.appendAll([event]))[0];
  }

  /**
   * Records one transition: its events, in order, in one transaction with their outbox rows, and
   * copies the state they carry onto the ticket and the units' assignments. Idempotent on the
   * event ids: a retried transition returns what was recorded the first time.
   */
  async appendAll(events: PendingEvent[]): Promise<AnyTicketEvent[]> {
    if (events.length === 0) return [];
    return this.ds.transaction(async (m) => {
      const out: AnyTicketEvent[] = [];
      // A transition's events are one ticket's; group them by ticket all the same, in order.
      for (const ticketNo of [...new Set(events.map((e) => e.ticketNo))])
        out.push(
          ...(await this.appendIn(
            m,
            events.filter((e) => e.ticketNo === ticketNo),
          )),
        );
      return out;
    });
  }

  /**
   * One ticket's events in the caller's transaction: the ticket row locked once, what is already
   * recorded and the next seq read in one query, then each new event with its outbox row in one
   * statement and its projection (the worker's hot path: every round trip costs each transition).
   */
  async appendIn(m: EntityManager, events: PendingEvent[]): Promise<AnyTicketEvent[]> {
    const ticketNo = events[0].ticketNo;
    const locked = await m.query(`SELECT 1 FROM ticket.tickets WHERE ticket_no = $1 FOR UPDATE`, [ticketNo]);
    if (locked.length === 0) throw new Error(`ticket ${ticketNo} does not exist`);
    // A retried write (an activity that ran twice) returns what was recorded the first time.
    const [{ last, existing }] = await m.query(
      `SELECT (SELECT coalesce(max(seq), 0) FROM ticket.ticket_events WHERE ticket_no = $1) AS last,
              (SELECT coalesce(json_agg(json_build_object('id', event_id, 'type', type, 'ticketNo', ticket_no,
                 'seq', seq, 'actor', actor, 'data', data, 'state', state, 'occurredAt', occurred_at)), '[]'::json)
               FROM ticket.ticket_events WHERE event_id = ANY($2::uuid[])) AS existing`,
      [ticketNo, events.map((e) => e.id)],
    );
    const recorded = new Map<string, AnyTicketEvent>(
      (existing as (AnyTicketEvent & { occurredAt: string })[]).map((e) => [
        e.id,
        {
          ...e,
          version: TICKET_EVENT_VERSION,
          occurredAt: new Date(e.occurredAt).toISOString(),
        } as AnyTicketEvent,
      ]),
    );
    let seq = Number(last);
    const out: AnyTicketEvent[] = [];
    for (const event of events) {
      const prior = recorded.get(event.id);
      if (prior) {
        out.push(prior);
        continue;
      }
      // Only events that match their published schema are recorded and sent: consumers rely on it.
      const full = parseTicketEvent({ ...event, version: TICKET_EVENT_VERSION, seq: ++seq });
      await m.query(
        `WITH e AS (
           INSERT INTO ticket.ticket_events (event_id, ticket_no, seq, type, actor, data, state, occurred_at)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8)
         )
         INSERT INTO platform.outbox (topic, message_key, event_id, payload) VALUES ($9, $2, $1, $10)`,
        [
          full.id,
          full.ticketNo,
          full.seq,
          full.type,
          full.actor,
          full.data,
          full.state,
          full.occurredAt,
          topicName({ kafkaPrefix: this.kafkaPrefix }, TICKET_EVENTS_TOPIC),
          full,
        ],
      );
      await this.project(m, full);
      recorded.set(full.id, full);
      out.push(full);
    }
    return out;
  }

  /**
   * The ledger's current state is a copy of what the event carries (the workflow decided it):
   * the ticket's status and lead unit, and each unit's assignment, which decides what the unit
   * sees on its desk. Events add their own facts (when a unit was dispatched, signed, replied).
   */
  private async project(m: EntityManager, e: AnyTicketEvent): Promise<void> {
    const facts = (sql: string, unitId: string) =>
      m.query(`UPDATE dispatch.assignments SET ${sql} WHERE ticket_no = $1 AND unit_id = $2`, [
        e.ticketNo,
        unitId,
        e.occurredAt,
      ]);
    switch (e.type) {
      case 'ticket.dispatched':
      case 'ticket.assistance_dispatched':
        await m.query(
          `INSERT INTO dispatch.assignments (ticket_no, unit_id, role, status, dispatched_at, sign_due_at)
           VALUES ($1,$2,$3,'dispatched',$4,$5)
           ON CONFLICT (ticket_no, unit_id) DO UPDATE SET role = $3, dispatched_at = $4, sign_due_at = $5,
             signed_at = NULL, replied_at = NULL`,
          [
            e.ticketNo,
            e.data.unitId,
            e.type === 'ticket.dispatched' ? 'lead' : 'assisting',
            e.occurredAt,
            e.data.signDueAt,
          ],
        );
        break;
      case 'ticket.signed':
      case 'ticket.assistance_signed':
        await facts(`signed_at = $3`, e.data.unitId);
        break;
      case 'ticket.replied':
        await facts(`replied_at = $3`, e.data.unitId);
        break;
      // The manual-callback queue: on it the moment the workflow asks, off it when answered.
      case 'ticket.callback_requested':
        if (e.data.mode === 'manual')
          await this.openCallbackTask(m, e.ticketNo, e.data.round, e.data.dueAt, e);
        break;
      case 'ticket.callback_answered':
        if (e.data.mode === 'manual')
          await this.closeCallbackTasks(
            m,
            e.ticketNo,
            e.occurredAt,
            e.data.verdict === null ? 'unreachable' : 'answered',
          );
        break;
      case 'ticket.closed':
        await this.closeCallbackTasks(m, e.ticketNo, e.occurredAt, 'ticket_closed');
        break;
      default:
        break;
    }
    // The ticket's status and each unit's assignment, in one statement.
    await m.query(
      `WITH a AS (
         UPDATE dispatch.assignments a SET status = s.status, role = s.role
         FROM unnest($5::text[], $6::text[], $7::text[]) AS s(unit_id, role, status)
         WHERE a.ticket_no = $1 AND a.unit_id = s.unit_id
       )
       UPDATE ticket.tickets SET status = $2, unit_id = $3, updated_at = $4 WHERE ticket_no = $1`,
      [
        e.ticketNo,
        e.state.status,
        e.state.unitId,
        e.occurredAt,
        e.state.assignments.map((x) => x.unitId),
        e.state.assignments.map((x) => x.role),
        e.state.assignments.map((x) => x.status),
      ],
    );
  }

  private async openCallbackTask(
    m: EntityManager,
    ticketNo: string,
    round: number,
    dueAt: string,
    e: AnyTicketEvent,
  ): Promise<void> {
    // What the citizen answered to this round's SMS, if anything: the operator starts from it.
    const [sms] = await m.query(
      `SELECT data->>'verdict' AS verdict FROM ticket.ticket_events
       WHERE ticket_no = $1 AND type = 'ticket.callback_answered' AND data->>'mode' = 'sms'
         AND (data->>'round')::int = $2 ORDER BY seq DESC LIMIT 1`,
      [ticketNo, round],
    );
    await m.query(
      `INSERT INTO evaluation.callback_tasks
         (id, ticket_no, round, unit_id, due_at, sms_answered, sms_verdict, status, opened_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,'open',$8) ON CONFLICT (ticket_no, round) DO NOTHING`,
      [
        e.id,
        ticketNo,
        round,
        e.state.unitId,
        dueAt,
        sms ? sms.verdict !== null : false,
        sms?.verdict ?? null,
        e.occurredAt,
      ],
    );
  }

  private async closeCallbackTasks(
    m: EntityManager,
    ticketNo: string,
    at: string,
    as: string,
  ): Promise<void> {
    await m.query(
      `UPDATE evaluation.callback_tasks SET status = 'done', closed_at = $2, closed_as = $3
       WHERE ticket_no = $1 AND status = 'open'`,
      [ticketNo, at, as],
    );
  }

  async find(ticketNo: string): Promise<TicketRow | null> {
    const rows = await this.ds.query(`SELECT ${TICKET_COLUMNS} FROM ticket.tickets WHERE ticket_no = $1`, [
      ticketNo,
    ]);
    return rows[0] ? this.open(rows[0]) : null;
  }

  /** The ticket without its personal data (nothing decrypted). */
  async findCore(ticketNo: string): Promise<TicketCore | null> {
    const rows = await this.ds.query(`SELECT ${CORE_COLUMNS} FROM ticket.tickets WHERE ticket_no = $1`, [
      ticketNo,
    ]);
    return rows[0] ?? null;
  }

  /** Whether the ticket exists; reads nothing of it (no personal data to decrypt). */
  async exists(ticketNo: string): Promise<boolean> {
    const rows = await this.ds.query(`SELECT 1 FROM ticket.tickets WHERE ticket_no = $1`, [ticketNo]);
    return rows.length > 0;
  }

  /**
   * Earlier reports of the same problem (RULES §6, SQ art. 19): by the same complainant (the
   * phone's blind index), in the same category and region, in the 90 days before this ticket; with
   * when each was last replied to and whether it is closed. Reads no personal data.
   */
  async earlierReports(
    ticketNo: string,
  ): Promise<{ createdAt: string; repliedAt: string | null; closed: boolean }[]> {
    return this.ds.query(
      `SELECT o.created_at AS "createdAt", o.status = 'closed' AS closed,
              (SELECT max(e.occurred_at) FROM ticket.ticket_events e
                WHERE e.ticket_no = o.ticket_no AND e.type = 'ticket.replied') AS "repliedAt"
       FROM ticket.tickets t JOIN ticket.tickets o
         ON o.complainant_phone_index = t.complainant_phone_index AND o.category = t.category
        AND o.region_code = t.region_code AND o.ticket_no <> t.ticket_no
        AND o.created_at < t.created_at AND o.created_at >= t.created_at - interval '90 days'
       WHERE t.ticket_no = $1 AND t.complainant_phone_index IS NOT NULL
       ORDER BY o.created_at DESC LIMIT 50`,
      [ticketNo],
    );
  }

  async history(ticketNo: string): Promise<TicketEventRow[]> {
    return this.ds.query(
      `SELECT event_id AS "eventId", seq, type, actor, data, state, occurred_at AS "occurredAt"
       FROM ticket.ticket_events WHERE ticket_no = $1 ORDER BY seq`,
      [ticketNo],
    );
  }

  async list(filter: {
    status?: TicketStatus;
    unitId?: string;
    /** A caller's tickets: matched on the phone's blind index, nothing is decrypted to search. */
    complainantPhone?: string;
    limit: number;
    offset: number;
  }): Promise<{ items: TicketRow[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.status) where.push(`status = $${params.push(filter.status)}`);
    if (filter.unitId) where.push(`unit_id = $${params.push(filter.unitId)}`);
    if (filter.complainantPhone !== undefined)
      where.push(
        `complainant_phone_index = $${params.push(this.cipher('search').phoneIndex(filter.complainantPhone))}`,
      );
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ total }] = await this.ds.query(
      `SELECT count(*)::int AS total FROM ticket.tickets ${clause}`,
      params,
    );
    const items = await this.ds.query(
      `SELECT ${TICKET_COLUMNS} FROM ticket.tickets ${clause} ORDER BY created_at DESC, ticket_no DESC
       LIMIT $${params.push(filter.limit)} OFFSET $${params.push(filter.offset)}`,
      params,
    );
    return { items: items.map((r: TicketRow) => this.open(r)), total };
  }

  async markWorkflowStarted(ticketNo: string): Promise<void> {
    await this.ds.query(
      `UPDATE ticket.tickets SET workflow_started_at = now() WHERE ticket_no = $1 AND workflow_started_at IS NULL`,
      [ticketNo],
    );
  }

  /**
   * Of these tickets, those whose workflow has recorded something past `ticket.created` (it has
   * taken its first turn: dispatched, answered, refused).
   */
  async pastFirstTurn(ticketNos: string[]): Promise<string[]> {
    if (ticketNos.length === 0) return [];
    const rows: { ticket_no: string }[] = await this.ds.query(
      `SELECT DISTINCT ticket_no FROM ticket.ticket_events WHERE ticket_no = ANY($1::text[]) AND seq > 1`,
      [ticketNos],
    );
    return rows.map((r) => r.ticket_no);
  }

  /** Tickets whose workflow start did not go through (Temporal was down): the starter retries them. */
  async withoutWorkflow(olderThanSeconds: number, limit: number): Promise<TicketCore[]> {
    return this.ds.query(
      `SELECT ${CORE_COLUMNS} FROM ticket.tickets
       WHERE workflow_started_at IS NULL AND created_at < now() - make_interval(secs => $1)
       ORDER BY created_at LIMIT $2`,
      [olderThanSeconds, limit],
    );
  }
}
