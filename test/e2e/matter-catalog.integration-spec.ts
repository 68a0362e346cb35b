import { eventually, http, login, startPlatform, TICKET_BODY } from '../harness';
import type { Platform } from '../harness';

/**
 * The matter catalog changes only on a unit's application approved by the centre (RULES §5), and
 * routing follows it at once: a new matter's tickets go to the unit that applied for it; a matter
 * removed is no longer registered under its category.
 */
describe('matter catalog applications (e2e)', () => {
  let p: Platform;
  let operator: string;
  let reviewer: string;
  let transport: string;
  let housing: string;

  beforeAll(async () => {
    p = await startPlatform();
    [operator, reviewer, transport, housing] = await Promise.all(
      ['operator', 'reviewer', 'clerk.transport', 'clerk.housing'].map((u) => login(p.urls.intake, u)),
    );
  });
  afterAll(async () => {
    await p?.stop();
  });

  const apply = (token: string, body: Record<string, unknown>) =>
    http('POST', `${p.urls.dispatch}/api/v1/catalog-applications`, { token, body });
  const decide = (id: string, approve: boolean, note = '') =>
    http('POST', `${p.urls.intake}/api/v1/catalog-applications/${id}/decision`, {
      token: reviewer,
      body: { approve, note },
    });
  const register = (category: string) =>
    http('POST', `${p.urls.intake}/api/v1/tickets`, { token: operator, body: { ...TICKET_BODY, category } });

  it('an application sent again under one Idempotency-Key, also three at once, is the one application', async () => {
    const body = {
      action: 'add',
      name: '共享单车停放管理',
      category: `bikes-key-${Date.now().toString(36)}`,
      reason: '依据市政府办公厅文件，共享单车停放管理职责划入本局。',
    };
    const key = `apply-${Date.now()}`;
    const keyed = () =>
      http('POST', `${p.urls.dispatch}/api/v1/catalog-applications`, {
        token: transport,
        body,
        headers: { 'idempotency-key': key },
      });
    const sent = await Promise.all([keyed(), keyed(), keyed()]);
    expect(sent.map((r) => r.status)).toEqual([201, 201, 201]);
    expect(new Set(sent.map((r) => r.body.id)).size).toBe(1);
    expect((await keyed()).body.id).toBe(sent[0].body.id);
    const [{ n }] = await p.db.query(
      `SELECT count(*)::int AS n FROM catalog.entry_applications WHERE category = $1`,
      [body.category],
    );
    expect(n).toBe(1);
    // Another application under the key is refused; the application stays pending for the centre.
    const other = await http('POST', `${p.urls.dispatch}/api/v1/catalog-applications`, {
      token: transport,
      body: { ...body, name: '另一事项' },
      headers: { 'idempotency-key': key },
    });
    expect(other.status).toBe(422);
    expect((await decide(sent[0].body.id, false, '不予新增。')).status).toBe(200);
  });

  it('adds a matter on its unit’s application once the centre approves, and its tickets go to that unit', async () => {
    const category = `bikes-${Date.now().toString(36)}`;
    const asked = await apply(transport, {
      action: 'add',
      name: '共享单车停放管理',
      category,
      reason: '依据市政府办公厅文件，共享单车停放管理职责划入本局。',
    });
    expect(asked.status).toBe(201);
    expect(asked.body).toMatchObject({
      unitId: 'transport',
      action: 'add',
      status: 'pending',
      entryId: null,
    });
    // Not in the catalog until the centre approves.
    expect((await register(category)).body.code).toBe('unknown_category');
    const pending = await http(
      'GET',
      `${p.urls.intake}/api/v1/catalog-applications?status=pending&limit=100`,
      {
        token: reviewer,
      },
    );
    expect(pending.body.items.map((a: { id: string }) => a.id)).toContain(asked.body.id);

    const approved = await decide(asked.body.id, true, '同意。');
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      status: 'approved',
      decidedBy: expect.any(String),
      decisionNote: '同意。',
    });
    const entryId = approved.body.entryId as string;
    expect(entryId).toMatch(new RegExp(`^m-${category}-`));
    // The same decision again is that decision; another one is too late.
    expect((await decide(asked.body.id, true)).body).toMatchObject({ status: 'approved', entryId });
    expect((await decide(asked.body.id, false)).status).toBe(409);

    const t = await register(category);
    expect(t.status).toBe(201);
    await eventually(
      'the new matter’s ticket on the transport desk',
      async () =>
        (await http('GET', `${p.urls.dispatch}/api/v1/tickets/${t.body.ticketNo}`, { token: transport }))
          .status === 200,
    );
    const mine = await http('GET', `${p.urls.dispatch}/api/v1/catalog-entries?limit=100`, {
      token: transport,
    });
    expect(mine.body.items.map((e: { id: string }) => e.id)).toContain(entryId);
    expect(mine.body.items.every((e: { unitId: string }) => e.unitId === 'transport')).toBe(true);

    // Another unit cannot change or remove it; its own unit removes it, and the category is gone.
    const foreign = await apply(housing, { action: 'remove', entryId, reason: '不属本单位' });
    expect([foreign.status, foreign.body.code]).toEqual([404, 'not_found']);
    const removal = await apply(transport, { action: 'remove', entryId, reason: '职责划出。' });
    expect((await decide(removal.body.id, true)).body.status).toBe('approved');
    expect((await register(category)).body.code).toBe('unknown_category');
    const again = await apply(transport, { action: 'change', entryId, name: '新名称', reason: '改名' });
    expect(again.status).toBe(404);
  });

  it('changes an entry the unit has, keeping what the application does not name; a refusal changes nothing', async () => {
    const before = (
      await http('GET', `${p.urls.intake}/api/v1/catalog-entries?category=bus`, { token: operator })
    ).body.items[0];
    expect(before).toMatchObject({ id: 'm-bus', unitId: 'transport' });
    const refused = await apply(transport, {
      action: 'change',
      entryId: 'm-bus',
      name: '公交',
      reason: '简化名称',
    });
    expect((await decide(refused.body.id, false, '名称应完整。')).body).toMatchObject({ status: 'refused' });
    const change = await apply(transport, {
      action: 'change',
      entryId: 'm-bus',
      priority: 60,
      reason: '优先于区级条目',
    });
    expect((await decide(change.body.id, true)).body.status).toBe('approved');
    const after = (
      await http('GET', `${p.urls.intake}/api/v1/catalog-entries?category=bus`, { token: operator })
    ).body.items[0];
    expect(after).toEqual({ ...before, priority: 60 });
    const own = await http('GET', `${p.urls.dispatch}/api/v1/catalog-applications?limit=100`, {
      token: transport,
    });
    expect(own.body.items.map((a: { id: string }) => a.id)).toEqual(
      expect.arrayContaining([refused.body.id, change.body.id]),
    );
    const theirs = await http('GET', `${p.urls.dispatch}/api/v1/catalog-applications?limit=100`, {
      token: housing,
    });
    expect(theirs.body.items.some((a: { id: string }) => a.id === change.body.id)).toBe(false);
  });

  it('the centre adds a matter for a unit itself after dispatching such a ticket by hand (特事特办)', async () => {
    const category = `elevator-${Date.now().toString(36)}`;
    const body = {
      unitId: 'housing',
      name: '老旧小区加装电梯',
      category,
      reason: '特事特办工单已派住建局办理，此类事项今后按此派单。',
    };
    const byOperator = await http('POST', `${p.urls.intake}/api/v1/catalog-entries`, {
      token: operator,
      body,
    });
    expect(byOperator.status).toBe(403);
    const unknown = await http('POST', `${p.urls.intake}/api/v1/catalog-entries`, {
      token: reviewer,
      body: { ...body, unitId: 'no-such-unit' },
    });
    expect([unknown.status, unknown.body.code]).toEqual([400, 'unknown_unit']);
    const added = await http('POST', `${p.urls.intake}/api/v1/catalog-entries`, { token: reviewer, body });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ unitId: 'housing', action: 'add', status: 'approved' });
    expect(added.body.entryId).toMatch(new RegExp(`^m-${category}-`));
    const t = await register(category);
    expect(t.status).toBe(201);
    await eventually(
      'routed to housing',
      async () =>
        (await http('GET', `${p.urls.dispatch}/api/v1/tickets/${t.body.ticketNo}`, { token: housing }))
          .status === 200,
    );
    // A matter the catalog covers is not the centre's to add again (its unit applies to change it),
    // and a name or reason that shows nothing is refused.
    const covered = await http('POST', `${p.urls.intake}/api/v1/catalog-entries`, {
      token: reviewer,
      body: { ...body, unitId: 'environment' },
    });
    expect([covered.status, covered.body.code]).toEqual([409, 'catalog_matter_exists']);
    const seeded = await http('POST', `${p.urls.intake}/api/v1/catalog-entries`, {
      token: reviewer,
      body: { ...body, category: 'bus', unitId: 'housing' },
    });
    expect([seeded.status, seeded.body.code]).toEqual([409, 'catalog_matter_exists']);
    for (const blank of [{ name: '   ' }, { reason: '\u3000\u200b' }]) {
      const r = await http('POST', `${p.urls.intake}/api/v1/catalog-entries`, {
        token: reviewer,
        body: { ...body, category: `${category}-x`, ...blank },
      });
      expect([r.status, r.body.code]).toEqual([400, 'validation_failed']);
    }
  });

  it('the centre adding one matter for several units at once: one entry, and no application left pending', async () => {
    const category = `race-${Date.now().toString(36)}`;
    const units = ['housing', 'transport', 'environment', 'market'];
    const added = await Promise.all(
      units.map((unitId) =>
        http('POST', `${p.urls.intake}/api/v1/catalog-entries`, {
          token: reviewer,
          body: { unitId, name: '竞态事项', category, reason: '特事特办后纳入承办事项库。' },
        }),
      ),
    );
    expect(added.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    const [{ pending }] = await p.db.query(
      `SELECT count(*)::int AS pending FROM catalog.entry_applications WHERE category = $1 AND status = 'pending'`,
      [category],
    );
    expect(pending).toBe(0);
  });

  it('holds one entry per matter: a second one for the same category and region is refused', async () => {
    const category = `stalls-${Date.now().toString(36)}`;
    const ask = (token: string, regionCode?: string) =>
      apply(token, {
        action: 'add',
        name: '占道经营管理',
        category,
        ...(regionCode ? { regionCode } : {}),
        reason: '依据职责分工申请纳入承办事项库。',
      });
    // Two units apply at once for the same matter: the first approved holds it, the other is refused.
    const [a, b] = [await ask(transport), await ask(housing)];
    expect([a.status, b.status]).toEqual([201, 201]);
    expect((await decide(a.body.id, true)).body.status).toBe('approved');
    const second = await decide(b.body.id, true);
    expect([second.status, second.body.code]).toEqual([409, 'catalog_matter_exists']);
    expect((await decide(b.body.id, false)).body.status).toBe('refused');
    // Now asked, it is refused at once; a narrower region is another matter's scope, taken.
    const late = await ask(housing);
    expect([late.status, late.body.code]).toEqual([409, 'catalog_matter_exists']);
    const district = await ask(housing, 'gulou');
    expect(district.status).toBe(201);
    // A change onto the matter another entry holds is refused too.
    const own = await http('GET', `${p.urls.dispatch}/api/v1/catalog-entries?limit=100`, {
      token: transport,
    });
    const entryId = own.body.items.find((e: { category: string }) => e.category === category).id as string;
    const onto = await apply(transport, { action: 'change', entryId, category: 'bus', reason: '改类' });
    expect([onto.status, onto.body.code]).toEqual([409, 'catalog_matter_exists']);
    const entries = await http(
      'GET',
      `${p.urls.intake}/api/v1/catalog-entries?category=${category}&limit=100`,
      {
        token: reviewer,
      },
    );
    expect(
      entries.body.items.filter((e: { regionCode: string | null }) => e.regionCode === null),
    ).toHaveLength(1);
  });

  it('answers bad applications and decisions with a clear problem', async () => {
    for (const [body, code] of [
      [{ action: 'rename', entryId: 'm-bus', reason: 'x' }, 'validation_failed'],
      [{ action: 'add', name: '测试', category: 'Bad Category', reason: 'x' }, 'validation_failed'],
      [{ action: 'add', category: 'no-name', reason: 'x' }, 'validation_failed'],
      [{ action: 'add', name: '测试', category: 'x-y', reason: '' }, 'validation_failed'],
      [
        { action: 'add', name: '测试', category: 'x-y', regionCode: 'atlantis', reason: 'x' },
        'unknown_region',
      ],
      [{ action: 'change', reason: 'x' }, 'validation_failed'],
      [{ action: 'add', name: 'a\u0000b', category: 'x-y', reason: 'x' }, 'invalid_text'],
    ] as const) {
      const r = await apply(transport, body);
      expect([r.status >= 400 && r.status < 500, r.body.code]).toEqual([true, code]);
    }
    expect((await decide('00000000-0000-4000-8000-000000000000', true)).status).toBe(404);
    expect((await decide('not-a-uuid', true)).status).toBe(404);
    const notDecider = await http('GET', `${p.urls.intake}/api/v1/catalog-applications`, { token: operator });
    expect(notDecider.status).toBe(403);
  });
});
