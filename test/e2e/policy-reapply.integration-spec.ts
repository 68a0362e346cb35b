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
