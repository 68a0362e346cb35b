import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Kafka } from 'kafkajs';
import { CONFIG, KAFKA, TicketEventProjection } from '@hotline/platform';
import type { AnyTicketEvent, PlatformConfig } from '@hotline/shared';
import { ExpertsService } from './experts/experts.service';
import { SmsService } from './sms/sms.service';

/**
 * What the evaluation service does on the ticket's events: the callback SMS when the workflow asks
 * for it, the expert case when a ticket closes unsatisfied, and the closed tickets' register.
 */
@Injectable()
export class ClosedTicketsProjection extends TicketEventProjection {
  protected readonly consumerName = 'evaluation.closed-tickets';
  protected override readonly eventTypes = [
    'ticket.callback_requested',
    'ticket.evaluation_requested',
    'ticket.closed',
  ] as const;

  constructor(
    ds: DataSource,
    @Inject(KAFKA) kafka: Kafka,
    @Inject(CONFIG) config: PlatformConfig,
    private readonly experts: ExpertsService,
    private readonly sms: SmsService,
  ) {
    super(ds, kafka, config);
  }

  protected async apply(e: AnyTicketEvent, m: EntityManager): Promise<void> {
    if (e.type === 'ticket.callback_requested') {
      // The workflow asks the citizen by SMS: one text per round, however often this is delivered.
      if (e.data.mode === 'sms') await this.sms.sendCallback(e.ticketNo, e.data.round);
      return;
    }
    if (e.type === 'ticket.evaluation_requested') {
      // Unsatisfied after callback and rectification: the case goes to the expert evaluators.
      if (e.data.unitId) await this.experts.open(m, e.ticketNo, e.data.unitId, e.occurredAt);
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
