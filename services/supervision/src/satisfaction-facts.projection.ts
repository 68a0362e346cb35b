import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Kafka } from 'kafkajs';
import {
  CONFIG,
  EvaluationEventProjection,
  KAFKA,
  SupervisionOrderRepository,
  TicketLedgerRepository,
} from '@hotline/platform';
import type { AfterCommit } from '@hotline/platform';
import { correctionVoidsPostClosureOrder, EventSchemaError, orderFor } from '@hotline/shared';
import type { AnyEvaluationEvent, PlatformConfig } from '@hotline/shared';
import { OrdersService } from './orders/orders.service';

/**
 * The verdict that counts for each ticket's satisfaction, as the evaluation service decided it
 * (`evaluation.satisfaction_recorded`, and `evaluation.satisfaction_withdrawn` when a correction of
 * the ticket's record left none): copied, never recomputed. The assessment builds on it. An
 * unsatisfied verdict raises the post-closure order; a correction that takes it away withdraws it.
 *
 * A verdict on a ticket the ledger never registered counts nowhere: it is set aside as a dead
 * letter (platform.dead_letters, with why), not copied. The ledger, not supervision's own ticket
 * facts, says whether the ticket exists: the ticket's events and this one travel on different
 * topics, so a real verdict may well arrive before the facts of its ticket, but never before the
 * ledger's row, which is written with the ticket's first event and from which its verdict follows.
 */
@Injectable()
export class SatisfactionFactsProjection extends EvaluationEventProjection {
  protected readonly consumerName = 'supervision.satisfaction-facts';
  protected override readonly eventTypes = [
    'evaluation.satisfaction_recorded',
    'evaluation.satisfaction_withdrawn',
  ] as const;

  constructor(
    ds: DataSource,
    @Inject(KAFKA) kafka: Kafka,
    @Inject(CONFIG) config: PlatformConfig,
    private readonly orders: OrdersService,
    private readonly orderRows: SupervisionOrderRepository,
    private readonly ledger: TicketLedgerRepository,
  ) {
    super(ds, kafka, config);
  }

  protected async apply(e: AnyEvaluationEvent, m: EntityManager, afterCommit: AfterCommit): Promise<void> {
    if (e.type === 'evaluation.satisfaction_withdrawn') {
      await m.query(`DELETE FROM supervision.satisfaction_facts WHERE ticket_no = $1 AND recorded_at <= $2`, [
        e.ticketNo,
        e.occurredAt,
      ]);
      await this.voidPostClosureOrder(e.ticketNo, m, afterCommit);
      return;
    }
    if (e.type !== 'evaluation.satisfaction_recorded') return;
    // A data error: the consumer applies the batch again event by event and sets this one aside.
    if (!(await this.ledger.exists(e.ticketNo)))
      throw new EventSchemaError(
        `${e.type} ${e.id} names ticket ${e.ticketNo}, which the ledger does not hold: not counted`,
      );
    const corrected = correctionVoidsPostClosureOrder({
      type: e.type,
      unitId: e.data.unitId,
      verdict: e.data.verdict,
      correction: e.data.correction,
    });
    if (corrected) await this.voidPostClosureOrder(e.ticketNo, m, afterCommit);
    await m.query(
      `INSERT INTO supervision.satisfaction_facts
         (ticket_no, unit_id, category, region_code, verdict, source, closed_at, recorded_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8)
       ON CONFLICT (ticket_no) DO UPDATE SET unit_id = $2, category = $3, region_code = $4, verdict = $5,
         source = $6, closed_at = $7, recorded_at = $8
       WHERE supervision.satisfaction_facts.recorded_at <= $8`,
      [
        e.ticketNo,
        e.data.unitId,
        e.data.category,
        e.data.regionCode,
        e.data.verdict,
        e.data.source,
        e.data.closedAt,
        e.occurredAt,
      ],
    );
    // Unsatisfied after closure: post-closure supervision (GS), one order per ticket.
    const order = orderFor({
      event: { type: e.type, unitId: e.data.unitId, verdict: e.data.verdict },
      extensionCount: 0,
      returnCount: 0,
      rectifying: false,
      repeatCount: 1,
    });
    if (!order) return;
    const sourceKey = postClosureKey(e.ticketNo);
    await this.orders.raise(
      {
        ...order,
        // Named by its verdict's event too: a verdict raised again after a withdrawal is a new order.
        id: SupervisionOrderRepository.idFor(`${sourceKey}:${e.id}`),
        sourceKey,
        sourceEventId: e.id,
        ticketNo: e.ticketNo,
        by: { kind: 'system' },
      },
      m,
    );
  }

  /** The open post-closure order of the ticket is marked and, once this commits, withdrawn (a sweep retries it). */
  private async voidPostClosureOrder(ticketNo: string, m: EntityManager, afterCommit: AfterCommit) {
    const marked = await this.orderRows.sourceKeyVoided(postClosureKey(ticketNo), m);
    if (marked.length > 0) afterCommit(() => this.orders.withdrawForVoidedSource(marked));
  }
}

const postClosureKey = (ticketNo: string) => `unsatisfied_after_closure:${ticketNo}`;
