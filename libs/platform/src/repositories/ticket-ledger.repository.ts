import type { DataSource, EntityManager } from 'typeorm';
import {
  assistingOn,
  correctionEventId,
  parseTicketEvent,
  successorEventId,
  TICKET_EVENT_VERSION,
  chinaDayKey,
  formatRegistryNo,
  formatTicketNo,
  registryPrefix,
  TICKET_EVENTS_TOPIC,
  topicName,
} from '@hotline/shared';
import type {
  ComplaintNature,
  Actor,
  AnyTicketEvent,
  AppealKind,
  Channel,
  ChannelDetail,
  IntakeDisposition,
  ResolvedPolicy,
  TicketEvent,
  TicketEventDataMap,
  TicketEventType,
  TicketSnapshot,
  TicketStatus,
  VoidedEventRef,
} from '@hotline/shared';
import { randomUUID } from 'node:crypto';
import type { PiiCipher } from '../security/pii-cipher';
import { ticketPiiAad } from '../security/pii-rotation';
import { queryPage } from './page';
import { ticketTextCondition } from './ticket-text';

export interface NewTicket {
  channel: Channel;
  /** Which leader mailbox or upper platform (CHANNEL_DETAILS); null or absent: not said. */
  channelDetail?: ChannelDetail | null;
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
  /** A complaint or report about officials: its nature (efficiency, conduct, integrity); else null. */
  complaintNature?: ComplaintNature | null;
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
  /** `(2026)领001号`: a leader-mailbox or network item's number of its channel and year; else null. */
  registryNo: string | null;
  /** The policy set the ticket's deadlines follow now (`policy`: the one it started with); null: none. */
  policyInForce: { code: string; version: number } | null;
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

/**
 * Where a transition stands in its workflow run: the run, and how many transitions the run had
 * recorded before it. Each place holds one transition; events found in it (or after it) that are not
 * the transition's own were written by an attempt the Temporal server dropped, and are voided.
 */
export interface TransitionPlace {
  runId: string;
  serial: number;
  /**
   * The workflow task that decided it: the run's history length when that task began (grows with
   * every task the server times out or fails). Another attempt's events in this place from a later
   * task mean this attempt outlived its own task: it writes nothing. Absent: not compared.
   */
  generation?: number;
}

/** What recording a transition did: its events (as first recorded) and how many it voided. */
export interface RecordedTransition {
  events: AnyTicketEvent[];
  /** Events of lost attempts this write voided (0 almost always; 0 when a retry finds it done). */
  voided: number;
}

/** A write by an attempt that has already timed out: it is not made (the retry makes it). */
export class StaleWriteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StaleWriteError';
  }
}

/** An event as recorded, and the correction that voided it, if one did. */
type RecordedRow = Omit<AnyTicketEvent, 'version'> & { voidedBy: string | null };

const RECORDED_JSON = `json_build_object('id', event_id, 'type', type, 'ticketNo', ticket_no, 'seq', seq,
  'actor', actor, 'data', data, 'state', state, 'occurredAt', occurred_at, 'voidedBy', voided_by)`;
const LEDGER_ROWS_SQL = `SELECT ${RECORDED_JSON} AS row FROM ticket.ticket_events WHERE event_id = ANY($1::uuid[])`;
/**
 * In one round trip: the ticket's last seq, what of these ids is recorded, and what stands in this
 * run at this place or later that is not theirs ($3 null: no place, nothing is looked for).
 */
const LEDGER_STATE_SQL = `SELECT (SELECT coalesce(max(seq), 0) FROM ticket.ticket_events WHERE ticket_no = $1) AS last,
  (SELECT coalesce(json_agg(${RECORDED_JSON}), '[]'::json)
    FROM ticket.ticket_events WHERE event_id = ANY($2::uuid[])) AS existing,
  (SELECT coalesce(json_agg(json_build_object('eventId', event_id, 'type', type, 'seq', seq, 'generation', generation) ORDER BY seq), '[]'::json)
    FROM ticket.ticket_events
    WHERE $3::text IS NOT NULL AND ticket_no = $1 AND run_id = $3 AND serial >= $4
      AND voided_by IS NULL AND NOT (event_id = ANY($2::uuid[]))) AS lost`;

/** A ticket without its complainant's personal data: what code that has no need of it reads. */
export type TicketCore = Omit<TicketRow, 'complainantName' | 'complainantPhone'>;

const CORE_COLUMNS = `
  ticket_no AS "ticketNo", channel, kind, category, region_code AS "regionCode", title, content, address,
  confidential, respondent, demand, status, unit_id AS "unitId", created_by AS "createdBy",
  workflow_started_at AS "workflowStartedAt", created_at AS "createdAt", updated_at AS "updatedAt",
  policy, CASE WHEN policy_code IS NULL THEN NULL
    ELSE json_build_object('code', policy_code, 'version', policy_version) END AS "policyInForce",
  disposition, assisting_unit_ids AS "assistingUnitIds", registry_no AS "registryNo",
  complaint_nature AS "complaintNature", channel_detail AS "channelDetail"`;
const TICKET_COLUMNS = `${CORE_COLUMNS},
  complainant_name AS "complainantName", complainant_phone AS "complainantPhone"`;

/** What the ledger (台账) is searched by (RULES §1: every field it records, searchable later). */
export interface LedgerFilter {
  status?: TicketStatus;
  /** The lead unit the ticket is with. */
  unitId?: string;
  /** A caller's tickets: matched on the phone's blind index, nothing is decrypted to search. */
  complainantPhone?: string;
  channel?: string;
  kind?: string;
  category?: string;
  regionCode?: string;
  complaintNature?: string;
  /** Registered on or after this day (YYYY-MM-DD, China time). */
  createdFrom?: string;
  /** Registered on or before this day (YYYY-MM-DD, China time), the whole day. */
  createdTo?: string;
  /** Words each found, any case, in the title, content, demand, address or respondent. */
  words?: string[];
  /** Found, any case, in the respondent (被投诉举报人). */
  respondent?: string;
  /** Only real-name appeals (the complainant gave their name) or only anonymous ones. */
  realName?: boolean;
  /** Which leader mailbox or upper platform. */
  channelDetail?: string;
}

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
      // A leader-mailbox or network item also takes the next registry number of its channel's year,
      // gapless the same way (locked after the day's counter, always in that order).
      const prefix = registryPrefix(input.channel);
      let registryNo: string | null = null;
      if (prefix) {
        const year = dayKey.slice(0, 4);
        const [{ value: seq }] = await m.query(
          `INSERT INTO ticket.counters (scope, value) VALUES ($1, 1)
           ON CONFLICT (scope) DO UPDATE SET value = ticket.counters.value + 1 RETURNING value`,
          [`registry:${prefix}:${year}`],
        );
        registryNo = formatRegistryNo(year, prefix, Number(seq));
      }
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
             complainant_phone_index, registry_no, complaint_nature, channel_detail)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,'created',$14,$15,$16,$16,$17,$18,$19,$20,$21,$22,$30,$31,$32)
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
          registryNo,
          input.complaintNature ?? null,
          input.channelDetail ?? null,
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
   * Records events (of one or more tickets), in order, in one transaction with their outbox rows,
   * and copies the state they carry onto the ticket and the units' assignments. Idempotent on the
   * event ids: a retried write returns what was recorded the first time.
   */
  async appendAll(events: PendingEvent[]): Promise<AnyTicketEvent[]> {
    if (events.length === 0) return [];
    return this.ds.transaction(async (m) => {
      const out: AnyTicketEvent[] = [];
      for (const ticketNo of [...new Set(events.map((e) => e.ticketNo))])
        out.push(
          ...(
            await this.appendIn(
              m,
              events.filter((e) => e.ticketNo === ticketNo),
              null,
            )
          ).events,
        );
      return out;
    });
  }

  /**
   * Records one transition of a ticket's workflow at its place (the workflow's local activity):
   * as appendAll, and, when it is the transition's first record, voids what a lost attempt wrote in
   * that place or after it, recording `ticket.record_corrected` after the transition's events.
   */
  async recordTransition(
    events: PendingEvent[],
    place: TransitionPlace,
    /** When the asking attempt times out (ms since the epoch): past it, nothing is written. */
    deadline: number | null = null,
  ): Promise<RecordedTransition> {
    if (events.length === 0) return { events: [], voided: 0 };
    if (new Set(events.map((e) => e.ticketNo)).size > 1) throw new Error("a transition is one ticket's");
    return this.ds.transaction((m) => this.appendIn(m, events, place, deadline));
  }

  /**
   * One ticket's events in the caller's transaction: the ticket row locked once; what is already
   * recorded, the next seq and any lost attempt's events read in one query; then each new event
   * with its outbox row in one statement and its projection (the worker's hot path: every round
   * trip costs each transition).
   */
  async appendIn(
    m: EntityManager,
    events: PendingEvent[],
    place: TransitionPlace | null,
    deadline: number | null = null,
  ): Promise<RecordedTransition> {
    const ticketNo = events[0].ticketNo;
    const locked = await m.query(`SELECT 1 FROM ticket.tickets WHERE ticket_no = $1 FOR UPDATE`, [ticketNo]);
    if (locked.length === 0) throw new Error(`ticket ${ticketNo} does not exist`);
    // An attempt that has timed out has been retried already, and its result is thrown away: were it
    // to write now, after the next transition, it could take that transition for a lost one.
    if (deadline !== null && Date.now() > deadline)
      throw new StaleWriteError(
        `ticket ${ticketNo}: the attempt timed out before its write; the retry records it`,
      );
    // A retried write (an activity that ran twice) returns what was recorded the first time. A lost
    // attempt's events are those of this run in this place or later that are not this write's: the
    // workflow is at this place, so whatever stands there or beyond never got into its history.
    let ids = events.map((e) => e.id);
    let [{ last, existing, lost }] = await m.query(LEDGER_STATE_SQL, [
      ticketNo,
      ids,
      place?.runId ?? null,
      place?.serial ?? 0,
    ]);
    const rows = new Map<string, RecordedRow>((existing as RecordedRow[]).map((e) => [e.id, e]));
    if ([...rows.values()].some((r) => r.voidedBy)) {
      // An event of this write was voided (a lost attempt named it alike, and another attempt's
      // write voided it): it is recorded after all, under its successor's id.
      ids = [];
      for (const id of events.map((e) => e.id)) {
        let cur = id;
        for (let row = rows.get(cur); row?.voidedBy; row = rows.get(cur)) {
          cur = successorEventId(cur, row.voidedBy);
          const [next]: { row: RecordedRow }[] = await m.query(LEDGER_ROWS_SQL, [[cur]]);
          if (next) rows.set(cur, next.row);
        }
        ids.push(cur);
      }
      [{ last, existing, lost }] = await m.query(LEDGER_STATE_SQL, [
        ticketNo,
        ids,
        place?.runId ?? null,
        place?.serial ?? 0,
      ]);
    }
    // Only the first record of a transition corrects: a write whose events already stand is a retry
    // or a stale attempt finishing late, and what stands after it is another attempt's to judge.
    const first = ids.some((id) => !rows.get(id) || rows.get(id)!.voidedBy);
    const standing = lost as (VoidedEventRef & { generation: number | null })[];
    // What a later workflow task recorded here stands: this attempt outlived its task (its worker
    // cut off from Temporal while the task timed out), and the workflow went on without it.
    const generation = place?.generation;
    if (
      first &&
      generation !== undefined &&
      standing.some((e) => e.generation !== null && e.generation > generation)
    )
      throw new StaleWriteError(
        `ticket ${ticketNo}: a later workflow task recorded this place; this attempt's task is gone`,
      );
    const voided: VoidedEventRef[] =
      place && first ? standing.map(({ eventId, type, seq }) => ({ eventId, type, seq })) : [];
    const correctionId = voided.length > 0 ? correctionEventId(voided.map((v) => v.eventId)) : null;
    if (correctionId)
      await m.query(`UPDATE ticket.ticket_events SET voided_by = $2 WHERE event_id = ANY($1::uuid[])`, [
        voided.map((v) => v.eventId),
        correctionId,
      ]);

    let seq = Number(last);
    const write = async (event: PendingEvent, at: TransitionPlace | null): Promise<AnyTicketEvent> => {
      // Only events that match their published schema are recorded and sent: consumers rely on it.
      const full = parseTicketEvent({ ...event, version: TICKET_EVENT_VERSION, seq: ++seq });
      await m.query(
        `WITH e AS (
           INSERT INTO ticket.ticket_events (event_id, ticket_no, seq, type, actor, data, state, occurred_at, run_id, serial,
             generation)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$11,$12,$13)
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
          at?.runId ?? null,
          at?.serial ?? null,
          at?.generation ?? null,
        ],
      );
      await this.project(m, full);
      return full;
    };
    const out: AnyTicketEvent[] = [];
    for (const [i, event] of events.entries()) {
      const prior = rows.get(ids[i]);
      out.push(
        prior && !prior.voidedBy
          ? ({
              ...prior,
              version: TICKET_EVENT_VERSION,
              occurredAt: new Date(prior.occurredAt).toISOString(),
            } as AnyTicketEvent)
          : await write({ ...event, id: ids[i] }, place),
      );
    }
    if (correctionId) {
      const after = out[out.length - 1];
      // The correction names no place: it states a fact whatever becomes of this attempt.
      await write(
        {
          id: correctionId,
          type: 'ticket.record_corrected',
          ticketNo,
          occurredAt: after.occurredAt,
          actor: { kind: 'system' },
          data: { voided },
          state: after.state,
        },
        null,
      );
    }
    return { events: out, voided: voided.length };
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
          `INSERT INTO dispatch.assignments (ticket_no, unit_id, role, status, dispatched_at, sign_due_at,
             complete_due_at, return_window_ends_at)
           VALUES ($1,$2,$3,'dispatched',$4,$5,$6,$7)
           ON CONFLICT (ticket_no, unit_id) DO UPDATE SET role = $3, dispatched_at = $4, sign_due_at = $5,
             complete_due_at = $6, return_window_ends_at = $7, signed_at = NULL, replied_at = NULL`,
          [
            e.ticketNo,
            e.data.unitId,
            e.type === 'ticket.dispatched' ? 'lead' : 'assisting',
            e.occurredAt,
            e.data.signDueAt,
            e.type === 'ticket.dispatched' ? e.data.completeDueAt : null,
            e.type === 'ticket.dispatched' ? e.data.returnWindowEndsAt : null,
          ],
        );
        break;
      // The lead the centre designated may not return the ticket: no return window on its desk
      // (a new lead's ticket.dispatched, which follows, carries none either).
      case 'ticket.coordinated':
        await m.query(
          `UPDATE dispatch.assignments SET return_window_ends_at = NULL WHERE ticket_no = $1 AND unit_id = $2`,
          [e.ticketNo, e.data.unitId],
        );
        break;
      // The unit's reply deadline, wherever the workflow set it anew.
      case 'ticket.extension_decided':
      case 'ticket.reply_reviewed':
      case 'ticket.rectification_ordered':
        // A sub-unit passed the ticket without a time of its own answers by its hub's: the ones
        // whose deadline was the hub's until now follow it (the levels below too).
        if (e.data.completeDueAt !== null)
          await m.query(
            `WITH before AS (SELECT complete_due_at FROM dispatch.assignments WHERE ticket_no = $1 AND unit_id = $2)
             UPDATE dispatch.assignments a SET complete_due_at = $3
             WHERE a.ticket_no = $1 AND (a.unit_id = $2
               OR (a.role = 'sub' AND a.complete_due_at = (SELECT complete_due_at FROM before)))`,
            [e.ticketNo, e.data.unitId, e.data.completeDueAt],
          );
        break;
      case 'ticket.signed':
      case 'ticket.assistance_signed':
        await facts(`signed_at = $3`, e.data.unitId);
        break;
      // The hub passed it to its sub-unit: on the sub-unit's desk, to sign by the time the workflow
      // set (none on passes made before it set one), and to answer by the time the hub gave it, the
      // one the workflow reminds it of and marks it overdue against; without one, by the hub's own.
      case 'ticket.sub_dispatched':
        await m.query(
          `INSERT INTO dispatch.assignments (ticket_no, unit_id, role, status, dispatched_at, sign_due_at,
             complete_due_at)
           VALUES ($1, $2, 'sub', 'dispatched', $3, $5, COALESCE($6::timestamptz,
             (SELECT complete_due_at FROM dispatch.assignments WHERE ticket_no = $1 AND unit_id = $4)))
           ON CONFLICT (ticket_no, unit_id) DO UPDATE SET role = 'sub', dispatched_at = $3, sign_due_at = $5,
             complete_due_at = EXCLUDED.complete_due_at, signed_at = NULL, replied_at = NULL`,
          [
            e.ticketNo,
            e.data.subUnitId,
            e.occurredAt,
            e.data.unitId,
            e.data.signDueAt ?? null,
            e.data.dueAt ?? null,
          ],
        );
        break;
      case 'ticket.sub_signed':
        await facts(`signed_at = $3`, e.data.subUnitId);
        break;
      case 'ticket.sub_replied':
        await facts(`replied_at = $3`, e.data.subUnitId);
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
      case 'ticket.record_corrected':
        await this.undoVoided(m, e);
        break;
      default:
        break;
    }
    // The ticket's status, its assisting units and each unit's assignment, in one statement. The
    // assisting units are those asked for at intake until the workflow first places the ticket on
    // a desk; from then on, the ones the workflow holds (a lead named as assisting is not one, a
    // manual dispatch names its own).
    await m.query(
      `WITH a AS (
         UPDATE dispatch.assignments a SET status = s.status, role = s.role
         FROM unnest($5::text[], $6::text[], $7::text[]) AS s(unit_id, role, status)
         WHERE a.ticket_no = $1 AND a.unit_id = s.unit_id
       )
       UPDATE ticket.tickets SET status = $2, unit_id = $3, updated_at = $4,
         assisting_unit_ids = CASE WHEN cardinality($5::text[]) > 0 THEN $8::text[] ELSE assisting_unit_ids END,
         policy_code = coalesce($9, policy_code), policy_version = coalesce($10::int, policy_version)
       WHERE ticket_no = $1`,
      [
        e.ticketNo,
        e.state.status,
        e.state.unitId,
        e.occurredAt,
        e.state.assignments.map((x) => x.unitId),
        e.state.assignments.map((x) => x.role),
        e.state.assignments.map((x) => x.status),
        assistingOn(e.state),
        // The policy in force, as the workflow holds it (events recorded before it lack it).
        e.state.policy?.code ?? null,
        e.state.policy?.version ?? null,
      ],
    );
  }

  /**
   * Takes back what the voided events did to the desks and the callback queue; the statement after
   * it copies the corrected state as for every event. A unit the workflow never dispatched to loses
   * the assignment (it never had the ticket); the others' sign and reply times are those of the
   * record that stands; a callback task only a voided event opened goes, one a voided answer or
   * close closed opens again while the ticket still waits for its callback; the reply deadline is
   * the one the standing record last set.
   */
  private async undoVoided(m: EntityManager, e: TicketEvent<'ticket.record_corrected'>): Promise<void> {
    const standing = `e.ticket_no = $1 AND e.voided_by IS NULL`;
    await m.query(
      `DELETE FROM dispatch.assignments WHERE ticket_no = $1 AND NOT (unit_id = ANY($2::text[]))`,
      [e.ticketNo, e.state.assignments.map((a) => a.unitId)],
    );
    await m.query(
      `UPDATE dispatch.assignments a SET
         signed_at = (SELECT max(e.occurred_at) FROM ticket.ticket_events e WHERE ${standing}
           AND (e.type IN ('ticket.signed', 'ticket.assistance_signed') AND e.data->>'unitId' = a.unit_id
             OR e.type = 'ticket.sub_signed' AND e.data->>'subUnitId' = a.unit_id)
           AND e.occurred_at >= a.dispatched_at),
         replied_at = (SELECT max(e.occurred_at) FROM ticket.ticket_events e WHERE ${standing}
           AND (e.type = 'ticket.replied' AND e.data->>'unitId' = a.unit_id
             OR e.type = 'ticket.sub_replied' AND e.data->>'subUnitId' = a.unit_id)
           AND e.occurred_at >= a.dispatched_at),
         -- A sub-unit's is the time its pass gave it (or its hub's), copied when it was passed the ticket.
         complete_due_at = CASE WHEN a.role = 'sub' THEN a.complete_due_at ELSE (SELECT (e.data->>'completeDueAt')::timestamptz FROM ticket.ticket_events e
           WHERE ${standing} AND e.data->>'unitId' = a.unit_id AND e.occurred_at >= a.dispatched_at
             AND e.type IN ('ticket.dispatched', 'ticket.extension_decided', 'ticket.reply_reviewed',
                            'ticket.rectification_ordered')
             AND e.data->>'completeDueAt' IS NOT NULL
           ORDER BY e.seq DESC LIMIT 1) END
       WHERE a.ticket_no = $1`,
      [e.ticketNo],
    );
    const voided: { type: string; data: { mode?: string; round?: number }; occurred_at: string }[] =
      await m.query(`SELECT type, data, occurred_at FROM ticket.ticket_events WHERE voided_by = $1`, [e.id]);
    for (const v of voided) {
      if (v.type === 'ticket.callback_requested' && v.data.mode === 'manual')
        await m.query(
          `DELETE FROM evaluation.callback_tasks t WHERE t.ticket_no = $1 AND t.round = $2 AND t.status = 'open'
             AND NOT EXISTS (SELECT 1 FROM ticket.ticket_events e WHERE ${standing}
               AND e.type = 'ticket.callback_requested' AND e.data->>'mode' = 'manual' AND (e.data->>'round')::int = $2)`,
          [e.ticketNo, v.data.round],
        );
      if (
        (v.type === 'ticket.callback_answered' || v.type === 'ticket.closed') &&
        e.state.status === 'callback'
      )
        await m.query(
          `UPDATE evaluation.callback_tasks SET status = 'open', closed_at = NULL, closed_as = NULL
           WHERE ticket_no = $1 AND status = 'done' AND closed_at = $2`,
          [e.ticketNo, v.occurred_at],
        );
    }
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
         AND (data->>'round')::int = $2 AND voided_by IS NULL ORDER BY seq DESC LIMIT 1`,
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
   * A complaint about officials (of a complaint nature) is another matter than an ordinary appeal
   * of the same category, so only reports of the same nature count. A confidential report counts
   * only for the unit that has it (`unitId`, the one the reminder goes to): an integrity report
   * about a unit's staff never shows on that unit's desk as "reported before".
   */
  async earlierReports(
    ticketNo: string,
    unitId: string,
  ): Promise<{ createdAt: string; repliedAt: string | null; closed: boolean }[]> {
    return this.ds.query(
      `SELECT o.created_at AS "createdAt", o.status = 'closed' AS closed,
              (SELECT max(e.occurred_at) FROM ticket.ticket_events e
                WHERE e.ticket_no = o.ticket_no AND e.voided_by IS NULL AND e.type IN ('ticket.replied',
                  'ticket.answered_directly', 'ticket.three_way_call_held', 'ticket.transferred_to_special_line',
                  'ticket.special_window_linked')) AS "repliedAt"
       FROM ticket.tickets t JOIN ticket.tickets o
         ON o.complainant_phone_index = t.complainant_phone_index AND o.category = t.category
        AND o.region_code = t.region_code AND o.ticket_no <> t.ticket_no
        AND o.created_at < t.created_at AND o.created_at >= t.created_at - interval '90 days'
        AND o.complaint_nature IS NOT DISTINCT FROM t.complaint_nature
        AND (NOT o.confidential OR o.unit_id = $2)
       WHERE t.ticket_no = $1 AND t.complainant_phone_index IS NOT NULL
       ORDER BY o.created_at DESC LIMIT 50`,
      [ticketNo, unitId],
    );
  }

  /**
   * The ticket's events that stand (none voided), up to `uptoSeq`, as published: for a projection
   * that builds its row again after a correction of the record.
   */
  async standingEvents(ticketNo: string, uptoSeq: number, m?: EntityManager): Promise<AnyTicketEvent[]> {
    return this.asPublished(
      await (m ?? this.ds).query(
        `SELECT event_id AS id, type, ticket_no AS "ticketNo", seq, actor, data, state, occurred_at AS "occurredAt"
         FROM ticket.ticket_events WHERE ticket_no = $1 AND seq <= $2 AND voided_by IS NULL ORDER BY seq`,
        [ticketNo, uptoSeq],
      ),
    );
  }

  /** The ticket's events of these ids, voided ones included, as they were published. */
  async eventsByIds(ticketNo: string, eventIds: string[], m?: EntityManager): Promise<AnyTicketEvent[]> {
    return this.asPublished(
      await (m ?? this.ds).query(
        `SELECT event_id AS id, type, ticket_no AS "ticketNo", seq, actor, data, state, occurred_at AS "occurredAt"
         FROM ticket.ticket_events WHERE ticket_no = $1 AND event_id = ANY($2::uuid[]) ORDER BY seq`,
        [ticketNo, eventIds],
      ),
    );
  }

  private asPublished(rows: (AnyTicketEvent & { occurredAt: Date | string })[]): AnyTicketEvent[] {
    return rows.map(
      (r) =>
        ({
          ...r,
          version: TICKET_EVENT_VERSION,
          occurredAt: new Date(r.occurredAt).toISOString(),
        }) as AnyTicketEvent,
    );
  }

  async history(ticketNo: string): Promise<TicketEventRow[]> {
    return this.ds.query(
      `SELECT event_id AS "eventId", seq, type, actor, data, state, occurred_at AS "occurredAt"
       FROM ticket.ticket_events WHERE ticket_no = $1 AND voided_by IS NULL ORDER BY seq`,
      [ticketNo],
    );
  }

  async list(
    filter: LedgerFilter & { limit: number; offset: number },
  ): Promise<{ items: TicketRow[]; total: number }> {
    const params: unknown[] = [];
    const where = this.ledgerConditions(filter, params);
    const { items, total } = await queryPage<TicketRow>(
      this.ds,
      {
        select: TICKET_COLUMNS,
        from: `FROM ticket.tickets ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`,
        orderBy: 'created_at DESC, ticket_no DESC',
      },
      params,
      filter,
    );
    return { items: items.map((r) => this.open(r)), total };
  }

  /** The numbers of the tickets the filter matches, the latest first, at most `max` of them. */
  async matchingTicketNos(filter: LedgerFilter, max: number): Promise<string[]> {
    const params: unknown[] = [];
    const where = this.ledgerConditions(filter, params);
    const rows: { ticket_no: string }[] = await this.ds.query(
      `SELECT ticket_no FROM ticket.tickets ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY created_at DESC, ticket_no DESC LIMIT $${params.push(max)}`,
      params,
    );
    return rows.map((r) => r.ticket_no);
  }

  private ledgerConditions(filter: LedgerFilter, params: unknown[]): string[] {
    const where: string[] = [];
    for (const [field, column] of [
      ['status', 'status'],
      ['unitId', 'unit_id'],
      ['channel', 'channel'],
      ['kind', 'kind'],
      ['category', 'category'],
      ['regionCode', 'region_code'],
      ['complaintNature', 'complaint_nature'],
      ['channelDetail', 'channel_detail'],
    ] as const) {
      const value = filter[field];
      if (value !== undefined) where.push(`${column} = $${params.push(value)}`);
    }
    // Days in China time, both ends included.
    if (filter.createdFrom)
      where.push(
        `created_at >= ($${params.push(filter.createdFrom)}::date)::timestamp AT TIME ZONE 'Asia/Shanghai'`,
      );
    if (filter.createdTo)
      where.push(
        `created_at < ($${params.push(filter.createdTo)}::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'`,
      );
    if (filter.realName !== undefined)
      where.push(`(complainant_name IS NOT NULL) = $${params.push(filter.realName)}`);
    if (filter.complainantPhone !== undefined)
      where.push(
        `complainant_phone_index = $${params.push(this.cipher('search').phoneIndex(filter.complainantPhone))}`,
      );
    const text = ticketTextCondition('ticket_no', filter, params);
    if (text) where.push(text);
    return where;
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
