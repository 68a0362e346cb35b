import { randomUUID } from 'node:crypto';
import { LATE_SIGNS_FROM_LEDGER } from '../src/db/migrations/1764020000000-late-signs';
import type { TicketSnapshot } from '@hotline/shared';
import { newTicket, OPERATOR, realLedger, recordOne } from './fixtures';

/**
 * The fill of `supervision.late_signs` from the ledger (the migration's): every standing late
 * signature, lead, assisting unit or sub-unit, counted against the unit that signed; a timely one
 * and a signature from before sub-units had a sign time are not. On the real Postgres.
 */
describe('late signatures filled from the ledger', () => {
  const db = realLedger();

  it('enters each late signature once, against the unit that signed, in its role', async () => {
    const { ticketNo } = await db.ledger.create(newTicket(), OPERATOR, null);
    const state: TicketSnapshot = {
      status: 'signed',
      unitId: 'transport',
      assignments: [
        { unitId: 'transport', role: 'lead', status: 'signed' },
        { unitId: 'housing', role: 'assisting', status: 'signed' },
        { unitId: 'gulou-hunan', role: 'sub', status: 'signed' },
      ],
    };
    const runId = randomUUID();
    const clerk = (unitId: string) => ({
      kind: 'user',
      userId: `clerk.${unitId}`,
      role: 'unit_clerk',
      unitId,
    });
    const sub = { unitId: 'transport', subUnitId: 'gulou-hunan', subTicketNo: null };
    const signatures: [string, string, Record<string, unknown>][] = [
      ['ticket.signed', 'transport', { unitId: 'transport', late: true }],
      ['ticket.assistance_signed', 'housing', { unitId: 'housing', late: false }],
      ['ticket.sub_signed', 'gulou-hunan', { ...sub, late: true }],
      ['ticket.sub_signed', 'gulou-hunan', sub], // from before sub-units had a sign time
    ];
    const ids: string[] = [];
    for (const [serial, [type, unit, data]] of signatures.entries())
      ids.push(
        await recordOne(
          db.ledger,
          ticketNo,
          { runId, serial, updateId: `sign:${serial}` },
          { type, actor: clerk(unit), data, state },
        ),
      );
    // What supervision's projection may already have entered is the same rows: the fill adds none twice.
    await db.ds.query(LATE_SIGNS_FROM_LEDGER);
    await db.ds.query(LATE_SIGNS_FROM_LEDGER);
    expect(
      await db.ds.query(
        `SELECT event_id AS "eventId", unit_id AS "unitId", role FROM supervision.late_signs
         WHERE ticket_no = $1 ORDER BY role`,
        [ticketNo],
      ),
    ).toEqual([
      { eventId: ids[0], unitId: 'transport', role: 'lead' },
      { eventId: ids[2], unitId: 'gulou-hunan', role: 'sub' },
    ]);
  });
});
