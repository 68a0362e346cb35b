import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Kafka } from 'kafkajs';
import { CONFIG, KAFKA, SupervisionEventProjection } from '@hotline/platform';
import type { AnySupervisionEvent, PlatformConfig } from '@hotline/shared';

/**
 * The desk's copy of the supervision orders addressed to a unit, from supervision's events: a
 * clerk opening a ticket sees the reminders and orders on it. Copied, never recomputed.
 */
@Injectable()
export class UnitOrdersProjection extends SupervisionEventProjection {
  protected readonly consumerName = 'dispatch.unit-orders';
  protected override readonly eventTypes = [
    'supervision.order_raised',
    'supervision.order_overdue',
    'supervision.order_answered',
    'supervision.order_reviewed',
    'supervision.order_closed',
  ] as const;

  constructor(ds: DataSource, @Inject(KAFKA) kafka: Kafka, @Inject(CONFIG) config: PlatformConfig) {
    super(ds, kafka, config);
  }

  protected async apply(e: AnySupervisionEvent, m: EntityManager): Promise<void> {
    const set = (sql: string, params: unknown[]) =>
      m.query(`UPDATE dispatch.unit_orders SET ${sql}, updated_at = $2 WHERE order_id = $1`, [
        e.subjectId,
        e.occurredAt,
        ...params,
      ]);
    switch (e.type) {
      case 'supervision.order_raised':
        await m.query(
          `INSERT INTO dispatch.unit_orders (order_id, unit_id, ticket_no, kind, trigger, instruction, respond_by,
             status, raised_at, updated_at)
           VALUES ($1,$2,$3,$4,$5,$6,$7,'open',$8,$8) ON CONFLICT (order_id) DO NOTHING`,
          [
            e.data.orderId,
            e.data.unitId,
            e.data.ticketNo,
            e.data.kind,
            e.data.trigger,
            e.data.instruction,
            e.data.respondBy,
            e.occurredAt,
          ],
        );
        return;
      case 'supervision.order_overdue':
        return void (await set(`overdue = true`, []));
      case 'supervision.order_answered':
        return void (await set(`status = 'answered'`, []));
      case 'supervision.order_reviewed':
        return void (await set(
          `status = CASE WHEN $3 THEN status ELSE 'open' END, round = greatest(round, $4),
           respond_by = coalesce($5, respond_by), overdue = CASE WHEN $3 THEN overdue ELSE false END`,
          [e.data.accepted, e.data.round + (e.data.accepted ? 0 : 1), e.data.respondBy],
        ));
      case 'supervision.order_closed':
        return void (await set(`status = 'closed'`, []));
      default:
        return;
    }
  }
}
