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
    switch (e.type) {
      case 'ticket.created':
        return void (await set(`category = $3, region_code = $4, created_at = $5`, [
          e.data.category,
          e.data.regionCode,
          e.occurredAt,
        ]));
      case 'ticket.dispatched':
        return void (await set(`status = 'dispatched', unit_id = $3, dispatched_at = $4, sign_due_at = $5`, [
          e.data.unitId,
          e.occurredAt,
          e.data.signDueAt,
        ]));
      case 'ticket.signed':
        return void (await set(
          `status = 'signed', signed_at = $3, signed_late = (sign_due_at IS NOT NULL AND $3::timestamptz > sign_due_at)`,
          [e.occurredAt],
        ));
      case 'ticket.replied':
        return void (await set(`status = 'replied', replied_at = $3`, [e.occurredAt]));
      case 'ticket.closed':
        return void (await set(`status = 'closed', closed_at = $3`, [e.occurredAt]));
    }
  }
}
