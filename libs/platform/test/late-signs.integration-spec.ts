import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createDataSource, TicketLedgerRepository } from '../src';
import type { PendingEvent } from '../src';
import { LATE_SIGNS_FROM_LEDGER } from '../src/db/migrations/1764020000000-late-signs';
import { loadConfig, transitionEventIds } from '@hotline/shared';
import type { TicketSnapshot } from '@hotline/shared';
import { newTicket, OPERATOR } from './fixtures';

/**
 * The fill of `supervision.late_signs` from the ledger (the migration's): every standing late
 * signature, lead, assisting unit or sub-unit, counted against the unit that signed; a timely one
 * and a signature from before sub-units had a sign time are not. On the real Postgres.
 */
describe('late signatures filled from the ledger', () => {
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

  it('enters each late signature once, against the unit that signed, in its role', async () => {
    const { ticketNo } = await ledger.create(newTicket(), OPERATOR, null);
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
    const signatures: [string, string, Record<string, unknown>][] = [
      ['ticket.signed', 'transport', { unitId: 'transport', late: true }],
      ['ticket.assistance_signed', 'housing', { unitId: 'housing', late: false }],
      [
        'ticket.sub_signed',
        'gulou-hunan',
        { unitId: 'transport', subUnitId: 'gulou-hunan', subTicketNo: null, late: true },
      ],
      [
        'ticket.sub_signed',
        'gulou-hunan',
        { unitId: 'transport', subUnitId: 'gulou-hunan', subTicketNo: null },
      ],
    ];
    const ids: string[] = [];
    for (const [serial, [type, unit, data]] of signatures.entries()) {
      const place = { runId, serial };
      const [id] = transitionEventIds({ ...place, updateId: `sign:${serial}` }, 1);
      ids.push(id!);
      await ledger.recordTransition(
        [
          {
            id,
            ticketNo,
            type,
            occurredAt: new Date().toISOString(),
            actor: clerk(unit),
            data,
            state,
          } as unknown as PendingEvent,
        ],
        place,
      );
    }
    const rows = async () =>
      ds.query(
        `SELECT event_id AS "eventId", unit_id AS "unitId", role FROM supervision.late_signs
         WHERE ticket_no = $1 ORDER BY role`,
        [ticketNo],
      );
    // What supervision's projection may already have entered is the same rows: the fill adds none twice.
    await ds.query(LATE_SIGNS_FROM_LEDGER);
    await ds.query(LATE_SIGNS_FROM_LEDGER);
    expect(await rows()).toEqual([
      { eventId: ids[0], unitId: 'transport', role: 'lead' },
      { eventId: ids[2], unitId: 'gulou-hunan', role: 'sub' },
    ]);
  });
});
