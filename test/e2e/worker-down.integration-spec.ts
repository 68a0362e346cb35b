import { createTicket, eventually, http, login, startPlatform } from '../harness';
import type { Platform } from '../harness';

/**
 * A unit's action reaches its ticket's workflow as a Temporal update, which Temporal's client waits
 * for without end. With the worker down, the clerk must not be left hanging: the action answers
 * 503 within `TEMPORAL_UPDATE_WAIT_MS`, nothing is half-written, and once the worker is back the
 * same request (same Idempotency-Key) answers the action's one result.
 */
describe('an action while the worker is down', () => {
  const WAIT_MS = 2000;
  let p: Platform;
  let operator: string;
  let clerk: string;

  beforeAll(async () => {
    p = await startPlatform({ temporalUpdateWaitMs: WAIT_MS });
    operator = await login(p.urls.intake, 'operator');
    clerk = await login(p.urls.intake, 'clerk.transport');
  });

  afterAll(async () => {
    await p?.stop();
  });

  const sign = (no: string, key: string) =>
    http('POST', `${p.urls.dispatch}/api/v1/tickets/${no}/sign`, {
      token: clerk,
      headers: { 'idempotency-key': key },
    });
  const ledger = async (no: string) =>
    (await http('GET', `${p.urls.intake}/api/v1/tickets/${no}`, { token: operator })).body as {
      status: string;
      history: { type: string }[];
    };

  it('answers 503 within the bound, writes nothing, and takes the repeated request once the worker is back', async () => {
    const no = await createTicket(p, operator);
    await eventually('the ticket on the desk', async () => {
      const r = await http('GET', `${p.urls.dispatch}/api/v1/tickets/${no}`, { token: clerk });
      return r.status === 200 && r.body.status === 'dispatched';
    });
    await p.worker.stop();
    try {
      const started = Date.now();
      const r = await sign(no, 'sign-while-down');
      const waited = Date.now() - started;
      expect(r.status).toBe(503);
      expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(r.body).toMatchObject({ status: 503, code: 'dependency_unavailable' });
      expect(r.body.detail).toMatch(/Idempotency-Key/);
      // Bounded by the configured wait, not by Temporal's client (which would wait for ever).
      expect(waited).toBeGreaterThanOrEqual(WAIT_MS - 100);
      expect(waited).toBeLessThan(30_000);
      // Nothing recorded while no worker took it.
      const before = await ledger(no);
      expect(before.status).toBe('dispatched');
      expect(before.history.map((e) => e.type)).not.toContain('ticket.signed');
    } finally {
      await p.worker.start();
    }

    // The clerk repeats the same request: one sign, whichever attempt the workflow took.
    const done = await eventually(
      'the repeated sign to be answered',
      async () => {
        const r = await sign(no, 'sign-while-down');
        return r.status === 200 ? r : null;
      },
      60_000,
    );
    expect(done.body).toMatchObject({ ticketNo: no, status: 'signed', alreadyApplied: false });
    const again = await sign(no, 'another-key');
    expect(again.body).toMatchObject({ status: 'signed', alreadyApplied: true });
    const after = await eventually('the sign in the ledger', async () => {
      const l = await ledger(no);
      return l.status === 'signed' ? l : null;
    });
    expect(after.history.filter((e) => e.type === 'ticket.signed')).toHaveLength(1);
  });
});
