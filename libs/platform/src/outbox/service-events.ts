import type { EntityManager } from 'typeorm';

/**
 * Records a service's event in its own events table and, in the same transaction, its outbox row
 * (the relay publishes it to Kafka). Idempotent on the event id: false when that id was recorded.
 * The event is validated by the caller (its schema's parse function) before it gets here.
 */
export async function recordServiceEvent(
  m: EntityManager,
  where: {
    table: 'evaluation.events' | 'supervision.events';
    keyColumn: 'ticket_no' | 'subject_id';
    topic: string;
  },
  event: { id: string; type: string; actor: unknown; data: unknown; occurredAt: string },
  key: string,
): Promise<boolean> {
  const inserted: unknown[] = await m.query(
    `INSERT INTO ${where.table} (event_id, ${where.keyColumn}, type, actor, data, occurred_at)
     VALUES ($1,$2,$3,$4,$5,$6) ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
    [event.id, key, event.type, event.actor, event.data, event.occurredAt],
  );
  if (inserted.length === 0) return false;
  await m.query(`INSERT INTO platform.outbox (topic, message_key, event_id, payload) VALUES ($1,$2,$3,$4)`, [
    where.topic,
    key,
    event.id,
    event,
  ]);
  return true;
}
