import { createTicket, eventually, http, login, saveQuickSignPolicy, startPlatform } from '../harness';
import type { Platform } from '../harness';

/**
 * An administrator re-applies the active policy to a running ticket: the ticket's record says
 * so, with who did it and which policy version now counts; only an administrator may, and never
 * on a closed ticket.
 */
describe('re-applying the policy to a running ticket', () => {
  let p: Platform;
  let operator: string;
  let admin: string;
  let supervisor: string;

  beforeAll(async () => {
    p = await startPlatform();
    operator = await login(p.urls.intake, 'operator');
    admin = await login(p.urls.intake, 'admin');
    supervisor = await login(p.urls.intake, 'supervisor');
  });

  afterAll(async () => {
    await p?.stop();
  });

  it('saves versions of one policy set sent at once, each under the next number', async () => {
    const code = `PAR${Date.now().toString(36).toUpperCase()}`;
    const saved = await Promise.all(
      [1, 2, 3, 4, 5].map(() => saveQuickSignPolicy(p, admin, code, '并发保存')),
    );
    expect(saved.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    expect(saved.map((r) => r.body.version as number).sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it('the ledger shows the policy set now in force, copied from the workflow; the one it started with stays', async () => {
    const no = await createTicket(p, operator);
    const url = `${p.urls.intake}/api/v1/tickets/${no}`;
    const started = await eventually('the ticket dispatched', async () => {
      const t = await http('GET', url, { token: operator });
      return t.body.status === 'dispatched' ? t.body : undefined;
    });
    expect(started.policyInForce).toEqual({ code: started.policy.code, version: started.policy.version });

    const code = `PIF${Date.now().toString(36).toUpperCase()}`;
    const saved = await saveQuickSignPolicy(p, admin, code, '在用时限');
    expect(saved.status).toBe(201);
    const activate = (set: string) =>
      http('PUT', `${p.urls.intake}/api/v1/admin/active-policy-set`, { token: admin, body: { code: set } });
    expect((await activate(code)).status).toBe(200);
    try {
      const r = await http('POST', `${p.urls.intake}/api/v1/admin/tickets/${no}/reapply-policy`, {
        token: admin,
      });
      expect([r.status, r.body.alreadyApplied]).toEqual([200, false]);
    } finally {
      expect((await activate(started.policy.code)).status).toBe(200);
    }
    const after = await eventually('the ledger copies the policy in force', async () => {
      const t = await http('GET', url, { token: operator });
      return t.body.policyInForce?.code === code ? t.body : undefined;
    });
    expect(after.policyInForce).toEqual({ code, version: saved.body.version });
    expect(after.policy).toEqual(started.policy);
  });

  it('leaves an entry in the ticket history, with the administrator as actor', async () => {
    const no = await createTicket(p, operator);
    const url = `${p.urls.intake}/api/v1/tickets/${no}`;
    await eventually('the ticket dispatched', async () => {
      const t = await http('GET', url, { token: operator });
      return t.body.status === 'dispatched';
    });

    const refused = await http('POST', `${p.urls.intake}/api/v1/admin/tickets/${no}/reapply-policy`, {
      token: supervisor,
    });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('forbidden');

    const reapply = () =>
      http('POST', `${p.urls.intake}/api/v1/admin/tickets/${no}/reapply-policy`, { token: admin });
    // The policy and calendar the ticket runs on already: nothing to apply, nothing recorded.
    const same = await reapply();
    expect([same.status, same.body.alreadyApplied]).toEqual([200, true]);
    // An administrator marks a day of the calendar's span (this year and the next): applied, recorded.
    const day = `${new Date().getUTCFullYear() + 1}-06-06`;
    const days = `${p.urls.intake}/api/v1/admin/calendars/cn-mainland/days/${day}`;
    expect(
      (await http('PUT', days, { token: admin, body: { kind: 'holiday', note: '重新适用测试' } })).status,
    ).toBe(200);
    try {
      const applied = await eventually('the edited calendar applied', async () => {
        const r = await reapply();
        return r.body.alreadyApplied === false ? r : undefined;
      });
      expect(applied).toMatchObject({ status: 200, body: { ticketNo: no, alreadyApplied: false } });
      expect((await reapply()).body.alreadyApplied).toBe(true);
    } finally {
      await http('PUT', days, { token: admin, body: { kind: 'normal' } });
    }

    const entry = await eventually('the re-application in the history', async () => {
      const t = await http('GET', url, { token: operator });
      return (t.body.history as { type: string; actor: unknown; data: unknown }[]).find(
        (e) => e.type === 'ticket.policy_reapplied',
      );
    });
    const history = (await http('GET', url, { token: operator })).body.history as { type: string }[];
    expect(history.filter((e) => e.type === 'ticket.policy_reapplied')).toHaveLength(1);
    expect(entry.actor).toMatchObject({ kind: 'user', role: 'admin' });
    expect(entry.data).toMatchObject({ code: expect.any(String), version: expect.any(Number) });

    // The calendar changed, not the policy set: the ledger still shows the one the ticket started with.
    const t = await http('GET', url, { token: operator });
    expect(t.body.policyInForce).toEqual({ code: t.body.policy.code, version: t.body.policy.version });

    const unknown = await http(
      'POST',
      `${p.urls.intake}/api/v1/admin/tickets/20990101000001/reapply-policy`,
      {
        token: admin,
      },
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('ticket_not_found');
  });
});
