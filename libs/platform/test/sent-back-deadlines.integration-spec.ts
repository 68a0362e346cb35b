import { randomUUID } from 'node:crypto';
import { SENT_BACK_DEADLINES_FROM_LEDGER } from '../src/db/migrations/1764024000000-sent-back-deadlines';
import type { TicketSnapshot } from '@hotline/shared';
import { newTicket, OPERATOR, realLedger, recordOne } from './fixtures';

/**
 * The migration's repair of supervision's reply deadlines on the real Postgres: a ticket whose
 * last deadline came from a reply sent back gets it; one whose last came from anything else keeps
 * what supervision had.
 */
describe('reply deadlines of replies sent back, brought into supervision', () => {
  const db = realLedger();
  const state: TicketSnapshot = {
    status: 'signed',
    unitId: 'transport',
    assignments: [{ unitId: 'transport', role: 'lead', status: 'signed' }],
  };
  const system = { kind: 'system' };

  async function ticket(
    events: [string, Record<string, unknown>][],
    supervisionDue: string,
  ): Promise<string> {
    const { ticketNo } = await db.ledger.create(newTicket(), OPERATOR, null);
    const runId = randomUUID();
    for (const [serial, [type, data]] of events.entries())
      await recordOne(
        db.ledger,
        ticketNo,
        { runId, serial, updateId: null },
        { type, actor: system, data, state },
      );
    await db.ds.query(
      `INSERT INTO supervision.ticket_facts (ticket_no, status, last_seq, complete_due_at)
       VALUES ($1, 'signed', 9, $2)`,
      [ticketNo, supervisionDue],
    );
    return ticketNo;
  }
  const due = async (no: string) =>
    new Date(
      (
        await db.ds.query(`SELECT complete_due_at FROM supervision.ticket_facts WHERE ticket_no = $1`, [no])
      )[0].complete_due_at,
    ).toISOString();

  it('takes the deadline of the last reply sent back, and nothing else', async () => {
    const dispatched = {
      unitId: 'transport',
      unitName: '市交通运输局',
      catalogEntryId: null,
      signDueAt: '2026-12-01T01:00:00.000Z',
      completeDueAt: '2026-12-01T12:00:00.000Z',
      returnWindowEndsAt: '2026-12-01T12:00:00.000Z',
    };
    const sentBack = {
      unitId: 'transport',
      approved: false,
      note: '请补充',
      completeDueAt: '2026-12-02T03:00:00.000Z',
    };
    const extended = {
      unitId: 'transport',
      approved: true,
      granted: { amount: 1, unit: 'days' },
      completeDueAt: '2026-12-04T03:00:00.000Z',
      note: '',
    };
    const stale = await ticket(
      [
        ['ticket.dispatched', dispatched],
        ['ticket.reply_reviewed', sentBack],
      ],
      dispatched.completeDueAt,
    );
    const extendedAfter = await ticket(
      [
        ['ticket.dispatched', dispatched],
        ['ticket.reply_reviewed', sentBack],
        ['ticket.extension_decided', extended],
      ],
      extended.completeDueAt,
    );
    await db.ds.query(SENT_BACK_DEADLINES_FROM_LEDGER);
    expect(await due(stale)).toBe(sentBack.completeDueAt);
    expect(await due(extendedAfter)).toBe(extended.completeDueAt);
  });
});
