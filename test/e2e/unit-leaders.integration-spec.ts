import { hashPassword } from '@hotline/platform';
import { eventually, http, login, startPlatform } from '../harness';
import type { Platform } from '../harness';

/**
 * Unit leaders (单位领导) on the real stack: the administrator makes a unit's user its leader, whose
 * own account then approves the unit's knowledge in person, in its own name; a unit that wants its
 * leader in person refuses its clerk's review in the leader's name (403 leader_review_required).
 * The users and the unit's setting made here are put back.
 */
describe('unit leaders (e2e)', () => {
  let p: Platform;
  let admin: string;
  let operator: string;
  let market: string;
  const tag = Date.now().toString(36);
  const chief = `leader.market.${tag}`;

  beforeAll(async () => {
    p = await startPlatform();
    [admin, operator, market] = await Promise.all(
      ['admin', 'operator', 'clerk.market'].map((u) => login(p.urls.intake, u)),
    );
    await p.db.query(
      `INSERT INTO identity.users (id, username, display_name, password_hash, role, unit_id)
       VALUES ($1, $1, '市场监管局局长', $2, 'unit_clerk', 'market')`,
      [chief, await hashPassword('hotline12345')],
    );
  });
  afterAll(async () => {
    await p?.db.query(`UPDATE catalog.units SET leader_review_in_person = false WHERE id = 'market'`);
    await p?.db.query(`UPDATE identity.users SET active = false, unit_leader = false WHERE username = $1`, [
      chief,
    ]);
    await p?.stop();
  });

  const A = () => `${p.urls.intake}/api/v1/admin`;
  const write = (token: string, title: string) =>
    http('POST', `${p.urls.dispatch}/api/v1/knowledge`, {
      token,
      body: {
        title: `${title}${tag}`,
        content: '经营者应当明码标价，标明商品的品名、产地、规格、等级、计价单位、价格。',
      },
    });
  const review = (token: string, id: string, body: Record<string, unknown>) =>
    http('POST', `${p.urls.dispatch}/api/v1/knowledge/${id}/review`, {
      token,
      body: { approve: true, ...body },
    });

  it("the administrator makes a unit's user its leader, whose own account approves in person, in its own name", async () => {
    const granted = await http('PUT', `${A()}/users/${chief}/unit-leader`, {
      token: admin,
      body: { unitLeader: true },
    });
    expect(granted.body).toEqual({ username: chief, unitId: 'market', unitLeader: true });
    const leader = await login(p.urls.intake, chief);
    const entry = await write(market, '明码标价');
    const approved = await review(leader, entry.body.id, {});
    expect(approved.body).toMatchObject({ status: 'published', leaderName: '市场监管局局长' });
    // A clerk without a leader's name: refused, as before.
    const other = await write(market, '价格欺诈');
    const unnamed = await review(market, other.body.id, {});
    expect([unnamed.status, unnamed.body.code]).toEqual([400, 'validation_failed']);
  });

  it("a unit that wants its leader in person refuses its clerk's review in the leader's name", async () => {
    const set = await http('PUT', `${A()}/units/market/leader-review`, {
      token: admin,
      body: { leaderReviewInPerson: true },
    });
    expect(set.body).toEqual({ unitId: 'market', leaderReviewInPerson: true });
    // Each try a new entry (the dispatch service reads the unit's setting through its 5-second cache).
    const tryClerk = async (title: string) => {
      const entry = await write(market, `${title}${Math.random()}`);
      return review(market, entry.body.id, { leaderName: '王局长' });
    };
    const refused = await eventually('the unit wants its leader in person', async () => {
      const r = await tryClerk('七日无理由退货');
      return r.status === 403 ? r : null;
    });
    expect(refused.body.code).toBe('leader_review_required');
    await http('PUT', `${A()}/units/market/leader-review`, {
      token: admin,
      body: { leaderReviewInPerson: false },
    });
    await eventually('the clerk records it again', async () => {
      const r = await tryClerk('网购退货');
      return r.status === 200 && r.body.leaderName === '王局长';
    });
  });

  it('refuses anyone but the administrator, a user or unit that does not exist, and a user of no unit', async () => {
    const put = (token: string, path: string, body: unknown) =>
      http('PUT', `${A()}/${path}`, { token, body });
    expect((await put(operator, `users/${chief}/unit-leader`, { unitLeader: true })).status).toBe(403);
    expect((await put(market, `units/market/leader-review`, { leaderReviewInPerson: true })).status).toBe(
      403,
    );
    expect((await put(admin, `users/no-such-user/unit-leader`, { unitLeader: true })).status).toBe(404);
    expect(
      (await put(admin, `units/no-such-unit/leader-review`, { leaderReviewInPerson: true })).status,
    ).toBe(404);
    const operatorUser = await put(admin, `users/operator/unit-leader`, { unitLeader: true });
    expect([operatorUser.status, operatorUser.body.code]).toEqual([409, 'action_rejected']);
    for (const body of [{}, { unitLeader: 'yes' }, { unitLeader: 1 }, { unitLeader: null }])
      expect((await put(admin, `users/${chief}/unit-leader`, body)).status).toBe(400);
    const [{ unit_leader }] = await p.db.query(
      `SELECT unit_leader FROM identity.users WHERE username = 'operator'`,
    );
    expect(unit_leader).toBe(false);
  });
});
