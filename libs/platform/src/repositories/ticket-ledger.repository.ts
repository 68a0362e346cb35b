import type { DataSource, EntityManager } from 'typeorm';
import {
  parseTicketEvent,
  STATUS_AFTER,
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
  TicketStatus,
} from '@hotline/shared';
import { randomUUID } from 'node:crypto';

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
}

const TICKET_COLUMNS = `
  ticket_no AS "ticketNo", channel, kind, category, region_code AS "regionCode", title, content, address,
  complainant_name AS "complainantName", complainant_phone AS "complainantPhone", confidential,
  respondent, demand, status, unit_id AS "unitId", created_by AS "createdBy",
  workflow_started_at AS "workflowStartedAt", created_at AS "createdAt", updated_at AS "updatedAt",
  policy, disposition, assisting_unit_ids AS "assistingUnitIds"`;

/**
 * The ledger (台账): tickets, their full history and the outbox rows that carry each event to
 * Kafka. Every write here happens in one transaction with its outbox row: an event is recorded
 * and published, or neither.
 */
export class TicketLedgerRepository {
  constructor(
    private readonly ds: DataSource,
    private readonly kafkaPrefix: string,
  ) {}

  /** Creates a ticket with its `ticket.created` event. With a request key, a repeat returns the first. */
  async create(
    input: NewTicket,
    actor: Actor & { userId: string },
    requestKey: string | null,
    now = new Date(),
  ): Promise<{ ticketNo: string; created: boolean }> {
    return this.ds.transaction(async (m) => {
      if (requestKey) {
        const prior = await m.query(`SELECT ticket_no FROM ticket.tickets WHERE request_key = $1`, [
          requestKey,
        ]);
        if (prior.length > 0) return { ticketNo: prior[0].ticket_no as string, created: false };
      }
      const dayKey = chinaDayKey(now);
      // Gapless: the counter row is locked until commit, and a rollback gives the number back.
      const [{ value }] = await m.query(
        `INSERT INTO ticket.counters (scope, value) VALUES ($1, 1)
         ON CONFLICT (scope) DO UPDATE SET value = ticket.counters.value + 1 RETURNING value`,
        [`ticket:${dayKey}`],
      );
      const ticketNo = formatTicketNo(dayKey, Number(value));
      await m.query(
        `INSERT INTO ticket.tickets (ticket_no, channel, kind, category, region_code, title, content, address,
           complainant_name, complainant_phone, confidential, respondent, demand, status, created_by,
           request_key, created_at, updated_at, policy_code, policy_version, policy, disposition, assisting_unit_ids)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,'created',$14,$15,$16,$16,$17,$18,$19,$20,$21)`,
        [
          ticketNo,
          input.channel,
          input.kind,
          input.category,
          input.regionCode,
          input.title,
          input.content,
          input.address,
          input.complainantName,
          input.complainantPhone,
          input.confidential,
          input.respondent,
          input.demand,
          actor.userId,
          requestKey,
          now,
          input.policy?.code ?? null,
          input.policy?.version ?? null,
          input.policy ? JSON.stringify(input.policy) : null,
          JSON.stringify(input.disposition ?? { type: 'dispatch' }),
          input.assistingUnitIds ?? [],
        ],
      );
      await this.appendIn(m, {
        id: randomUUID(),
        type: 'ticket.created',
        ticketNo,
        occurredAt: now.toISOString(),
        actor,
        data: {
          channel: input.channel,
          kind: input.kind,
          category: input.category,
          regionCode: input.regionCode,
          title: input.title,
          confidential: input.confidential,
        },
      });
      return { ticketNo, created: true };
    });
  }

  /** Records an event (idempotent on its id) and projects it onto the ticket and its assignment. */
  async append(event: PendingEvent): Promise<AnyTicketEvent> {
    return this.ds.transaction((m) => this.appendIn(m, event));
  }

  async appendIn(m: EntityManager, event: PendingEvent): Promise<AnyTicketEvent> {
    const locked = await m.query(`SELECT status FROM ticket.tickets WHERE ticket_no = $1 FOR UPDATE`, [
      event.ticketNo,
    ]);
    if (locked.length === 0) throw new Error(`ticket ${event.ticketNo} does not exist`);
    // A retried write (an activity that ran twice) returns what was recorded the first time.
    const existing = await m.query(
      `SELECT event_id AS id, type, ticket_no AS "ticketNo", seq, actor, data, occurred_at AS "occurredAt"
       FROM ticket.ticket_events WHERE event_id = $1`,
      [event.id],
    );
    if (existing.length > 0) {
      const e = existing[0];
      return { ...e, version: 1, occurredAt: new Date(e.occurredAt).toISOString() } as AnyTicketEvent;
    }
    const [{ next }] = await m.query(
      `SELECT coalesce(max(seq), 0) + 1 AS next FROM ticket.ticket_events WHERE ticket_no = $1`,
      [event.ticketNo],
    );
    // Only events that match their published schema are recorded and sent: consumers rely on it.
    const full = parseTicketEvent({ ...event, version: 1, seq: Number(next) });
    await m.query(
      `INSERT INTO ticket.ticket_events (event_id, ticket_no, seq, type, actor, data, occurred_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7)`,
      [full.id, full.ticketNo, full.seq, full.type, full.actor, full.data, full.occurredAt],
    );
    await this.project(m, full);
    await m.query(
      `INSERT INTO platform.outbox (topic, message_key, event_id, payload) VALUES ($1,$2,$3,$4)`,
      [topicName({ kafkaPrefix: this.kafkaPrefix }, TICKET_EVENTS_TOPIC), full.ticketNo, full.id, full],
    );
    return full;
  }

  /**
   * The ledger's current state follows from the event: the ticket's status (STATUS_AFTER) and the
   * unit's assignment, which decides what the unit sees on its desk.
   */
  private async project(m: EntityManager, e: AnyTicketEvent): Promise<void> {
    const status = STATUS_AFTER[e.type];
    if (status !== null)
      await m.query(`UPDATE ticket.tickets SET status = $2, updated_at = $3 WHERE ticket_no = $1`, [
        e.ticketNo,
        status,
        e.occurredAt,
      ]);
    const assignment = (sql: string, params: unknown[]) =>
      m.query(`UPDATE dispatch.assignments SET ${sql} WHERE ticket_no = $1 AND unit_id = $2`, [
        e.ticketNo,
        ...params,
      ]);
    switch (e.type) {
      case 'ticket.dispatched':
        await m.query(`UPDATE ticket.tickets SET unit_id = $2 WHERE ticket_no = $1`, [
          e.ticketNo,
          e.data.unitId,
        ]);
        // A re-dispatch takes the ticket off the previous lead unit's desk.
        await m.query(
          `UPDATE dispatch.assignments SET status = 'withdrawn'
           WHERE ticket_no = $1 AND unit_id <> $2 AND role = 'lead' AND status <> 'closed'`,
          [e.ticketNo, e.data.unitId],
        );
        await m.query(
          `INSERT INTO dispatch.assignments (ticket_no, unit_id, role, status, dispatched_at, sign_due_at)
           VALUES ($1,$2,'lead','dispatched',$3,$4)
           ON CONFLICT (ticket_no, unit_id) DO UPDATE SET status = 'dispatched', dispatched_at = $3, sign_due_at = $4,
             signed_at = NULL, replied_at = NULL`,
          [e.ticketNo, e.data.unitId, e.occurredAt, e.data.signDueAt],
        );
        return;
      case 'ticket.signed':
        await assignment(`status = 'signed', signed_at = $3`, [e.data.unitId, e.occurredAt]);
        return;
      case 'ticket.assistance_dispatched':
        await m.query(
          `INSERT INTO dispatch.assignments (ticket_no, unit_id, role, status, dispatched_at, sign_due_at)
           VALUES ($1,$2,'assisting','dispatched',$3,$4)
           ON CONFLICT (ticket_no, unit_id) DO UPDATE SET role = 'assisting', status = 'dispatched', dispatched_at = $3,
             sign_due_at = $4, signed_at = NULL`,
          [e.ticketNo, e.data.unitId, e.occurredAt, e.data.signDueAt],
        );
        return;
      case 'ticket.assistance_signed':
        await assignment(`status = 'signed', signed_at = $3`, [e.data.unitId, e.occurredAt]);
        return;
      case 'ticket.returned':
        await assignment(`status = 'returned'`, [e.data.unitId]);
        return;
      case 'ticket.return_decided':
        if (!e.data.approved)
          await assignment(`status = CASE WHEN signed_at IS NULL THEN 'dispatched' ELSE 'signed' END`, [
            e.data.unitId,
          ]);
        return;
      case 'ticket.replied':
        await assignment(`status = 'replied', replied_at = $3`, [e.data.unitId, e.occurredAt]);
        return;
      case 'ticket.reply_reviewed':
        if (!e.data.approved) await assignment(`status = 'signed'`, [e.data.unitId]);
        return;
      case 'ticket.rectification_ordered':
        await assignment(`status = 'rectifying'`, [e.data.unitId]);
        return;
      case 'ticket.closed':
        await m.query(
          `UPDATE dispatch.assignments SET status = 'closed' WHERE ticket_no = $1 AND status <> 'withdrawn'`,
          [e.ticketNo],
        );
        return;
      default:
        return;
    }
  }

  async find(ticketNo: string): Promise<TicketRow | null> {
    const rows = await this.ds.query(`SELECT ${TICKET_COLUMNS} FROM ticket.tickets WHERE ticket_no = $1`, [
      ticketNo,
    ]);
    return rows[0] ?? null;
  }

  async history(ticketNo: string): Promise<TicketEventRow[]> {
    return this.ds.query(
      `SELECT event_id AS "eventId", seq, type, actor, data, occurred_at AS "occurredAt"
       FROM ticket.ticket_events WHERE ticket_no = $1 ORDER BY seq`,
      [ticketNo],
    );
  }

  async list(filter: {
    status?: TicketStatus;
    unitId?: string;
    limit: number;
    offset: number;
  }): Promise<{ items: TicketRow[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.status) where.push(`status = $${params.push(filter.status)}`);
    if (filter.unitId) where.push(`unit_id = $${params.push(filter.unitId)}`);
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
    return { items, total };
  }

  async markWorkflowStarted(ticketNo: string): Promise<void> {
    await this.ds.query(
      `UPDATE ticket.tickets SET workflow_started_at = now() WHERE ticket_no = $1 AND workflow_started_at IS NULL`,
      [ticketNo],
    );
  }

  /** Tickets whose workflow start did not go through (Temporal was down): the starter retries them. */
  async withoutWorkflow(olderThanSeconds: number, limit: number): Promise<TicketRow[]> {
    return this.ds.query(
      `SELECT ${TICKET_COLUMNS} FROM ticket.tickets
       WHERE workflow_started_at IS NULL AND created_at < now() - make_interval(secs => $1)
       ORDER BY created_at LIMIT $2`,
      [olderThanSeconds, limit],
    );
  }
}
