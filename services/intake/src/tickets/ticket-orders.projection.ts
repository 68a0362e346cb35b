import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Kafka } from 'kafkajs';
import { CONFIG, KAFKA, SupervisionOrdersCopy } from '@hotline/platform';
import type { PlatformConfig } from '@hotline/shared';

/** The ledger's copy of the supervision orders: the centre sees every order on a ticket with the ticket. */
@Injectable()
export class TicketOrdersProjection extends SupervisionOrdersCopy {
  protected readonly consumerName = 'intake.ticket-orders';
  protected readonly table = 'ticket.ticket_orders' as const;

  constructor(ds: DataSource, @Inject(KAFKA) kafka: Kafka, @Inject(CONFIG) config: PlatformConfig) {
    super(ds, kafka, config);
  }
}
