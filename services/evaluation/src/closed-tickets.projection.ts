import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Kafka } from 'kafkajs';
import { CONFIG, KAFKA, TicketEventProjection } from '@hotline/platform';
import type { AnyTicketEvent, PlatformConfig } from '@hotline/shared';

/** Closed tickets wait here for the callback and, when unsatisfied, expert evaluation. */
@Injectable()
export class ClosedTicketsProjection extends TicketEventProjection {
  protected readonly consumerName = 'evaluation.closed-tickets';
  protected override readonly eventTypes = ['ticket.evaluation_requested', 'ticket.closed'] as const;

  constructor(ds: DataSource, @Inject(KAFKA) kafka: Kafka, @Inject(CONFIG) config: PlatformConfig) {
    super(ds, kafka, config);
  }

  protected async apply(e: AnyTicketEvent, m: EntityManager): Promise<void> {
    if (e.type === 'ticket.evaluation_requested') {
      // Unsatisfied after callback and rectification: the case goes to the expert evaluators.
      await m.query(
        `INSERT INTO evaluation.evaluation_requests (ticket_no, unit_id, verdict, requested_at) VALUES ($1,$2,$3,$4)
         ON CONFLICT (ticket_no) DO NOTHING`,
        [e.ticketNo, e.data.unitId, e.data.verdict, e.occurredAt],
      );
      return;
    }
    if (e.type !== 'ticket.closed') return;
    await m.query(
      `INSERT INTO evaluation.closed_tickets (ticket_no, unit_id, closed_at, outcome, evaluation_status)
       VALUES ($1,$2,$3,$4,$5) ON CONFLICT (ticket_no) DO NOTHING`,
      [
        e.ticketNo,
        e.data.unitId,
        e.occurredAt,
        e.data.outcome,
        e.data.outcome === 'unsatisfied' ? 'awaiting_expert' : 'done',
      ],
    );
  }
}
