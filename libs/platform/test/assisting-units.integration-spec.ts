import { randomUUID } from 'node:crypto';
import { AssistingFromWorkflow1764018000000 } from '../src/db/migrations/1764018000000-assisting-from-workflow';
import type { TicketSnapshot } from '@hotline/shared';
import { newTicket, OPERATOR, realLedger, recordOne } from './fixtures';

/**
 * A ticket's assisting units on the ledger: those asked for at registration until the workflow
 * places the ticket on a desk, then the ones its events carry. On the real Postgres.
 */
describe('the ledger’s assisting units follow the workflow', () => {
  const db = realLedger();

  const assistingOf = async (ticketNo: string): Promise<string[]> =>
    (
      await db.ds.query(`SELECT assisting_unit_ids AS a FROM ticket.tickets WHERE ticket_no = $1`, [ticketNo])
    )[0].a;

  /** Registers a ticket asking for transport and housing, and lets the workflow dispatch it to transport. */
  async function dispatched(): Promise<string> {
    const { ticketNo } = await db.ledger.create(
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
    const at = new Date().toISOString();
    await recordOne(
      db.ledger,
      ticketNo,
      { runId: randomUUID(), serial: 0, updateId: null },
      {
        type: 'ticket.dispatched',
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
      },
    );
    return ticketNo;
  }

  it('keeps what was asked for until the ticket is on a desk, then copies the workflow’s', async () => {
    const ticketNo = await dispatched();
    expect(await assistingOf(ticketNo)).toEqual(['housing']);
  });

  it('brings rows registered before the projection copied them to their latest event (the migration)', async () => {
    const ticketNo = await dispatched();
    const waiting = (await db.ledger.create(newTicket({ assistingUnitIds: ['housing'] }), OPERATOR, null))
      .ticketNo;
    await db.ds.query(
      `UPDATE ticket.tickets SET assisting_unit_ids = '{transport,housing}' WHERE ticket_no = $1`,
      [ticketNo],
    );
    const q = db.ds.createQueryRunner();
    try {
      await new AssistingFromWorkflow1764018000000().up(q);
    } finally {
      await q.release();
    }
    expect(await assistingOf(ticketNo)).toEqual(['housing']);
    expect(await assistingOf(waiting)).toEqual(['housing']); // never on a desk: what was asked for
  });
});
