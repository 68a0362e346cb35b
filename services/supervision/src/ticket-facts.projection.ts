import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Kafka } from 'kafkajs';
import {
  CONFIG,
  KAFKA,
  SupervisionOrderRepository,
  TicketEventProjection,
  TicketLedgerRepository,
} from '@hotline/platform';
import { isUnitDeadline, orderFor, repeatCount, trackedPlanDay } from '@hotline/shared';
import type { AfterCommit } from '@hotline/platform';
import type { AnyTicketEvent, PlatformConfig, TriggerContext } from '@hotline/shared';
import { InstructionsService } from './instructions/instructions.service';
import { LEAD_WITHDRAWN_REASON, OrdersService, UNIT_WITHDRAWN_REASON } from './orders/orders.service';
import { PlansService } from './plans/plans.service';

/** Supervision's own facts per ticket, built from the events: what it supervises and scores. */
@Injectable()
export class TicketFactsProjection extends TicketEventProjection {
  protected readonly consumerName = 'supervision.ticket-facts';

  constructor(
    ds: DataSource,
    @Inject(KAFKA) kafka: Kafka,
    @Inject(CONFIG) config: PlatformConfig,
    private readonly orders: OrdersService,
    private readonly ledger: TicketLedgerRepository,
    private readonly orderRows: SupervisionOrderRepository,
    private readonly plans: PlansService,
    private readonly instructions: InstructionsService,
  ) {
    super(ds, kafka, config);
  }

  protected async apply(e: AnyTicketEvent, m: EntityManager, afterCommit: AfterCommit): Promise<void> {
    // An event older than the last the facts took (a copy re-sent under another id) changes
    // nothing: copied, it would put back what a later event changed (a dispatch clearing a
    // signature) and count again what was counted.
    const formerLead = e.type === 'ticket.dispatched' ? await this.leadOf(e.ticketNo, m) : null;
    if (!(await this.copy(e, m))) return;
    // The ticket went to another unit (an approved return, the centre's coordination): the open
    // orders asking a unit it was taken from to act on it are withdrawn, once this commits; so are
    // those the former lead had as lead when the centre named it to assist the new one.
    if (e.type === 'ticket.dispatched') {
      const gone = e.state.assignments.filter((a) => a.status === 'withdrawn').map((a) => a.unitId);
      const assisting =
        formerLead && formerLead !== e.data.unitId && !gone.includes(formerLead) ? [formerLead] : [];
      const moot = [
        ...(await this.orderRows.unitsWithdrawn(e.ticketNo, gone, UNIT_WITHDRAWN_REASON, m)).map((id) => ({
          id,
          reason: UNIT_WITHDRAWN_REASON,
        })),
        ...(await this.orderRows.unitsWithdrawn(e.ticketNo, assisting, LEAD_WITHDRAWN_REASON, m)).map(
          (id) => ({
            id,
            reason: LEAD_WITHDRAWN_REASON,
          }),
        ),
      ];
      if (moot.length > 0) afterCommit(() => this.orders.withdrawMarked(moot));
      // The leader's instructions on it go with the ticket to its new lead.
      await this.instructions.followLead(e.ticketNo, e.data.unitId, e.id, m);
    }
    await this.trigger(e, m);
    // A ticket closed on an accepted plan: the centre tracks the plan to the end (RULES §3).
    if (e.type === 'ticket.closed') await this.plans.trackOnClose(e.ticketNo, m);
    if (e.type === 'ticket.record_corrected') {
      // A plan tracked on a voided close is withdrawn; the close that stands tracks its own.
      if (e.data.voided.some((v) => v.type === 'ticket.closed'))
        await this.plans.retrackOnCorrection(e.ticketNo, m);
      // An open order a voided event raised is withdrawn, once this commits (a sweep retries it).
      const raised = await this.orderRows.sourceVoided(
        e.ticketNo,
        e.data.voided.map((v) => v.eventId),
        m,
      );
      if (raised.length > 0) afterCommit(() => this.orders.withdrawForVoidedSource(raised));
      // An instruction a voided dispatch took to another unit goes back to the lead that stands.
      const lead = await this.leadOf(e.ticketNo, m);
      if (lead) await this.instructions.followLead(e.ticketNo, lead, e.id, m);
    }
  }

  /** The lead unit the facts hold for the ticket (before the event at hand is copied), or null. */
  private async leadOf(ticketNo: string, m: EntityManager): Promise<string | null> {
    const [f] = await m.query(`SELECT unit_id FROM supervision.ticket_facts WHERE ticket_no = $1`, [
      ticketNo,
    ]);
    return f?.unit_id ?? null;
  }

  /**
   * The automatic triggers of RULES §6 (libs/shared/src/supervision/orders.ts), read from the
   * facts just updated in the same transaction; an order's id comes from the event that raised it,
   * so a redelivered event raises nothing more.
   */
  private async trigger(e: AnyTicketEvent, m: EntityManager): Promise<void> {
    let event: TriggerContext['event'];
    switch (e.type) {
      case 'ticket.overdue':
        event = { type: e.type, deadline: e.data.deadline, unitId: e.data.unitId };
        break;
      case 'ticket.returned':
        event = { type: e.type, unitId: e.data.unitId };
        break;
      case 'ticket.return_decided':
        event = {
          type: e.type,
          unitId: e.data.unitId,
          approved: e.data.approved,
          signed: e.state.assignments.some(
            (a) => a.unitId === e.data.unitId && a.role === 'lead' && a.status !== 'dispatched',
          ),
        };
        break;
      case 'ticket.rectification_ordered':
        event = { type: e.type, unitId: e.data.unitId };
        break;
      case 'ticket.dispatched':
        event = { type: e.type, unitId: e.data.unitId };
        break;
      case 'ticket.sub_declined':
        event = { type: e.type, unitId: e.data.unitId, declines: e.data.declines };
        break;
      case 'ticket.coordinated':
        event = {
          type: e.type,
          unitId: e.data.unitId,
          level: e.data.level ?? 'centre',
          // The assisting units the ticket has now, those named before included.
          assisting: e.state.assignments.filter((a) => a.role === 'assisting' && a.status !== 'withdrawn')
            .length,
          confirmed: e.data.fromUnitId === e.data.unitId,
          signed: e.state.assignments.some(
            (a) => a.unitId === e.data.unitId && a.role === 'lead' && a.status !== 'dispatched',
          ),
        };
        break;
      default:
        return;
    }
    const [f] = await m.query(
      `SELECT extension_count AS "extensionCount", return_count AS "returnCount", rectifying
       FROM supervision.ticket_facts WHERE ticket_no = $1`,
      [e.ticketNo],
    );
    const repeats =
      e.type === 'ticket.dispatched'
        ? repeatCount(
            Date.parse(e.occurredAt),
            (await this.ledger.earlierReports(e.ticketNo, e.data.unitId)).map((r) => ({
              createdAt: Date.parse(r.createdAt),
              repliedAt: r.repliedAt ? Date.parse(r.repliedAt) : null,
              resolved: r.closed,
            })),
          )
        : 1;
    const order = orderFor({ event, ...f, repeatCount: repeats });
    if (!order) return;
    // One order per ticket for a standing condition; one per event for a fresh fact. A standing
    // condition's order is named by the event that raised it too: should that event be voided and
    // its order withdrawn, a real event meeting the condition later raises a new one.
    const perTicket = order.trigger === 'repeated_complaint' || order.trigger === 'buck_passing';
    const sourceKey = `${order.trigger}:${perTicket ? e.ticketNo : e.id}`;
    if (perTicket && (await this.orderRows.sourceKeyTaken(sourceKey, m))) return;
    await this.orders.raise(
      {
        ...order,
        id: SupervisionOrderRepository.idFor(perTicket ? `${sourceKey}:${e.id}` : sourceKey),
        sourceKey,
        sourceEventId: e.id,
        ticketNo: e.ticketNo,
        by: { kind: 'system' },
      },
      m,
    );
  }

  /**
   * The status is the workflow's, copied from the event; the counts and times are supervision's own
   * facts. One statement for the row and its status (it runs for every event of every ticket),
   * answering whether the event is newer than the last the facts took: the ledger numbers a
   * ticket's events in order, and an event of a seq already passed is a copy.
   */
  private async copyStatus(e: AnyTicketEvent, m: EntityManager): Promise<boolean> {
    const taken: unknown[] = await m.query(
      `INSERT INTO supervision.ticket_facts AS f (ticket_no, status, last_seq) VALUES ($1, $3, $2)
       ON CONFLICT (ticket_no) DO UPDATE SET status = $3, last_seq = $2 WHERE $2::int > f.last_seq
       RETURNING 1`,
      [e.ticketNo, e.seq, e.state.status],
    );
    return taken.length > 0;
  }

  /** Copies what the event says into the facts; false when it is older than the facts (nothing done). */
  private async copy(e: AnyTicketEvent, m: EntityManager): Promise<boolean> {
    if (!(await this.copyStatus(e, m)) && e.type !== 'ticket.record_corrected') return false;
    await this.copyFacts(e, m);
    return true;
  }

  private async copyFacts(e: AnyTicketEvent, m: EntityManager): Promise<void> {
    const set = (sql: string, params: unknown[]) =>
      m.query(
        `UPDATE supervision.ticket_facts SET ${sql}, last_seq = greatest(last_seq, $2) WHERE ticket_no = $1`,
        [e.ticketNo, e.seq, ...params],
      );
    switch (e.type) {
      case 'ticket.created':
        return void (await set(
          `category = $3, region_code = $4, created_at = $5, title = $6, kind = $7, channel = $8`,
          [e.data.category, e.data.regionCode, e.occurredAt, e.data.title, e.data.kind, e.data.channel],
        ));
      case 'ticket.dispatched':
        return void (await set(
          `unit_id = $3, dispatched_at = $4, sign_due_at = $5, complete_due_at = $6,
           signed_at = NULL, signed_late = false`,
          [e.data.unitId, e.occurredAt, e.data.signDueAt, e.data.completeDueAt],
        ));
      case 'ticket.signed':
        await this.lateSign(e, e.data.late, e.data.unitId, 'lead', m);
        return void (await set(`signed_at = $3, signed_late = $4`, [e.occurredAt, e.data.late]));
      case 'ticket.assistance_signed':
        return this.lateSign(e, e.data.late, e.data.unitId, 'assisting', m);
      case 'ticket.sub_signed':
        return this.lateSign(e, e.data.late === true, e.data.subUnitId, 'sub', m);
      case 'ticket.returned':
        return void (await set(`return_count = return_count + 1`, []));
      case 'ticket.coordinated':
        // Counted for the ticket, the unit it was taken from and the designated lead.
        return void (await m.query(
          `INSERT INTO supervision.coordinations (event_id, ticket_no, from_unit_id, unit_id, level, coordinated_at)
           VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (event_id) DO NOTHING`,
          [e.id, e.ticketNo, e.data.fromUnitId, e.data.unitId, e.data.level ?? 'centre', e.occurredAt],
        ));
      case 'ticket.return_decided':
        // A refused return: the case is the unit's and it refused to sign it (PA: −0.5 each).
        return void (await set(`refused_returns = refused_returns + CASE WHEN $3 THEN 0 ELSE 1 END`, [
          e.data.approved,
        ]));
      case 'ticket.extension_decided':
        return void (await set(
          `complete_due_at = $3, extension_count = extension_count + CASE WHEN $4 THEN 1 ELSE 0 END`,
          [e.data.completeDueAt, e.data.approved],
        ));
      case 'ticket.replied':
        // The plan of the last reply (a later reply replaces it): tracked once the ticket closes.
        return void (await set(`replied_at = $3, planned_completion_date = $4`, [
          e.occurredAt,
          trackedPlanDay(e.data),
        ]));
      case 'ticket.reply_rejected':
        return void (await set(`rejected_reply_count = rejected_reply_count + 1`, []));
      case 'ticket.reply_reviewed':
        // Sent back to the unit: its reply deadline, as the workflow set it anew (the ledger's too).
        if (e.data.completeDueAt === null) return;
        return void (await set(`complete_due_at = $3`, [e.data.completeDueAt]));
      case 'ticket.reminded':
        return void (await set(`reminder_count = reminder_count + 1`, []));
      case 'ticket.overdue':
        // A sign deadline missed is a late sign of that unit's, counted when it passes (PA −0.5).
        if (e.data.deadline === 'sign' && e.data.unitId) await this.missedSign(e, e.data.unitId, m);
        // A unit's own deadline (sign, reply) missed: counted against the unit it names.
        if (isUnitDeadline(e.data.deadline) && e.data.unitId)
          await m.query(
            `INSERT INTO supervision.missed_deadlines (event_id, ticket_no, unit_id, deadline, due_at, missed_at)
             VALUES ($1,$2,$3,$4,$5,$6) ON CONFLICT (event_id) DO NOTHING`,
            [e.id, e.ticketNo, e.data.unitId, e.data.deadline, e.data.dueAt, e.occurredAt],
          );
        // No deadline is missed silently: every overdue event is counted against the unit.
        // A missed reply deadline (`complete`) is an overdue reply: no approved extension covered it.
        return void (await set(
          `overdue_count = overdue_count + 1,
           reply_overdue_at = CASE WHEN $3 = 'complete' THEN coalesce(reply_overdue_at, $4::timestamptz) ELSE reply_overdue_at END`,
          [e.data.deadline, e.occurredAt],
        ));
      case 'ticket.rectification_ordered':
        return void (await set(`complete_due_at = $3, rectifying = true`, [e.data.completeDueAt]));
      case 'ticket.callback_answered':
        // Asked on the call whether the problem was actually solved: the latest answer stands.
        if (e.data.resolved === undefined) return;
        return void (await set(`resolved = $3`, [e.data.resolved]));
      case 'ticket.closed':
        return void (await set(`closed_at = $3, outcome = $4`, [e.occurredAt, e.data.outcome]));
      case 'ticket.record_corrected':
        return this.rebuild(e, m);
      default:
        return;
    }
  }

  /** A late signature, counted against the unit that signed (PA: −0.5 each); once per event. */
  private async lateSign(
    e: AnyTicketEvent,
    late: boolean,
    unitId: string,
    role: 'lead' | 'assisting' | 'sub',
    m: EntityManager,
  ): Promise<void> {
    if (!late) return;
    // Not again when the missed deadline was counted already (the overdue came before the signature).
    await m.query(
      `INSERT INTO supervision.late_signs (event_id, ticket_no, unit_id, role, signed_at)
       SELECT $1, $2, $3, $4, $5
       WHERE NOT EXISTS (SELECT 1 FROM supervision.late_signs
                         WHERE missed AND ticket_no = $2 AND unit_id = $3 AND role = $4 AND signed_at <= $5)
       ON CONFLICT (event_id) DO NOTHING`,
      [e.id, e.ticketNo, unitId, role, e.occurredAt],
    );
  }

  /** The unit's sign deadline passed without its signature: counted as its late sign, once. */
  private async missedSign(e: AnyTicketEvent, unitId: string, m: EntityManager): Promise<void> {
    const role = e.state.assignments.find((a) => a.unitId === unitId)?.role ?? 'lead';
    await m.query(
      `INSERT INTO supervision.late_signs (event_id, ticket_no, unit_id, role, signed_at, missed)
       VALUES ($1, $2, $3, $4, $5, true) ON CONFLICT (event_id) DO NOTHING`,
      [e.id, e.ticketNo, unitId, role, e.occurredAt],
    );
  }

  /**
   * The record was corrected (a lost attempt's events voided): the ticket's facts are built again
   * from the events that stand, up to the correction, as they were first built from each.
   */
  private async rebuild(e: AnyTicketEvent, m: EntityManager): Promise<void> {
    const standing = await this.ledger.standingEvents(e.ticketNo, e.seq, m);
    await m.query(`DELETE FROM supervision.ticket_facts WHERE ticket_no = $1`, [e.ticketNo]);
    await m.query(`DELETE FROM supervision.late_signs WHERE ticket_no = $1`, [e.ticketNo]);
    await m.query(`DELETE FROM supervision.missed_deadlines WHERE ticket_no = $1`, [e.ticketNo]);
    await m.query(`DELETE FROM supervision.coordinations WHERE ticket_no = $1`, [e.ticketNo]);
    for (const x of standing) if (x.type !== 'ticket.record_corrected') await this.copy(x, m);
    await this.copyStatus(e, m);
  }
}
