import { ApplicationFailure } from '@temporalio/common';
import type { AlertRepository, PendingEvent, TicketLedgerRepository } from '@hotline/platform';
import { EventSchemaError } from '@hotline/shared';
import type { AnyTicketEvent } from '@hotline/shared';
import { MockActivityEnvironment } from '@temporalio/testing';
import { ALERT_FROM_ATTEMPT, createTicketActivities } from './ticket.activities';

describe('recordTransition', () => {
  const events: PendingEvent[] = [
    {
      id: 'e1',
      type: 'ticket.signed',
      ticketNo: '20261123000001',
      occurredAt: '2026-11-23T02:00:00.000Z',
      actor: { kind: 'system' },
      data: { unitId: 'transport', late: false },
      state: { status: 'signed', unitId: 'transport', assignments: [] },
    },
  ];
  const place = { runId: 'run-1', serial: 3 };
  /** The ledger's writes, both kinds backed by `write`; `voided` is what the place-aware one reports. */
  function setup(write: (e: PendingEvent[]) => Promise<AnyTicketEvent[]>, voided = 0) {
    const raised: unknown[] = [];
    const places: unknown[] = [];
    const deadlines: (number | null)[] = [];
    const acts = createTicketActivities({
      ledger: {
        appendAll: write,
        recordTransition: async (e: PendingEvent[], at: unknown, deadline: number | null) => {
          places.push(at);
          deadlines.push(deadline);
          return { events: await write(e), voided };
        },
      } as unknown as TicketLedgerRepository,
      alerts: { raise: async (a: unknown) => void raised.push(a) } as unknown as AlertRepository,
    });
    return { acts, raised, places, deadlines };
  }
  const pgError = (code: string) => Object.assign(new Error(`pg ${code}`), { code });

  const recordAll = async (e: PendingEvent[]) =>
    e.map((x, i) => ({ ...x, version: 2, seq: i + 1 })) as AnyTicketEvent[];

  it('records the events of one transition in one call, at its place in the run', async () => {
    const { acts, places } = setup(recordAll);
    expect(await acts.recordTransition({ ticketNo: '20261123000001', events, place })).toEqual({
      recorded: 1,
      voided: 0,
    });
    expect(places).toEqual([place]);
  });

  it('tells the workflow how many events of a lost attempt the ledger voided', async () => {
    const { acts } = setup(recordAll, 2);
    expect(await acts.recordTransition({ ticketNo: '20261123000001', events, place })).toEqual({
      recorded: 1,
      voided: 2,
    });
  });

  it('tells the ledger when the attempt times out, so a late write of a timed-out attempt is not made', async () => {
    const { acts, deadlines } = setup(recordAll);
    const env = new MockActivityEnvironment({ startToCloseTimeoutMs: 15_000 });
    const before = Date.now();
    await env.run(acts.recordTransition, { ticketNo: '20261123000001', events, place });
    expect(deadlines).toHaveLength(1);
    expect(deadlines[0]).toBeGreaterThanOrEqual(before + 15_000);
    expect(deadlines[0]).toBeLessThanOrEqual(Date.now() + 15_000);
  });

  it('records without voiding anything when the caller names no place (a workflow of before)', async () => {
    const { acts, places } = setup(recordAll, 2);
    expect(await acts.recordTransition({ ticketNo: '20261123000001', events })).toEqual({
      recorded: 1,
      voided: 0,
    });
    expect(places).toEqual([]);
  });

  it.each([
    ['a Postgres data exception (NUL in jsonb)', pgError('22P05')],
    ['an integrity violation', pgError('23503')],
    ['an event off its schema', new EventSchemaError('invalid ticket event: data.unitId')],
  ])('makes %s non-retryable, so it can never wedge the ticket', async (_what, err) => {
    const { acts } = setup(async () => {
      throw err;
    });
    const failure = await acts

      .recordTransition({ ticketNo: '20261123000001', events, place })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'invalid_data', nonRetryable: true });
  });

  it('retries what may pass (the database away), and raises an alert once it keeps failing', async () => {
    const down = pgError('57P01');
    const { acts, raised } = setup(async () => {
      throw down;
    });
    const env = (attempt: number) => new MockActivityEnvironment({ attempt });
    const early = await env(ALERT_FROM_ATTEMPT - 1)
      .run(acts.recordTransition, { ticketNo: '20261123000001', events, place })
      .catch((e: unknown) => e);
    expect(early).toBe(down); // retryable: thrown as it was
    expect(raised).toHaveLength(0);
    await env(ALERT_FROM_ATTEMPT)
      .run(acts.recordTransition, { ticketNo: '20261123000001', events, place })
      .catch(() => undefined);
    expect(raised).toEqual([
      expect.objectContaining({
        kind: 'activity.failing',
        subject: 'ticket 20261123000001',
        attempt: ALERT_FROM_ATTEMPT,
      }),
    ]);
  });
});
