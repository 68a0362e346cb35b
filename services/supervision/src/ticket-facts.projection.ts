import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Kafka } from 'kafkajs';
import { CONFIG, KAFKA, TicketEventProjection } from '@hotline/platform';
import type { AnyTicketEvent, PlatformConfig } from '@hotline/shared';

/** Supervision's own facts per ticket, built from the events: what it supervises and scores. */
@Injectable()
export class TicketFactsProjection extends TicketEventProjection {
  protected readonly consumerName = 'supervision.ticket-facts';

  constructor(ds: DataSource, @Inject(KAFKA) kafka: Kafka, @Inject(CONFIG) config: PlatformConfig) {
    super(ds, kafka, config);
  }

  protected async apply(e: AnyTicketEvent, m: EntityManager): Promise<void> {
    await m.query(
      `INSERT INTO supervision.ticket_facts (ticket_no, status, last_seq) VALUES ($1, 'created', 0)
       ON CONFLICT (ticket_no) DO NOTHING`,
      [e.ticketNo],
    );
    const set = (sql: string, params: unknown[]) =>
      m.query(
        `UPDATE supervision.ticket_facts SET ${sql}, last_seq = greatest(last_seq, $2) WHERE ticket_no = $1`,
        [e.ticketNo, e.seq, ...params],
      );
    // The status is the workflow's, copied from the event; the counts and times are supervision's own facts.
    await set(`status = CASE WHEN $2::int >= last_seq THEN $3 ELSE status END`, [e.state.status]);
    switch (e.type) {
      case 'ticket.created':
        return void (await set(`category = $3, region_code = $4, created_at = $5`, [
          e.data.category,
          e.data.regionCode,
          e.occurredAt,
        ]));
      case 'ticket.dispatched':
        return void (await set(
          `unit_id = $3, dispatched_at = $4, sign_due_at = $5, complete_due_at = $6,
           signed_at = NULL, signed_late = false`,
          [e.data.unitId, e.occurredAt, e.data.signDueAt, e.data.completeDueAt],
        ));
      case 'ticket.signed':
        return void (await set(`signed_at = $3, signed_late = $4`, [e.occurredAt, e.data.late]));
      case 'ticket.returned':
        return void (await set(`return_count = return_count + 1`, []));
      case 'ticket.extension_decided':
        return void (await set(
          `complete_due_at = $3, extension_count = extension_count + CASE WHEN $4 THEN 1 ELSE 0 END`,
          [e.data.completeDueAt, e.data.approved],
        ));
      case 'ticket.replied':
        return void (await set(`replied_at = $3`, [e.occurredAt]));
      case 'ticket.reply_rejected':
        return void (await set(`rejected_reply_count = rejected_reply_count + 1`, []));
      case 'ticket.reminded':
        return void (await set(`reminder_count = reminder_count + 1`, []));
      case 'ticket.overdue':
        // No deadline is missed silently: every overdue event is counted against the unit.
        return void (await set(`overdue_count = overdue_count + 1`, []));
      case 'ticket.rectification_ordered':
        return void (await set(`complete_due_at = $3`, [e.data.completeDueAt]));
      case 'ticket.closed':
        return void (await set(`closed_at = $3, outcome = $4`, [e.occurredAt, e.data.outcome]));
      default:
        return;
    }
  }
}
