import type { EntityManager } from 'typeorm';
import type { AnySupervisionEvent } from '@hotline/shared';
import { SupervisionEventProjection } from './ticket-event-projection';

/**
 * A service's own copy of the supervision orders (催办 / 督办), from supervision's events, so that
 * its views can show the orders on a ticket: the units' desks (dispatch.unit_orders) and the
 * centre's ledger (ticket.ticket_orders). Copied, never recomputed.
 */
export abstract class SupervisionOrdersCopy extends SupervisionEventProjection {
  protected abstract readonly table: 'dispatch.unit_orders' | 'ticket.ticket_orders';
  protected override readonly eventTypes = [
    'supervision.order_raised',
    'supervision.order_overdue',
    'supervision.order_answered',
    'supervision.order_reviewed',
    'supervision.order_closed',
  ] as const;

  protected async apply(e: AnySupervisionEvent, m: EntityManager): Promise<void> {
    // An order's events are its workflow's, in time: one older than the copy's last change (a copy
    // re-sent under another id) changes nothing; an answer would otherwise reopen a closed order.
    const set = (sql: string, params: unknown[]) =>
      m.query(`UPDATE ${this.table} SET ${sql}, updated_at = $2 WHERE order_id = $1 AND updated_at <= $2`, [
        e.subjectId,
        e.occurredAt,
        ...params,
      ]);
    switch (e.type) {
      case 'supervision.order_raised':
        await m.query(
          `INSERT INTO ${this.table} (order_id, unit_id, ticket_no, kind, trigger, instruction, respond_by,
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

/** The orders on one ticket in such a copy (for a unit, or all of them for the centre). */
export async function ordersOnTicket(
  m: Pick<EntityManager, 'query'>,
  table: 'dispatch.unit_orders' | 'ticket.ticket_orders',
  ticketNo: string,
  unitId: string | null,
): Promise<Record<string, unknown>[]> {
  return m.query(
    `SELECT order_id AS "orderId", unit_id AS "unitId", kind, trigger, instruction, respond_by AS "respondBy", round,
            status, overdue, raised_at AS "raisedAt"
     FROM ${table} WHERE ticket_no = $1 ${unitId ? 'AND unit_id = $2' : ''} ORDER BY raised_at`,
    unitId ? [ticketNo, unitId] : [ticketNo],
  );
}
