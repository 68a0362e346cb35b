import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { recordServiceEvent } from '../outbox/service-events';
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
  const recorded = await recordServiceEvent(
    m,
    {
      table: 'evaluation.events',
      keyColumn: 'ticket_no',
      topic: topicName({ kafkaPrefix }, EVALUATION_EVENTS_TOPIC),
    },
    event,
    event.ticketNo,
  );
  if (!recorded) return null;
  return event;
}
