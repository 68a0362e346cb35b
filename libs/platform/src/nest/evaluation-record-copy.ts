import type { EntityManager } from 'typeorm';
import { EVALUATION_ON_RECORD } from '@hotline/shared';
import type { AnyEvaluationEvent } from '@hotline/shared';
import { EvaluationEventProjection } from './ticket-event-projection';

/**
 * A service's own copy of what the evaluation decided of each ticket (EVALUATION_ON_RECORD: the
 * expert's verdict, the objections answered, the public vote's result, a reconsideration), so that
 * its views show everything done to a ticket (RULES §8): the centre's ledger (ticket.ticket_evaluation)
 * and the units' desks (dispatch.unit_evaluation, each unit the decisions about it). Copied as the
 * evaluation service wrote them, never recomputed; the evaluators are never named in them.
 */
export abstract class EvaluationRecordCopy extends EvaluationEventProjection {
  protected abstract readonly table: 'ticket.ticket_evaluation' | 'dispatch.unit_evaluation';
  protected override readonly eventTypes = EVALUATION_ON_RECORD;

  protected async apply(e: AnyEvaluationEvent, m: EntityManager): Promise<void> {
    await m.query(
      `INSERT INTO ${this.table} (event_id, ticket_no, unit_id, type, actor, data, occurred_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT (event_id) DO NOTHING`,
      [
        e.id,
        e.ticketNo,
        'unitId' in e.data ? e.data.unitId : null,
        e.type,
        JSON.stringify(e.actor),
        JSON.stringify(e.data),
        e.occurredAt,
      ],
    );
  }
}

/** The copy's rows of one ticket, oldest first; with `unitId`, those about that unit only. */
export async function evaluationOnTicket(
  m: Pick<EntityManager, 'query'>,
  table: 'ticket.ticket_evaluation' | 'dispatch.unit_evaluation',
  ticketNo: string,
  unitId: string | null,
): Promise<Record<string, unknown>[]> {
  return m.query(
    `SELECT event_id AS "eventId", type, actor, data, occurred_at AS "occurredAt"
     FROM ${table} WHERE ticket_no = $1 ${unitId ? 'AND unit_id = $2' : ''} ORDER BY occurred_at, event_id`,
    unitId ? [ticketNo, unitId] : [ticketNo],
  );
}
