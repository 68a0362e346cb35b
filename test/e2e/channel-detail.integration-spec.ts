import { http, login, startPlatform, TICKET_BODY } from '../harness';
import type { Platform } from '../harness';

/**
 * Which leader mailbox or upper platform a ticket came through (RULES §1), on the real stack: the
 * operator records it, the ledger shows and filters by it, and the policy holds the mailboxes
 * apart (SZ version 3: the acceptance notice is for provincial and city leaders' mailboxes, not a
 * district leader's, a bureau chief's or the conduct hotline's; one not said keeps it).
 */
describe('channel detail (e2e)', () => {
  let p: Platform;
  let operator: string;
  let admin: string;

  beforeAll(async () => {
    p = await startPlatform();
    [operator, admin] = await Promise.all(['operator', 'admin'].map((u) => login(p.urls.intake, u)));
  });
  afterAll(async () => {
    if (admin)
      await http('PUT', `${p.urls.intake}/api/v1/admin/active-policy-set`, {
        token: admin,
        body: { code: 'SQ' },
      });
    await p?.stop();
  });

  const create = (extra: Record<string, unknown>) =>
    http('POST', `${p.urls.intake}/api/v1/tickets`, { token: operator, body: { ...TICKET_BODY, ...extra } });
  const ticket = async (no: string) =>
    (await http('GET', `${p.urls.intake}/api/v1/tickets/${no}`, { token: operator })).body as {
      channelDetail: string | null;
      policy: { code: string; version: number; ruleIds: string[]; limits: { acceptanceNotice: unknown } };
    };

  it('refuses a detail that is not its channel’s, or none that exists', async () => {
    const refused = await Promise.all([
      create({ channel: 'phone', channelDetail: 'mayor' }),
      create({ channel: 'leader_mailbox', channelDetail: 'provincial_12345' }),
      create({ channel: 'upper_platform', channelDetail: 'mayor' }),
      create({ channel: 'leader_mailbox', channelDetail: 'king' }),
      create({ channel: 'leader_mailbox', channelDetail: 7 }),
    ]);
    expect(refused.map((r) => [r.status, r.body.code])).toEqual(
      Array.from({ length: 5 }, () => [400, 'validation_failed']),
    );
  });

  it('under SZ, a mayor’s mailbox letter is owed an acceptance notice; a district leader’s is not', async () => {
    expect(
      (
        await http('PUT', `${p.urls.intake}/api/v1/admin/active-policy-set`, {
          token: admin,
          body: { code: 'SZ' },
        })
      ).status,
    ).toBe(200);
    const made = await Promise.all([
      create({ channel: 'leader_mailbox', channelDetail: 'mayor' }),
      create({ channel: 'leader_mailbox', channelDetail: 'district_leader' }),
      create({ channel: 'leader_mailbox' }),
      create({ channel: 'upper_platform', channelDetail: 'state_council_supervision' }),
    ]);
    expect(made.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    const [mayor, district, unsaid, upper] = await Promise.all(made.map((r) => ticket(r.body.ticketNo)));
    // Version 3 or a later one saved from it (another suite may save a version in the same database).
    expect(mayor).toMatchObject({ channelDetail: 'mayor', policy: { code: 'SZ' } });
    expect(mayor.policy.version).toBeGreaterThanOrEqual(3);
    expect(mayor.policy.limits.acceptanceNotice).toEqual({ amount: 5, unit: 'days' });
    expect(district.channelDetail).toBe('district_leader');
    expect(district.policy.limits.acceptanceNotice).toBeNull();
    expect(district.policy.ruleIds).toContain('sz-leader-mailbox-district-leader');
    expect(unsaid.channelDetail).toBeNull();
    expect(unsaid.policy.limits.acceptanceNotice).toEqual({ amount: 5, unit: 'days' });
    expect(upper.channelDetail).toBe('state_council_supervision');

    // The ledger filters by it.
    const listed = await http(
      'GET',
      `${p.urls.intake}/api/v1/tickets?channelDetail=district_leader&limit=50`,
      { token: operator },
    );
    expect(listed.body.items.map((t: { ticketNo: string }) => t.ticketNo)).toEqual([made[1].body.ticketNo]);
    const bad = await http('GET', `${p.urls.intake}/api/v1/tickets?channelDetail=king`, { token: operator });
    expect([bad.status, bad.body.code]).toEqual([400, 'validation_failed']);
  });
});
