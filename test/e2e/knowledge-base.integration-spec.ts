import { eventually, http, login, startPlatform, TICKET_BODY } from '../harness';
import type { Platform } from '../harness';

/**
 * The knowledge base on the real stack (RULES §5): a unit's liaison writes an entry, its leader's
 * approval publishes it, operators find it and answer a citizen directly from it; a new version
 * replaces it once approved; an outdated entry is withdrawn and no longer found; one past its review
 * day is listed as stale for the centre.
 */
describe('the knowledge base (e2e)', () => {
  let p: Platform;
  let operator: string;
  let housing: string;
  let transport: string;
  const tag = Date.now().toString(36);

  beforeAll(async () => {
    p = await startPlatform();
    [operator, housing, transport] = await Promise.all(
      ['operator', 'clerk.housing', 'clerk.transport'].map((u) => login(p.urls.intake, u)),
    );
  });
  afterAll(async () => {
    await p?.stop();
  });

  const write = (token: string, body: Record<string, unknown>) =>
    http('POST', `${p.urls.dispatch}/api/v1/knowledge`, { token, body });
  const review = (token: string, id: string, approve: boolean, leaderName = '王局长') =>
    http('POST', `${p.urls.dispatch}/api/v1/knowledge/${id}/review`, {
      token,
      body: { approve, leaderName },
    });
  const search = (q: string, extra = '') =>
    http('GET', `${p.urls.intake}/api/v1/knowledge?q=${encodeURIComponent(q)}${extra}`, { token: operator });

  it('publishes a unit’s entry once its leader approves; operators find it and answer from it', async () => {
    const title = `加装电梯补贴${tag}`;
    const first = await write(housing, {
      title,
      content: '既有住宅加装电梯，市级财政按每台20万元给予补贴。',
      keywords: ['加装电梯', '补贴', '加装电梯'],
      validUntil: '2099-12-31',
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      status: 'pending',
      unitId: 'housing',
      keywords: ['加装电梯', '补贴'],
    });
    // Not found before its leader approves; another unit cannot approve it.
    expect((await search(title)).body.total).toBe(0);
    expect((await review(transport, first.body.id, true)).status).toBe(404);
    const noLeader = await review(housing, first.body.id, true, ' ');
    expect([noLeader.status, noLeader.body.code]).toEqual([400, 'validation_failed']);
    const published = await review(housing, first.body.id, true);
    expect(published.body).toMatchObject({
      status: 'published',
      leaderName: '王局长',
      reviewedByLeader: false,
    });
    expect((await review(housing, first.body.id, true)).body.status).toBe('published');
    expect((await review(housing, first.body.id, false)).status).toBe(409);

    const found = await search(`${tag} 补贴`);
    expect(found.body.items.map((v: { id: string }) => v.id)).toEqual([first.body.id]);
    expect((await search(`${tag} 停车`)).body.total).toBe(0);
    // Each term is cut into its words (jieba): they need not stand together, nor in the typed order.
    for (const q of [`电梯加装的补贴${tag}`, `${tag}市级补贴`, `补贴 ${tag} 每台`])
      expect((await search(q)).body.items.map((v: { id: string }) => v.id)).toEqual([first.body.id]);
    expect((await search(`电梯维修${tag}`)).body.total).toBe(0);
    // A wildcard typed by the operator is a character, not a pattern.
    expect((await search('%')).body.items.every((v: { title: string }) => v.title.includes('%'))).toBe(true);
    // Six words are refused, as in the ledger: the sixth was dropped and entries without it answered.
    const six = await search(`${tag} 补贴 每台 市级 财政 完全不存在的词`);
    expect([six.status, six.body.code]).toEqual([400, 'validation_failed']);
    // Nor more than 12 words once cut (five terms of three words each): none is dropped silently.
    const cut = await search('a1.a2.a3 b1.b2.b3 c1.c2.c3 d1.d2.d3 e1.e2.e3');
    expect([cut.status, cut.body.code]).toEqual([400, 'validation_failed']);
    // Text that shows nothing is refused, not stored empty.
    for (const blank of [
      { title: '   ', content: '内容' },
      { title: '标题', content: '\u3000\u200b' },
      { title: '标题', content: '内容', keywords: ['  '] },
    ]) {
      const r = await write(housing, blank);
      expect([r.status, r.body.code]).toEqual([400, 'validation_failed']);
    }
    const blankReason = await http(
      'POST',
      `${p.urls.dispatch}/api/v1/knowledge/entries/${first.body.entryId}/withdrawal`,
      {
        token: housing,
        body: { reason: '   ' },
      },
    );
    expect([blankReason.status, blankReason.body.code]).toEqual([400, 'validation_failed']);

    // The operator answers a citizen directly from it: the ticket closes to the callback with its text.
    const t = await http('POST', `${p.urls.intake}/api/v1/tickets`, {
      token: operator,
      body: {
        ...TICKET_BODY,
        kind: 'consultation',
        disposition: { type: 'direct_answer', knowledgeEntryId: first.body.entryId },
      },
    });
    expect(t.status).toBe(201);
    const answered = await eventually('answered from the knowledge base', async () => {
      const r = await http('GET', `${p.urls.intake}/api/v1/tickets/${t.body.ticketNo}`, { token: operator });
      return (r.body.history ?? []).find((e: { type: string }) => e.type === 'ticket.answered_directly');
    });
    expect(answered.data.answer).toBe('既有住宅加装电梯，市级财政按每台20万元给予补贴。');

    // A new version replaces it once approved; until then the old one is what operators find.
    const second = await write(housing, {
      entryId: first.body.entryId,
      title,
      content: '既有住宅加装电梯，市级财政按每台25万元给予补贴（2027年起）。',
    });
    expect((await search(title)).body.items[0].id).toBe(first.body.id);
    await review(housing, second.body.id, true);
    expect((await search(title)).body.items.map((v: { id: string }) => v.id)).toEqual([second.body.id]);
    const mine = await http('GET', `${p.urls.dispatch}/api/v1/knowledge?limit=100`, { token: housing });
    const statuses = Object.fromEntries(
      mine.body.items.map((v: { id: string; status: string }) => [v.id, v.status]),
    );
    expect([statuses[first.body.id], statuses[second.body.id]]).toEqual(['superseded', 'published']);
    const theirs = await http('GET', `${p.urls.dispatch}/api/v1/knowledge?limit=100`, { token: transport });
    expect(theirs.body.items.some((v: { entryId: string }) => v.entryId === first.body.entryId)).toBe(false);
    // Another unit cannot write a version of it.
    expect((await write(transport, { entryId: first.body.entryId, title: 'x', content: 'y' })).status).toBe(
      404,
    );

    // Outdated: withdrawn, no longer found, nor usable for an answer.
    const withdrawal = (token: string) =>
      http('POST', `${p.urls.dispatch}/api/v1/knowledge/entries/${first.body.entryId}/withdrawal`, {
        token,
        body: { reason: '补贴政策调整，条目过时。' },
      });
    expect((await withdrawal(transport)).status).toBe(404);
    const withdrawn = await withdrawal(housing);
    expect(withdrawn.body.status).toBe('withdrawn');
    // Again (a retried request): answered with that withdrawal, nothing changed.
    const again = await withdrawal(housing);
    expect([again.status, again.body.id, again.body.withdrawnAt]).toEqual([
      200,
      withdrawn.body.id,
      withdrawn.body.withdrawnAt,
    ]);
    expect((await search(title)).body.total).toBe(0);
    const stale = await http('POST', `${p.urls.intake}/api/v1/tickets`, {
      token: operator,
      body: {
        ...TICKET_BODY,
        kind: 'consultation',
        disposition: { type: 'direct_answer', knowledgeEntryId: first.body.entryId },
      },
    });
    expect([stale.status, stale.body.code]).toEqual([400, 'validation_failed']);
  });

  it('two versions of one entry approved at the same moment publish one after the other, one left published', async () => {
    const title = `垃圾分类${tag}`;
    const base = await write(housing, { title, content: '厨余垃圾投放时间为每日7-9时。' });
    const versions = await Promise.all(
      [1, 2, 3].map((n) =>
        write(housing, { entryId: base.body.entryId, title, content: `厨余垃圾投放时间第${n}版。` }),
      ),
    );
    const reviewed = await Promise.all([base, ...versions].map((v) => review(housing, v.body.id, true)));
    // Each is published in turn, or finds a newer version approved before it (then never published).
    for (const r of reviewed) expect([200, 409]).toContain(r.status);
    expect(reviewed.filter((r) => r.status === 409).every((r) => r.body.code === 'conflict')).toBe(true);
    const found = await search(title);
    expect(found.body.total).toBe(1);
  });

  it('never publishes an older draft over a newer version, nor a draft of an entry withdrawn after it', async () => {
    const title = `停车收费${tag}`;
    const v1 = await write(housing, { title, content: '小区停车收费标准第1版。' });
    expect((await review(housing, v1.body.id, true)).body.status).toBe('published');
    const entryId = v1.body.entryId as string;
    const v2 = await write(housing, { entryId, title, content: '小区停车收费标准第2版。' });
    const v3 = await write(housing, { entryId, title, content: '小区停车收费标准第3版。' });
    expect((await review(housing, v3.body.id, true)).body.status).toBe('published');
    const older = await review(housing, v2.body.id, true);
    expect([older.status, older.body.code]).toEqual([409, 'conflict']);
    const found = await search(title);
    expect(found.body.items.map((v: { id: string }) => v.id)).toEqual([v3.body.id]);

    // A draft written before the entry was withdrawn goes with it; one written after is a new text.
    const draft = await write(housing, { entryId, title, content: '小区停车收费标准第4版。' });
    const withdrawn = await http(
      'POST',
      `${p.urls.dispatch}/api/v1/knowledge/entries/${entryId}/withdrawal`,
      {
        token: housing,
        body: { reason: '收费标准已由物价部门统一调整，本条目过时。' },
      },
    );
    expect([withdrawn.status, withdrawn.body.id]).toEqual([200, v3.body.id]);
    const late = await review(housing, draft.body.id, true);
    expect([late.status, late.body.code]).toEqual([409, 'conflict']);
    expect((await search(title)).body.total).toBe(0);
    const again = await http('POST', `${p.urls.dispatch}/api/v1/knowledge/entries/${entryId}/withdrawal`, {
      token: housing,
      body: { reason: '收费标准已由物价部门统一调整，本条目过时。' },
    });
    expect([again.status, again.body.id]).toEqual([200, v3.body.id]);
    const fresh = await write(housing, { entryId, title, content: '小区停车收费新标准（2027年起）。' });
    expect((await review(housing, fresh.body.id, true)).body.status).toBe('published');
    expect((await search(title)).body.items.map((v: { id: string }) => v.id)).toEqual([fresh.body.id]);
  });

  it('shows the best match first: the words in the title, then in the keywords, then in the content', async () => {
    const mark = `${tag}rank`; // these three entries only
    const entries = [
      { title: `1 停水通知${mark}`, content: '因燃气管道施工，鼓楼区部分小区停水。', keywords: [] },
      { title: `2 施工安全${mark}`, content: '施工期间请绕行。', keywords: ['燃气'] },
      { title: `3 燃气报修${mark}`, content: '拨打报修电话，24小时有人值守。', keywords: [] },
    ];
    const ids: string[] = [];
    for (const e of entries) {
      const v = await write(housing, e);
      expect((await review(housing, v.body.id, true)).status).toBe(200);
      ids.push(v.body.id);
    }
    const found = await search(`燃气 ${mark}`);
    expect(found.body.items.map((v: { id: string }) => v.id)).toEqual([ids[2], ids[1], ids[0]]);
    // Found alike (the mark in every title): by title.
    const listed = await search(mark);
    expect(listed.body.items.map((v: { id: string }) => v.id)).toEqual(ids);
    // No words at all: every published entry of the unit, by title.
    const all = await http('GET', `${p.urls.intake}/api/v1/knowledge?unitId=housing&limit=100`, {
      token: operator,
    });
    expect(all.status).toBe(200);
    const titles = (all.body.items as { title: string }[]).map((v) => v.title);
    expect(titles.length).toBeGreaterThanOrEqual(3);
  });

  it('lists entries past their review day as stale, for the centre to chase', async () => {
    const title = `停车收费标准${tag}`;
    // A review day already past is refused when written: the entry would be outdated from its first day.
    const late = await write(transport, { title, content: '路内停车首小时5元。', validUntil: '2020-01-01' });
    expect([late.status, late.body.code, late.body.field]).toEqual([400, 'validation_failed', 'validUntil']);
    const old = await write(transport, { title, content: '路内停车首小时5元。', validUntil: '2099-01-01' });
    await review(transport, old.body.id, true, '张局长');
    // Its review day passes.
    await p.db.query(`UPDATE knowledge.versions SET valid_until = '2020-01-01' WHERE id = $1`, [old.body.id]);
    const stale = await search(title, '&stale=true');
    expect(stale.body.items.map((v: { id: string }) => v.id)).toEqual([old.body.id]);
    // The operators' search marks it, so the one answering from it sees it may be outdated.
    const found = (await search(title)).body.items as { id: string; stale: boolean }[];
    expect(found.find((v) => v.id === old.body.id)?.stale).toBe(true);
    const fresh = await write(transport, {
      title: `${title}新`,
      content: '路内停车首小时6元。',
      validUntil: '2099-01-01',
    });
    await review(transport, fresh.body.id, true, '张局长');
    expect((await search(`${title}新`, '&stale=true')).body.total).toBe(0);
    const freshFound = (await search(`${title}新`)).body.items as { id: string; stale: boolean }[];
    expect(freshFound.find((v) => v.id === fresh.body.id)?.stale).toBe(false);
    expect((await search(title, '&stale=maybe')).status).toBe(400);
  });

  it("a unit leader's own account approves in person, in its own name; a unit that wants that refuses its clerk", async () => {
    const [gulou, gulouLeader, hunan, hunanLeader] = await Promise.all(
      ['clerk.gulou', 'leader.gulou', 'clerk.hunan', 'leader.hunan'].map((u) => login(p.urls.intake, u)),
    );
    const entry = await write(gulou, {
      title: `社区议事规则${tag}`,
      content: '社区重大事项由居民议事会讨论决定。',
    });
    expect(entry.status).toBe(201);
    const approved = await http('POST', `${p.urls.dispatch}/api/v1/knowledge/${entry.body.id}/review`, {
      token: gulouLeader,
      body: { approve: true },
    });
    expect(approved.body).toMatchObject({
      status: 'published',
      leaderName: '李副区长',
      reviewedByLeader: true,
    });
    // 湖南路街道 wants its leader in person: its clerk's review in the leader's name is refused.
    const street = await write(hunan, {
      title: `街道办事指南${tag}`,
      content: '居住证明到街道便民服务中心办理。',
    });
    const byClerk = await review(hunan, street.body.id, true, '王主任');
    expect([byClerk.status, byClerk.body.code]).toEqual([403, 'leader_review_required']);
    const byLeader = await http('POST', `${p.urls.dispatch}/api/v1/knowledge/${street.body.id}/review`, {
      token: hunanLeader,
      body: { approve: true },
    });
    expect(byLeader.body).toMatchObject({
      status: 'published',
      leaderName: '王主任',
      reviewedByLeader: true,
    });
  });
});
