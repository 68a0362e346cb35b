import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createDataSource, TicketLedgerRepository } from '../src';
import type { PendingEvent } from '../src';
import { AssistingFromWorkflow1764018000000 } from '../src/db/migrations/1764018000000-assisting-from-workflow';
import { loadConfig, transitionEventIds } from '@hotline/shared';
import type { TicketSnapshot } from '@hotline/shared';
import { newTicket, OPERATOR } from './fixtures';

/**
 * A ticket's assisting units on the ledger: those asked for at registration until the workflow
 * places the ticket on a desk, then the ones its events carry. On the real Postgres.
 */
describe('the ledger’s assisting units follow the workflow', () => {
  let ds: DataSource;
  let ledger: TicketLedgerRepository;

  beforeAll(async () => {
    const config = loadConfig(process.env);
    ds = await createDataSource(config.databaseUrl, { poolSize: 3 }).initialize();
    ledger = new TicketLedgerRepository(ds, config.kafkaPrefix);
  });
  afterAll(async () => {
    await ds?.destroy();
  });

  const assistingOf = async (ticketNo: string): Promise<string[]> =>
    (await ds.query(`SELECT assisting_unit_ids AS a FROM ticket.tickets WHERE ticket_no = $1`, [ticketNo]))[0]
      .a;

  /** Registers a ticket asking for transport and housing, and lets the workflow dispatch it to transport. */
  async function dispatched(): Promise<string> {
    const { ticketNo } = await ledger.create(
      newTicket({ assistingUnitIds: ['transport', 'housing'] }),
      OPERATOR,
      null,
    );
    expect(await assistingOf(ticketNo)).toEqual(['transport', 'housing']);
    const state: TicketSnapshot = {
      status: 'dispatched',
      unitId: 'transport',
      assignments: [
        { unitId: 'transport', role: 'lead', status: 'dispatched' },
        { unitId: 'housing', role: 'assisting', status: 'dispatched' },
      ],
    };
    const place = { runId: randomUUID(), serial: 0 };
    const [id] = transitionEventIds({ ...place, updateId: null }, 1);
    const at = new Date().toISOString();
    await ledger.recordTransition(
      [
        {
          id,
          ticketNo,
          type: 'ticket.dispatched',
          occurredAt: at,
          actor: { kind: 'system' },
          data: {
            unitId: 'transport',
            unitName: '市交通运输局',
            catalogEntryId: null,
            signDueAt: at,
            completeDueAt: at,
            returnWindowEndsAt: at,
          },
          state,
        } as PendingEvent,
      ],
      place,
    );
    return ticketNo;
  }

  it('keeps what was asked for until the ticket is on a desk, then copies the workflow’s', async () => {
    const ticketNo = await dispatched();
    expect(await assistingOf(ticketNo)).toEqual(['housing']);
  });

  it('brings rows registered before the projection copied them to their latest event (the migration)', async () => {
    const ticketNo = await dispatched();
    const waiting = (await ledger.create(newTicket({ assistingUnitIds: ['housing'] }), OPERATOR, null))
      .ticketNo;
    await ds.query(
      `UPDATE ticket.tickets SET assisting_unit_ids = '{transport,housing}' WHERE ticket_no = $1`,
      [ticketNo],
    );
    const q = ds.createQueryRunner();
    try {
      await new AssistingFromWorkflow1764018000000().up(q);
    } finally {
      await q.release();
    }
    expect(await assistingOf(ticketNo)).toEqual(['housing']);
    expect(await assistingOf(waiting)).toEqual(['housing']); // never on a desk: what was asked for
  });
});
