import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import {
  EVALUATION_EVENT_VERSION,
  EVALUATION_EVENTS_TOPIC,
  parseEvaluationEvent,
  topicName,
} from '@hotline/shared';
import type { Actor, AnyEvaluationEvent, EvaluationEventDataMap, EvaluationEventType } from '@hotline/shared';

export interface PendingEvaluationEvent<T extends EvaluationEventType = EvaluationEventType> {
  /** Give a stable id when the write may be retried (an activity): a repeat then records nothing. */
  id?: string;
  type: T;
  ticketNo: string;
  actor: Actor;
  data: EvaluationEventDataMap[T];
  occurredAt?: string;
}

/**
 * Records an evaluation event in evaluation.events and its outbox row, inside the caller's
 * transaction (the one that makes the change the event announces). Idempotent on the event id.
 * Returns the event, or null when that id was recorded before.
 */
export async function appendEvaluationEvent<T extends EvaluationEventType>(
  m: EntityManager,
  kafkaPrefix: string,
  pending: PendingEvaluationEvent<T>,
): Promise<AnyEvaluationEvent | null> {
  const event = parseEvaluationEvent({
    id: pending.id ?? randomUUID(),
    type: pending.type,
    version: EVALUATION_EVENT_VERSION,
    ticketNo: pending.ticketNo,
    occurredAt: pending.occurredAt ?? new Date().toISOString(),
    actor: pending.actor,
    data: pending.data,
  });
  const inserted: unknown[] = await m.query(
    `INSERT INTO evaluation.events (event_id, ticket_no, type, actor, data, occurred_at)
     VALUES ($1,$2,$3,$4,$5,$6) ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
    [event.id, event.ticketNo, event.type, event.actor, event.data, event.occurredAt],
  );
  if (inserted.length === 0) return null;
  await m.query(`INSERT INTO platform.outbox (topic, message_key, event_id, payload) VALUES ($1,$2,$3,$4)`, [
    topicName({ kafkaPrefix }, EVALUATION_EVENTS_TOPIC),
    event.ticketNo,
    event.id,
    event,
  ]);
  return event;
}
