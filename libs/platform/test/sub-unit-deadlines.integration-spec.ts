import { randomUUID } from 'node:crypto';
import { SUB_UNIT_DEADLINES_FROM_LEDGER } from '../src/db/migrations/1764025000000-sub-unit-deadlines';
import { newTicket, OPERATOR, realLedger } from './fixtures';

/**
 * The migration's repair of sub-units' reply deadlines on the real Postgres: a sub-unit whose pass
 * gave it a time gets that time on its desk; one passed without a time keeps its hub's.
 */
describe("sub-units' reply deadlines, brought to their passes' times", () => {
  const db = realLedger();

  it('takes the latest standing pass’s time, and leaves a pass without one alone', async () => {
    const { ticketNo } = await db.ledger.create(newTicket(), OPERATOR, null);
    const hubDue = '2026-12-07T19:00:00.000Z';
    const row = (unitId: string) =>
      db.ds.query(
        `INSERT INTO dispatch.assignments (ticket_no, unit_id, role, status, dispatched_at, complete_due_at)
         VALUES ($1, $2, 'sub', 'dispatched', now(), $3)`,
        [ticketNo, unitId, hubDue],
      );
    await row('gulou-hunan');
    await row('gulou-ninghai');
    const pass = (seq: number, subUnitId: string, dueAt?: string) =>
      db.ds.query(
        `INSERT INTO ticket.ticket_events (event_id, ticket_no, seq, type, actor, data, occurred_at)
         VALUES ($1, $2, $3, 'ticket.sub_dispatched', '{"kind":"system"}', $4, now())`,
        [
          randomUUID(),
          ticketNo,
          seq,
          JSON.stringify({ unitId: 'gulou-gov', subUnitId, ...(dueAt ? { dueAt } : {}) }),
        ],
      );
    await pass(50, 'gulou-hunan', '2026-12-07T10:00:00.000Z');
    await pass(51, 'gulou-hunan', '2026-12-07T15:00:00.000Z'); // passed again, with another time
    await pass(52, 'gulou-ninghai');
    await db.ds.query(SUB_UNIT_DEADLINES_FROM_LEDGER);
    const dues: { unitId: string; due: Date }[] = await db.ds.query(
      `SELECT unit_id AS "unitId", complete_due_at AS due FROM dispatch.assignments WHERE ticket_no = $1 ORDER BY unit_id`,
      [ticketNo],
    );
    expect(dues.map((d) => [d.unitId, new Date(d.due).toISOString()])).toEqual([
      ['gulou-hunan', '2026-12-07T15:00:00.000Z'],
      ['gulou-ninghai', hubDue],
    ]);
  });
});
