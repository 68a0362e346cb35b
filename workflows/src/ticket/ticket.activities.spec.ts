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
  function setup(appendAll: (e: PendingEvent[]) => Promise<AnyTicketEvent[]>) {
    const raised: unknown[] = [];
    const acts = createTicketActivities({
      ledger: { appendAll } as unknown as TicketLedgerRepository,
      alerts: { raise: async (a: unknown) => void raised.push(a) } as unknown as AlertRepository,
    });
    return { acts, raised };
  }
  const pgError = (code: string) => Object.assign(new Error(`pg ${code}`), { code });

  it('records the events of one transition in one call', async () => {
    const { acts } = setup(
      async (e) => e.map((x, i) => ({ ...x, version: 2, seq: i + 1 })) as AnyTicketEvent[],
    );
    expect(await acts.recordTransition({ ticketNo: '20261123000001', events })).toBe(1);
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
      .recordTransition({ ticketNo: '20261123000001', events })
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
      .run(acts.recordTransition, { ticketNo: '20261123000001', events })
      .catch((e: unknown) => e);
    expect(early).toBe(down); // retryable: thrown as it was
    expect(raised).toHaveLength(0);
    await env(ALERT_FROM_ATTEMPT)
      .run(acts.recordTransition, { ticketNo: '20261123000001', events })
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
