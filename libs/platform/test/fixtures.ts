import type { DataSource } from 'typeorm';
import { createDataSource, TicketLedgerRepository } from '../src';
import type { NewTicket, PendingEvent } from '../src';
import { loadConfig, transitionEventIds } from '@hotline/shared';
import type { TicketSnapshot } from '@hotline/shared';

/** The operator who registers the tests' tickets. */
export const OPERATOR = { kind: 'user' as const, userId: 'operator', role: 'operator' as const };

/** A road complaint in gulou without personal data; `over` sets what a test is about. */
export const newTicket = (over: Partial<NewTicket> = {}): NewTicket => ({
  channel: 'phone',
  kind: 'complaint',
  category: 'road',
  regionCode: 'gulou',
  title: '路面破损',
  content: '中山路128号人行道地砖松动。',
  address: null,
  complainantName: null,
  complainantPhone: null,
  confidential: false,
  respondent: null,
  demand: null,
  ...over,
});

/**
 * The real Postgres and the ledger on it, opened before the suite's tests and closed after:
 * `const db = realLedger();` at the top of a describe, then `db.ds`, `db.ledger` in its tests.
 */
export function realLedger(): { ds: DataSource; ledger: TicketLedgerRepository } {
  const db = {} as { ds: DataSource; ledger: TicketLedgerRepository };
  beforeAll(async () => {
    const config = loadConfig(process.env);
    db.ds = await createDataSource(config.databaseUrl, { poolSize: 3 }).initialize();
    db.ledger = new TicketLedgerRepository(db.ds, config.kafkaPrefix);
  });
  afterAll(async () => {
    await db.ds?.destroy();
  });
  return db;
}

/** One event written as the workflow writes a transition, in its own place of a run. */
export async function recordOne(
  ledger: TicketLedgerRepository,
  ticketNo: string,
  place: { runId: string; serial: number; updateId: string | null },
  event: { type: string; actor: unknown; data: unknown; state: TicketSnapshot },
): Promise<string> {
  const [id] = transitionEventIds(place, 1);
  const at = { runId: place.runId, serial: place.serial };
  await ledger.recordTransition(
    [{ ...event, id, ticketNo, occurredAt: new Date().toISOString() } as unknown as PendingEvent],
    at,
  );
  return id!;
}
