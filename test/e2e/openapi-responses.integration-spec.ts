import {
  callbackAnswer,
  driveTicket,
  eventually,
  expertCase,
  expertHolder,
  GOOD_REPLY,
  http,
  login,
  replyApproved,
  startPlatform,
  TICKET_BODY,
} from '../harness';
import type { Platform } from '../harness';
import { loadDocuments, schemaMismatches, userFor } from '../security/openapi';
import type { Json } from '../security/openapi';
import { OPERATION_ACCESS, operationKey, SERVICES } from '@hotline/shared';
import type { ServiceName } from '@hotline/shared';

/**
 * The answers the OpenAPI documents give a schema (the ticket core's, the callback queue's, the
 * supervision orders') are what the documents say: every field documented, every required one
 * there, each of its type, with the documented success status. A field added to an answer but not
 * to its schema (or the other way round) fails here. And every list of the four services answers
 * one page the same way.
 */
describe('the platform answers as its OpenAPI documents say', () => {
  let p: Platform;
  let docs: Record<ServiceName, Json>;
  let operator: string;
  let reviewer: string;
  const clerks: Record<string, string> = {};
  const checked = new Set<string>();

  beforeAll(async () => {
    p = await startPlatform();
    docs = await loadDocuments(p.urls);
    operator = await login(p.urls.intake, 'operator');
    reviewer = await login(p.urls.intake, 'reviewer');
    for (const unit of ['transport', 'housing']) clerks[unit] = await login(p.urls.intake, `clerk.${unit}`);
  });

  afterAll(async () => {
    await p?.stop();
  });

  /** The request, answered with `status`, and its body held to the documented schema of that status. */
  async function call(
    service: ServiceName,
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    docPath: string,
    token: string,
    opts: { body?: unknown; headers?: Record<string, string>; status?: number } = {},
  ) {
    const res = await http(method, `${p.urls[service]}${path}`, {
      token,
      body: opts.body,
      headers: opts.headers,
    });
    const op = docs[service].paths[docPath][method.toLowerCase()];
    // The success status the document gives (tools/openapi-status.spec.ts: exactly one).
    const status = opts.status ?? Number(Object.keys(op.responses).find((k) => k.startsWith('2')));
    expect({ path, status: res.status, body: res.status === status ? undefined : res.body }).toEqual({
      path,
      status,
      body: undefined,
    });
    const schema = op.responses[String(status)]?.content?.['application/json']?.schema;
    expect({ path, documented: Boolean(schema) }).toEqual({ path, documented: true });
    expect({ path, mismatches: schemaMismatches(docs[service], schema, res.body) }).toEqual({
      path,
      mismatches: [],
    });
    checked.add(`${service} ${method} ${docPath}`);
    return res.body;
  }

  const ticket = { ...TICKET_BODY, address: '鼓楼区中山路128号' };
  const ANSWER = { answer: '您好，人行道维修可拨打12345或登录示范市政务服务网提交，详见知识库条目 K-1024。' };
  const T = '/api/v1/tickets';
  const ONE = '/api/v1/tickets/{ticketNo}';

  /** Once the workflow has dispatched the ticket, the unit's desk shows it. */
  const onDesk = (no: string) =>
    eventually(
      'the ticket on the desk',
      async () =>
        (await http('GET', `${p.urls.dispatch}${T}/${no}`, { token: clerks.transport })).status === 200,
    );
  /** The unit returns the ticket, and the centre decides on the return; both held to their schemas. */
  const returned = async (no: string, decision: Record<string, unknown>) => {
    await call('dispatch', 'POST', `${T}/${no}/return`, `${ONE}/return`, clerks.transport, {
      body: { reason: '该路段属住建部门养护范围，不属于本单位职责。', suggestedUnitId: 'housing' },
    });
    await call('intake', 'POST', `${T}/${no}/return-decision`, `${ONE}/return-decision`, reviewer, {
      body: decision,
    });
  };

  it('registration, the ledger, the desk and every unit and centre action of a course', async () => {
    const LOGIN = '/api/v1/auth/login';
    await call('intake', 'POST', LOGIN, LOGIN, '', {
      body: { username: 'operator', password: 'hotline12345' },
    });
    const key = { 'idempotency-key': `openapi-${Date.now()}` };
    const made = await call('intake', 'POST', T, T, operator, { body: ticket, headers: key });
    const no = made.ticketNo as string;
    const again = await call('intake', 'POST', T, T, operator, { body: ticket, headers: key });
    expect(again).toMatchObject({ ticketNo: no, created: false, queryCode: made.queryCode });
    // The citizen's look-up, with the query code the registration gave.
    const LOOKUP = '/api/v1/public/ticket-lookup';
    const seen = await call('intake', 'POST', LOOKUP, LOOKUP, '', {
      body: { ticketNo: no, queryCode: made.queryCode },
    });
    expect(seen.ticketNo).toBe(no);
    expect(['accepted', 'handling']).toContain(seen.stage);

    // The desk shows it once the workflow has dispatched it.
    await onDesk(no);
    await call('dispatch', 'GET', `${T}?limit=5`, T, clerks.transport);
    await call('dispatch', 'GET', `${T}/summary`, `${T}/summary`, clerks.transport);
    await call('dispatch', 'GET', `${T}/${no}`, ONE, clerks.transport);
    await call('dispatch', 'POST', `${T}/${no}/sign`, `${ONE}/sign`, clerks.transport);
    await call('dispatch', 'POST', `${T}/${no}/extension`, `${ONE}/extension`, clerks.transport, {
      body: { requested: { amount: 1, unit: 'days' }, reason: '需协调燃气、电力管线迁改。' },
    });
    await call('intake', 'POST', `${T}/${no}/extension-decision`, `${ONE}/extension-decision`, reviewer, {
      body: { approve: true },
    });
    await call('dispatch', 'POST', `${T}/${no}/progress-notes`, `${ONE}/progress-notes`, clerks.transport, {
      body: { content: '已联系管线单位现场勘查，定于下周施工。' },
    });
    // The desk's answer with a note on it, held to its schema.
    const withNote = await call('dispatch', 'GET', `${T}/${no}`, ONE, clerks.transport);
    expect(withNote.progressNotes).toHaveLength(1);
    await call('dispatch', 'POST', `${T}/${no}/reply`, `${ONE}/reply`, clerks.transport, {
      body: { content: GOOD_REPLY },
    });
    await call('intake', 'POST', `${T}/${no}/review`, `${ONE}/review`, reviewer, { body: { approve: true } });
    // The SMS callback: no answer, so the manual callback follows; the citizen is satisfied.
    const CB = '/api/v1/callbacks/{ticketNo}';
    const smsKey = { 'idempotency-key': `openapi-sms-${no}` };
    await eventually(
      'the SMS callback open',
      async () =>
        (
          await http('POST', `${p.urls.evaluation}/api/v1/callbacks/${no}/sms`, {
            token: operator,
            body: { verdict: null },
            headers: smsKey,
          })
        ).status === 200,
    );
    // Repeated with its key: the first answer again.
    await call('evaluation', 'POST', `/api/v1/callbacks/${no}/sms`, `${CB}/sms`, operator, {
      body: { verdict: null },
      headers: smsKey,
    });
    const closed = await call(
      'evaluation',
      'POST',
      `/api/v1/callbacks/${no}/manual`,
      `${CB}/manual`,
      operator,
      {
        body: { verdict: 'satisfied' },
      },
    );
    expect(closed.status).toBe('closed');
    // The closed-tickets register (evaluation), newest first.
    const REGISTER = '/api/v1/closed-tickets';
    const entry = await eventually('the ticket in the closed-tickets register', async () =>
      (
        (await call('evaluation', 'GET', `${REGISTER}?limit=200`, REGISTER, reviewer)).items as {
          ticketNo: string;
        }[]
      ).find((t) => t.ticketNo === no),
    );
    expect(entry).toMatchObject({ unitId: 'transport', outcome: 'satisfied', evaluationStatus: 'done' });
    const ledger = await call('intake', 'GET', `${T}/${no}`, ONE, operator);
    expect(ledger.history.length).toBeGreaterThan(5);

    // The check itself sees a missing, an undocumented, a mistyped and an unknown value.
    const schema = docs.intake.paths[ONE].get.responses['200'].content['application/json'].schema;
    const { title: _title, ...untitled } = ledger;
    const broken = { ...untitled, bogus: 1, status: 'lost', createdAt: 5 };
    broken.history = [{ ...ledger.history[0], seq: 'one' }];
    expect(schemaMismatches(docs.intake, schema, broken).sort()).toEqual(
      [
        '$.title: required, missing',
        '$.bogus: not documented',
        '$.status: "lost" is not in its enum',
        '$.createdAt: 5 is not a string',
        '$.history[0].seq: "one" is not an integer',
      ].sort(),
    );
    await call('intake', 'GET', `${T}?limit=5`, T, operator);
    await call('intake', 'POST', `${T}/search`, `${T}/search`, operator, {
      body: { limit: 5, status: 'dispatched' },
    });
  });

  it("each service's health; a complainant revealed, and the reveal in the access log", async () => {
    for (const service of SERVICES) await call(service, 'GET', '/health', '/health', '');
    const no = (await call('intake', 'POST', T, T, operator, { body: ticket })).ticketNo as string;
    const supervisor = await login(p.urls.intake, 'supervisor');
    const REVEAL = '/api/v1/tickets/{ticketNo}/complainant/reveal';
    const revealed = await call('intake', 'POST', `${T}/${no}/complainant/reveal`, REVEAL, supervisor, {
      body: { reason: '人工回访需拨打来电人电话' },
    });
    expect(revealed).toMatchObject({ ticketNo: no, complainantPhone: '13800138000' });
    const LOG = '/api/v1/audit/personal-data-access';
    const log = await call(
      'intake',
      'GET',
      `${LOG}?ticketNo=${no}`,
      LOG,
      await login(p.urls.intake, 'auditor'),
    );
    expect(log.items).toEqual([
      expect.objectContaining({ id: revealed.accessId, action: 'reveal', username: 'supervisor' }),
    ]);
    // The administrator's trail: every change to accounts and configuration.
    const TRAIL = '/api/v1/audit/admin-actions';
    const trail = await call(
      'intake',
      'GET',
      `${TRAIL}?limit=5`,
      TRAIL,
      await login(p.urls.intake, 'auditor'),
    );
    expect(trail.items.length).toBeGreaterThan(0);
  });

  it("an administrator's routes: the active policy set, the calendar's days, a policy re-applied, a user's access", async () => {
    const admin = await login(p.urls.intake, 'admin');
    const A = '/api/v1/admin';
    // The same set again: nothing changes for the other tests of the run.
    const active = await call('intake', 'PUT', `${A}/active-policy-set`, `${A}/active-policy-set`, admin, {
      body: { code: 'SQ' },
    });
    expect(active).toEqual({ active: 'SQ' });
    const DAYS = `${A}/calendars/{id}/days`;
    const days = await call('intake', 'GET', `${A}/calendars/cn-mainland/days?year=2026`, DAYS, admin);
    expect(days.items.length).toBeGreaterThan(0);
    // A day far beyond any deadline, cleared (it had no override): the calendar stays as it is.
    const set = await call(
      'intake',
      'PUT',
      `${A}/calendars/cn-mainland/days/2099-01-05`,
      `${DAYS}/{day}`,
      admin,
      {
        body: { kind: 'normal' },
      },
    );
    expect(set).toEqual({ day: '2099-01-05', kind: 'normal' });
    const no = (await call('intake', 'POST', T, T, operator, { body: ticket })).ticketNo as string;
    await onDesk(no);
    const R = `${A}/tickets/{ticketNo}/reapply-policy`;
    await call('intake', 'POST', `${A}/tickets/${no}/reapply-policy`, R, admin);
    // A user no other test of this file uses; active again at the end.
    const U = `${A}/users/{username}`;
    const who = 'clerk.environment';
    expect(await call('intake', 'POST', `${A}/users/${who}/deactivate`, `${U}/deactivate`, admin)).toEqual({
      username: who,
      active: false,
    });
    expect(await call('intake', 'POST', `${A}/users/${who}/activate`, `${U}/activate`, admin)).toEqual({
      username: who,
      active: true,
    });
    await call('intake', 'POST', `${A}/users/${who}/revoke-tokens`, `${U}/revoke-tokens`, admin);
    await call('intake', 'DELETE', `${A}/users/${who}/lockout`, `${U}/lockout`, admin);
    // A user made for this test, listed, read, its password set; deactivated after.
    const made = `probe.${Date.now().toString(36)}`;
    await call('intake', 'POST', `${A}/users`, `${A}/users`, admin, {
      body: { username: made, displayName: '探针', role: 'operator', password: 'probe-password-1' },
    });
    await call('intake', 'GET', `${A}/users?role=operator`, `${A}/users`, admin);
    await call('intake', 'GET', `${A}/users/${made}`, U, admin);
    await call('intake', 'PUT', `${A}/users/${made}/password`, `${U}/password`, admin, {
      body: { password: 'probe-password-2' },
    });
    // The user changes the password the administrator set.
    const own = await login(p.urls.intake, made, 'probe-password-2');
    await call('intake', 'POST', '/api/v1/auth/password', '/api/v1/auth/password', own, {
      body: { currentPassword: 'probe-password-2', newPassword: 'probe-password-3' },
    });
    await p.db.query(`UPDATE identity.users SET active = false WHERE username = $1`, [made]);
    // A unit's leader, and how a unit's leader reviews: set as they are (no leader, no in-person).
    expect(
      await call('intake', 'PUT', `${A}/users/${who}/unit-leader`, `${U}/unit-leader`, admin, {
        body: { unitLeader: false },
      }),
    ).toEqual({ username: who, unitId: 'environment', unitLeader: false });
    expect(
      await call(
        'intake',
        'PUT',
        `${A}/units/environment/leader-review`,
        `${A}/units/{unitId}/leader-review`,
        admin,
        {
          body: { leaderReviewInPerson: false },
        },
      ),
    ).toEqual({ unitId: 'environment', leaderReviewInPerson: false });
    // A unit's service promises (服务承诺): set as they are (none), and read.
    const PROMISES = `${A}/units/{unitId}/service-promises`;
    expect(
      await call('intake', 'PUT', `${A}/units/environment/service-promises`, PROMISES, admin, {
        body: { servicePromises: [] },
      }),
    ).toEqual({ unitId: 'environment', servicePromises: [] });
    expect(await call('intake', 'GET', `${A}/units/environment/service-promises`, PROMISES, admin)).toEqual({
      unitId: 'environment',
      servicePromises: [],
    });
  });

  it('a return, its decision, and what the unit keeps of a ticket withdrawn from it', async () => {
    const made = await call('intake', 'POST', T, T, operator, { body: ticket });
    const no = made.ticketNo as string;
    await onDesk(no);
    await returned(no, { approve: true, redispatchToUnitId: 'housing' });
    await eventually(
      'the ticket withdrawn from the unit',
      async () =>
        (await http('GET', `${p.urls.dispatch}${T}/${no}`, { token: clerks.transport })).body.access ===
        'own_actions',
    );
    const kept = await call('dispatch', 'GET', `${T}/${no}`, ONE, clerks.transport);
    expect(kept.actions.map((a: { type: string }) => a.type)).toEqual(['ticket.returned']);
    await call('dispatch', 'GET', `${T}?limit=50`, T, clerks.transport);
  });

  it('a direct answer at intake, and a dispatch by hand (特事特办)', async () => {
    const kept = await call('intake', 'POST', T, T, operator, {
      body: { ...ticket, kind: 'consultation', disposition: { type: 'direct_answer' } },
    });
    const answerPath = `${T}/${kept.ticketNo}/answer`;
    await eventually(
      'the direct answer accepted',
      async () =>
        (await http('POST', `${p.urls.intake}${answerPath}`, { token: operator, body: ANSWER })).status ===
        200,
    );
    // Repeated: already applied, the same documented answer.
    await call('intake', 'POST', answerPath, `${ONE}/answer`, operator, { body: ANSWER });
    // Another answer after it is refused: the citizen has the first.
    const another = await http('POST', `${p.urls.intake}${answerPath}`, {
      token: operator,
      body: { answer: '另一份答复：请携带身份证到政务服务中心办理。' },
    });
    expect({ status: another.status, code: another.body.code }).toEqual({
      status: 409,
      code: 'action_rejected',
    });

    // "community" has entries for the districts only; a city-level appeal has no unit yet.
    const open = await call('intake', 'POST', T, T, operator, {
      body: { ...ticket, category: 'community', regionCode: 'city' },
    });
    const dispatchPath = `${T}/${open.ticketNo}/dispatch`;
    await eventually(
      'the ticket waiting for a manual dispatch',
      async () =>
        (
          await http('POST', `${p.urls.intake}${dispatchPath}`, {
            token: operator,
            body: { unitId: 'gulou-gov' },
          })
        ).status === 200,
    );
    await call('intake', 'POST', dispatchPath, `${ONE}/dispatch`, operator, {
      body: { unitId: 'gulou-gov' },
    });
  });

  it('multi-level handling: a hub’s sub-units, a pass declined, a pass answered, the leader’s review', async () => {
    const [hub, hunan, ninghai] = await Promise.all(
      ['clerk.gulou', 'clerk.hunan', 'clerk.ninghai'].map((u) => login(p.urls.intake, u)),
    );
    await call('dispatch', 'GET', '/api/v1/sub-units', '/api/v1/sub-units', hub);
    const { ticketNo: no } = await call('intake', 'POST', T, T, operator, {
      body: { ...ticket, category: 'community', regionCode: 'gulou' },
    });
    await eventually(
      'signed by the hub',
      async () => (await http('POST', `${p.urls.dispatch}${T}/${no}/sign`, { token: hub })).status === 200,
    );
    const pass = (subUnitId: string) =>
      call('dispatch', 'POST', `${T}/${no}/sub-dispatch`, `${ONE}/sub-dispatch`, hub, {
        body: { subUnitId, subTicketNo: '鼓楼二级-0001', note: '请核实办理。' },
      });
    await pass('gulou-hunan');
    await call('dispatch', 'POST', `${T}/${no}/sub-recall`, `${ONE}/sub-recall`, hub, {
      body: { reason: '改派宁海路街道。' },
    });
    await pass('gulou-ninghai');
    await call('dispatch', 'POST', `${T}/${no}/sub-decline`, `${ONE}/sub-decline`, ninghai, {
      body: { reason: '不属本街道辖区。' },
    });
    await pass('gulou-hunan');
    // The street signs for it (接单) before it sends its result.
    await eventually(
      'signed by the street',
      async () => (await http('POST', `${p.urls.dispatch}${T}/${no}/sign`, { token: hunan })).status === 200,
    );
    await call('dispatch', 'POST', `${T}/${no}/sub-reply`, `${ONE}/sub-reply`, hunan, {
      body: { content: GOOD_REPLY },
    });
    await call('dispatch', 'POST', `${T}/${no}/sub-review`, `${ONE}/sub-review`, hub, {
      body: { approve: true, leaderName: '李副区长' },
    });
    // The desks of the hub and of a sub-unit, with the passes each may see.
    await call('dispatch', 'GET', `${T}/${no}`, ONE, hub);
    await call('dispatch', 'GET', `${T}/${no}`, ONE, hunan);
  });

  it('the matter catalog: a unit’s application, its entries, the centre’s list and decision', async () => {
    const A = '/api/v1/catalog-applications';
    const E = '/api/v1/catalog-entries';
    const asked = await call('dispatch', 'POST', A, A, clerks.housing, {
      body: { action: 'change', entryId: 'm-property', priority: 90, reason: '调整优先级。' },
    });
    await call('dispatch', 'GET', A, A, clerks.housing);
    await call('dispatch', 'GET', E, E, clerks.housing);
    await call('intake', 'GET', `${A}?status=pending`, A, reviewer);
    await call('intake', 'POST', `${A}/${asked.id}/decision`, `${A}/{applicationId}/decision`, reviewer, {
      body: { approve: true, note: '同意。' },
    });
    await call('intake', 'GET', `${E}?category=property`, E, operator);
    await call('intake', 'POST', E, E, reviewer, {
      body: {
        unitId: 'housing',
        name: '老旧小区加装电梯',
        category: 'elevator-retrofit',
        reason: '特事特办后新增。',
      },
    });
  });

  it('the knowledge base: an entry written, reviewed, searched, withdrawn', async () => {
    const K = '/api/v1/knowledge';
    const v = await call('dispatch', 'POST', K, K, clerks.housing, {
      body: { title: '物业费收费标准', content: '住宅物业服务收费实行政府指导价。', keywords: ['物业费'] },
    });
    await call('dispatch', 'POST', `${K}/${v.id}/review`, `${K}/{versionId}/review`, clerks.housing, {
      body: { approve: true, leaderName: '王局长' },
    });
    await call('dispatch', 'GET', K, K, clerks.housing);
    await call('intake', 'GET', `${K}?q=物业费`, K, operator);
    await call(
      'dispatch',
      'POST',
      `${K}/entries/${v.entryId}/withdrawal`,
      `${K}/entries/{entryId}/withdrawal`,
      clerks.housing,
      { body: { reason: '政策调整。' } },
    );
  });

  it('the yearly archive: a year sealed, listed, read, its entries, its check', async () => {
    const admin = await login(p.urls.intake, 'admin');
    const AR = '/api/v1/archives';
    // 2000: no ticket of the platform's is that old; sealed again by a later run, it answers the seal.
    await call('intake', 'POST', AR, AR, admin, { body: { year: 2000 } });
    await call('intake', 'GET', AR, AR, admin);
    await call('intake', 'GET', `${AR}/2000`, `${AR}/{year}`, admin);
    await call('intake', 'GET', `${AR}/2000/entries`, `${AR}/{year}/entries`, admin);
    await call('intake', 'GET', `${AR}/2000/verification`, `${AR}/{year}/verification`, admin);
    const res = await fetch(`${p.urls.intake}${AR}/2000/export`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    const documented = Object.keys(docs.intake.paths[`${AR}/{year}/export`].get.responses['200'].content);
    expect([res.status, documented]).toEqual([200, ['application/x-ndjson']]);
    expect(res.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    expect(await res.text()).toBe('');
    checked.add(`intake GET ${AR}/{year}/export`);

    // An amendment (补充归档) needs a sealed record that changed: a ticket closed now, its close
    // dated into a past year no run has sealed, sealed, then a file added. The date is put back after.
    const no = await driveTicket(
      p,
      { operator, reviewer, clerk: clerks.transport },
      { answers: [['sms', 'satisfied']] },
    );
    await eventually('closed on the ledger', async () => {
      const t = await http('GET', `${p.urls.intake}${T}/${no}`, { token: operator });
      return t.body.status === 'closed';
    });
    const [{ y }] = await p.db.query(
      `SELECT y FROM generate_series(2002, 2024) AS y
       WHERE NOT EXISTS (SELECT 1 FROM records.archives a WHERE a.year = y) ORDER BY random() LIMIT 1`,
    );
    const closes = await p.db.query(
      `SELECT event_id AS id, occurred_at AS at FROM ticket.ticket_events WHERE ticket_no = $1 AND type = 'ticket.closed'`,
      [no],
    );
    try {
      await p.db.query(
        `UPDATE ticket.ticket_events SET occurred_at = $2 WHERE ticket_no = $1 AND type = 'ticket.closed'`,
        [no, `${y}-06-01T04:00:00Z`],
      );
      await call('intake', 'POST', AR, AR, admin, { body: { year: y } });
      const added = await fetch(`${p.urls.intake}${T}/${no}/attachments?name=x.pdf`, {
        method: 'POST',
        headers: { authorization: `Bearer ${operator}`, 'content-type': 'application/pdf' },
        body: Buffer.from(`%PDF-1.7\n${no}`),
      });
      expect(added.status).toBe(201);
      const amended = await call(
        'intake',
        'POST',
        `${AR}/${y}/amendments`,
        `${AR}/{year}/amendments`,
        admin,
        {
          body: { ticketNo: no, reason: '补充上传现场照片。' },
        },
      );
      expect(amended).toMatchObject({ ticketNo: no, year: y, alreadyApplied: false });
      const page = await call('intake', 'GET', `${AR}/${y}/amendments`, `${AR}/{year}/amendments`, admin);
      expect(page.total).toBe(1);
    } finally {
      for (const c of closes)
        await p.db.query(`UPDATE ticket.ticket_events SET occurred_at = $2 WHERE event_id = $1`, [
          c.id,
          c.at,
        ]);
    }
  });

  it("a ticket's attachments: added, listed, downloaded, by the centre and by a unit", async () => {
    const no = (await http('POST', `${p.urls.intake}${T}`, { token: operator, body: ticket })).body.ticketNo;
    await onDesk(no);
    const A = `${T}/{ticketNo}/attachments`;
    /** An upload (the body is the file), its answer held to the documented schema like call()'s. */
    const upload = async (service: 'intake' | 'dispatch', token: string, bytes: Buffer, type: string) => {
      const res = await fetch(
        `${p.urls[service]}${T}/${no}/attachments?name=${encodeURIComponent('现场.pdf')}`,
        {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': type },
          body: bytes,
        },
      );
      const body = await res.json();
      const op = docs[service].paths[A].post;
      expect({ status: res.status, content: Object.keys(op.requestBody.content).sort() }).toEqual({
        status: 201,
        content: ['application/pdf', 'image/jpeg', 'image/png'],
      });
      const schema = op.responses['201'].content['application/json'].schema;
      expect(schemaMismatches(docs[service], schema, body)).toEqual([]);
      checked.add(`${service} POST ${A}`);
      return body as { attachmentId: string };
    };
    /** A download: the documented status, one of the documented types, the file's bytes. */
    const download = async (service: 'intake' | 'dispatch', token: string, id: string, bytes: Buffer) => {
      const res = await fetch(`${p.urls[service]}${T}/${no}/attachments/${id}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const op = docs[service].paths[`${A}/{attachmentId}`].get;
      expect(res.status).toBe(200);
      expect(Object.keys(op.responses['200'].content)).toContain(res.headers.get('content-type'));
      expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
      checked.add(`${service} GET ${A}/{attachmentId}`);
    };
    const pdf = Buffer.from(`%PDF-1.7\n${no}`);
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.from(no),
    ]);
    const mine = await upload('intake', operator, pdf, 'application/pdf');
    const theirs = await upload('dispatch', clerks.transport, png, 'image/png');
    await call('intake', 'GET', `${T}/${no}/attachments`, A, operator);
    await call('dispatch', 'GET', `${T}/${no}/attachments`, A, clerks.transport);
    await download('intake', operator, theirs.attachmentId, png);
    await download('dispatch', clerks.transport, mine.attachmentId, pdf);
    // Wrong uploads taken back: the unit its own, the centre any.
    const W = `${A}/{attachmentId}/withdrawal`;
    const body = { reason: '误传' };
    const w1 = await call(
      'dispatch',
      'POST',
      `${T}/${no}/attachments/${theirs.attachmentId}/withdrawal`,
      W,
      clerks.transport,
      { body },
    );
    expect(w1).toMatchObject({ withdrawal: { reason: '误传' }, alreadyApplied: false });
    await call('intake', 'POST', `${T}/${no}/attachments/${mine.attachmentId}/withdrawal`, W, operator, {
      body,
    });
  });

  it('a tracked plan (跟踪计划): listed, read, reported done by its unit', async () => {
    const supervisor = await login(p.urls.intake, 'supervisor');
    const crew = { operator, reviewer, clerk: clerks.transport };
    const made = await http('POST', `${p.urls.intake}${T}`, {
      token: operator,
      body: { ...ticket, complainantPhone: '13600001111' },
    });
    const no = made.body.ticketNo as string;
    await onDesk(no);
    await http('POST', `${p.urls.dispatch}${T}/${no}/sign`, { token: clerks.transport });
    const day = new Date(Date.now() + 8 * 3_600_000 + 90 * 86_400_000).toISOString().slice(0, 10);
    await replyApproved(p, crew, no, {
      content: `经核实，该路段需整体翻修，已列入市政维修计划，由市政工程处负责，计划于${day}前完成施工。`,
      isPlan: true,
      plannedCompletionDate: day,
      responsibleDepartment: '市政工程处',
    });
    // The citizen evaluates online, as the answer to the callback SMS.
    const LOOKUP = '/api/v1/public/ticket-lookup';
    const asked = { ticketNo: no, queryCode: made.body.queryCode };
    await eventually('the SMS callback asked', async () => {
      const r = await http('POST', `${p.urls.intake}${LOOKUP}`, { body: asked });
      return r.body.stage === 'answered';
    });
    const EVALUATION = '/api/v1/public/ticket-evaluation';
    const evaluated = await call('intake', 'POST', EVALUATION, EVALUATION, '', {
      body: { ...asked, verdict: 'satisfied' },
    });
    expect(evaluated.stage).toBe('closed');
    const P = '/api/v1/plans';
    const PID = '/api/v1/plans/{ticketNo}';
    await eventually('the plan tracked', async () => {
      const r = await http('GET', `${p.urls.supervision}${P}/${no}`, { token: supervisor });
      return r.status === 200;
    });
    await call('supervision', 'GET', `${P}?limit=5`, P, supervisor);
    await call('supervision', 'GET', `${P}/${no}`, PID, clerks.transport);
    const done = await call(
      'supervision',
      'POST',
      `${P}/${no}/completion`,
      `${PID}/completion`,
      clerks.transport,
      {
        body: { note: '路面翻修已完成，经复核通行正常。' },
      },
    );
    expect(done).toMatchObject({ status: 'done', alreadyApplied: false });
  });

  it('a supervision order (督办) raised, answered by the unit, reviewed; another withdrawn', async () => {
    const supervisor = await login(p.urls.intake, 'supervisor');
    const O = '/api/v1/orders';
    const OID = '/api/v1/orders/{orderId}';
    const order = {
      unitId: 'transport',
      kind: 'order',
      instruction: '请于4小时内反馈近期积压工单的办理情况。',
      respondWithin: { amount: 4, unit: 'hours' },
    };
    const raised = await call('supervision', 'POST', O, O, supervisor, { body: order, status: 201 });
    await call('supervision', 'GET', `${O}?limit=5`, O, clerks.transport);
    await call('supervision', 'GET', `${O}/${raised.id}`, OID, clerks.transport);
    await call('supervision', 'POST', `${O}/${raised.id}/answer`, `${OID}/answer`, clerks.transport, {
      body: { response: '已安排专人清理积压工单，本周内全部办结。' },
    });
    const reviewKey = { 'idempotency-key': `openapi-review-${raised.id}` };
    const review = () =>
      call('supervision', 'POST', `${O}/${raised.id}/review`, `${OID}/review`, supervisor, {
        body: { accepted: true },
        headers: reviewKey,
      });
    const reviewed = await review();
    expect(reviewed).toMatchObject({ status: 'closed', outcome: 'accepted' });
    // The order is closed and its workflow ended: the review's retry with its key gets its answer;
    // another review under another key (or none) is refused.
    expect(await review()).toEqual(reviewed);
    const late = await http('POST', `${p.urls.supervision}${O}/${raised.id}/review`, {
      token: supervisor,
      body: { accepted: false, comment: '请补充办理结果。' },
      headers: { 'idempotency-key': `openapi-review-${raised.id}-2` },
    });
    expect([late.status, late.body.code]).toEqual([409, 'order_closed']);
    const other = await call('supervision', 'POST', O, O, supervisor, { body: order, status: 201 });
    const withdrawn = await call(
      'supervision',
      'POST',
      `${O}/${other.id}/withdraw`,
      `${OID}/withdraw`,
      supervisor,
      {
        body: { reason: '已电话督促。' },
      },
    );
    expect(withdrawn).toMatchObject({ status: 'closed', outcome: 'withdrawn' });
    const quota = await call('supervision', 'GET', `${O}/quota`, `${O}/quota`, supervisor);
    expect(quota.raised).toBeGreaterThanOrEqual(2);
  });

  it('assessment and escalation records: a bonus, an escalation on its grounds, the tracked events', async () => {
    const supervisor = await login(p.urls.intake, 'supervisor');
    const B = '/api/v1/assessments/bonuses';
    const bonus = await call('supervision', 'POST', B, B, supervisor, {
      body: {
        unitId: 'transport',
        kind: 'citizen_praise',
        ref: `锦旗-${Date.now()}`,
        occurredOn: '2026-11-20',
        note: '市民送锦旗感谢道路快速修复。',
      },
      status: 201,
    });
    const bonuses = await call('supervision', 'GET', `${B}?unitId=transport&limit=5`, B, supervisor);
    expect(bonuses.items.map((b: { id: string }) => b.id)).toContain(bonus.id);

    // Grounds for an escalation: a refused return raises a refusal order against the unit.
    const no = (await call('intake', 'POST', T, T, operator, { body: ticket })).ticketNo as string;
    await onDesk(no);
    await returned(no, { approve: false, note: '属于本单位职责。' });
    // This ticket's refusal order raised (other tickets of the run may have opened the grounds).
    await eventually('the refusal order on this ticket', async () => {
      const r = await http('GET', `${p.urls.supervision}/api/v1/orders?ticketNo=${no}`, {
        token: supervisor,
      });
      return r.body.items?.some((o: { trigger: string }) => o.trigger === 'refusal');
    });
    const G = '/api/v1/units/{unitId}/escalation-grounds';
    const grounds = await call(
      'supervision',
      'GET',
      '/api/v1/units/transport/escalation-grounds',
      G,
      supervisor,
    );
    expect(grounds.grounds).toContainEqual(expect.objectContaining({ code: 'refusal' }));
    expect(grounds.open).toContain('interview');
    // Supervision's own facts of the ticket (the return counted before the refusal raised its order).
    const facts = await call('supervision', 'GET', `${T}/${no}/facts`, `${ONE}/facts`, supervisor);
    expect(facts).toMatchObject({ ticketNo: no, returnCount: 1 });
    const overview = await call(
      'supervision',
      'GET',
      '/api/v1/units/overview',
      '/api/v1/units/overview',
      supervisor,
    );
    expect(overview.items.map((u: { unitId: string }) => u.unitId)).toContain('transport');
    // A leader's instruction on the ticket (it raises an order), read back; the ticket as a test call.
    const I = '/api/v1/instructions';
    const instruction = await call('supervision', 'POST', I, I, supervisor, {
      body: { ticketNo: no, leaderName: '王副市长', leaderLevel: 'city', content: '请交通局本周内办结。' },
      status: 201,
    });
    await call('supervision', 'GET', `${I}?limit=5`, I, clerks.transport);
    const read = await call(
      'supervision',
      'GET',
      `${I}/${instruction.id}`,
      `${I}/{instructionId}`,
      supervisor,
    );
    expect(read).toMatchObject({ id: instruction.id, ticketNo: no, completed: false });
    const TC = '/api/v1/test-calls';
    const call1 = await call('supervision', 'POST', TC, TC, supervisor, {
      body: { ticketNo: no, scenario: '模拟市民反映路面破损', expected: '1小时内签收，12小时内答复' },
      status: 201,
    });
    expect(call1).toMatchObject({ ticketNo: no, returnCount: 1 });
    await call('supervision', 'GET', `${TC}?ticketNo=${no}`, TC, supervisor);
    const E = '/api/v1/escalations';
    const decided = await call('supervision', 'POST', E, E, supervisor, {
      body: {
        unitId: 'transport',
        measure: 'interview',
        reason: '拒不签收退回件，协调未果。',
        documents: [{ title: '约谈通知书', content: '定于下周一约谈分管负责人。' }],
      },
      status: 201,
    });
    expect(decided).toMatchObject({ unitId: 'transport', measure: 'interview', grounds: ['refusal'] });
    const decisions = await call('supervision', 'GET', `${E}?unitId=transport&limit=5`, E, supervisor);
    expect(decisions.items[0].id).toBe(decided.id);

    // A tracked event as the analysis records one (its discovery is supervision-analysis's test).
    await p.db.query(
      `INSERT INTO supervision.tracked_events (key, kind, region_code, subject, first_seen_at, last_seen_at,
         period_from, period_to, ticket_nos, ticket_count)
       VALUES ($1, 'concentrated', 'gulou', 'road', now(), now(), now() - interval '1 day', now(), $2, 1)
       ON CONFLICT (key) DO NOTHING`,
      [`concentrated:gulou:road:${no}`, JSON.stringify([no])],
    );
    const A = '/api/v1/analysis/events';
    const tracked = await call('supervision', 'GET', `${A}?kind=concentrated&limit=5`, A, supervisor);
    expect(tracked.items.length).toBeGreaterThan(0);
  });

  it("the SMS callback: the message sent, the recipient's reply, a stranger's message on the webhook", async () => {
    const crew = { operator, reviewer, clerk: clerks.transport };
    const no = await driveTicket(p, crew);
    const M = '/api/v1/sms/local/messages';
    const sent = await eventually('the callback SMS sent', async () => {
      const page = await call('evaluation', 'GET', `${M}?ticketNo=${no}&purpose=callback`, M, operator);
      return page.items.find((m: { purpose: string; status: string }) => m.status === 'sent');
    });
    expect(sent).toMatchObject({ ticketNo: no, purpose: 'callback', round: 1, to: '138****8000' });
    const reply = await call(
      'evaluation',
      'POST',
      `${M}/${sent.id}/reply`,
      `${M}/{messageId}/reply`,
      operator,
      {
        body: { text: '1' },
      },
    );
    expect(reply).toMatchObject({ ticketNo: no, outcome: 'applied', verdict: 'satisfied' });
    // The provider's webhook (its token is read per request): a number no SMS was sent to.
    const token = 'sms-webhook-token-for-openapi-0123456789';
    const before = process.env.SMS_WEBHOOK_TOKEN;
    process.env.SMS_WEBHOOK_TOKEN = token;
    try {
      const I = '/api/v1/sms/inbound';
      const stranger = await call('evaluation', 'POST', I, I, '', {
        body: { from: '13900000001', text: '你好' },
        headers: { 'x-sms-webhook-token': token },
      });
      expect(stranger).toMatchObject({ ticketNo: null, outcome: 'ignored_unknown_sender', verdict: null });
    } finally {
      if (before === undefined) delete process.env.SMS_WEBHOOK_TOKEN;
      else process.env.SMS_WEBHOOK_TOKEN = before;
    }

    // The satisfaction figures count the SMS verdict; the ticket is among those behind them.
    const S = '/api/v1/satisfaction';
    const counted = await eventually('the verdict counted', async () => {
      const page = await call(
        'evaluation',
        'GET',
        `${S}/tickets?unitId=transport&limit=200`,
        `${S}/tickets`,
        reviewer,
      );
      return page.items.find((t: { ticketNo: string }) => t.ticketNo === no);
    });
    expect(counted).toMatchObject({ verdict: 'satisfied', source: 'sms' });
    const figures = await call('evaluation', 'GET', `${S}?groupBy=unit&period=month`, S, reviewer);
    expect(figures.items.find((f: { key: string }) => f.key === 'transport')).toMatchObject({
      bySource: expect.objectContaining({ sms: expect.any(Number) }),
    });
  });

  it("a forum ticket's public vote: its poster, the window, a vote; the forum's staff accounts", async () => {
    const forum = await login(p.urls.intake, 'forum');
    const admin = await login(p.urls.intake, 'admin');
    const no = (await call('intake', 'POST', T, T, operator, { body: { ...ticket, channel: 'forum' } }))
      .ticketNo as string;
    const poster = await call(
      'evaluation',
      'PUT',
      `/api/v1/forum-posts/${no}`,
      '/api/v1/forum-posts/{ticketNo}',
      forum,
      {
        body: { postId: `post-${no}`, posterId: `poster-${no}` },
      },
    );
    expect(poster).toEqual({ ticketNo: no, postId: `post-${no}`, posterId: `poster-${no}` });
    await eventually(
      'signed',
      async () =>
        (await http('POST', `${p.urls.dispatch}${T}/${no}/sign`, { token: clerks.transport })).status === 200,
    );
    await replyApproved(p, { operator, reviewer, clerk: clerks.transport }, no);
    const V = '/api/v1/votes/{ticketNo}';
    await eventually('the window open', async () => {
      const r = await http('GET', `${p.urls.evaluation}/api/v1/votes/${no}`, { token: forum });
      return r.status === 200 && r.body.status === 'open';
    });
    const vote = await eventually('the poster’s vote taken', async () => {
      const r = await http('POST', `${p.urls.evaluation}/api/v1/votes/${no}`, {
        token: forum,
        body: { voterId: `poster-${no}`, verdict: 'satisfied' },
      });
      return r.status === 200 ? r : null;
    });
    // Repeated (the same vote again: no change), held to the schema.
    const again = await call('evaluation', 'POST', `/api/v1/votes/${no}`, V, forum, {
      body: { voterId: `poster-${no}`, verdict: 'satisfied' },
    });
    expect(again).toMatchObject({ ...vote.body, changed: false });
    await call('evaluation', 'POST', `/api/v1/votes/${no}`, V, forum, {
      body: { voterId: 'u-1', verdict: 'unsatisfied' },
    });
    const window = await call('evaluation', 'GET', `/api/v1/votes/${no}`, V, forum);
    expect(window).toMatchObject({
      status: 'open',
      poster: { verdict: 'satisfied', changed: false },
      others: { satisfied: 0, basically_satisfied: 0, unsatisfied: 1 },
    });
    const S = '/api/v1/forum-staff-accounts';
    const account = `u-staff-${no}`;
    await call('evaluation', 'POST', S, S, admin, { body: { accountId: account }, status: 201 });
    const staff = await call('evaluation', 'GET', S, S, admin);
    expect(staff.items.map((a: { accountId: string }) => a.accountId)).toContain(account);
    await call('evaluation', 'DELETE', `${S}/${account}`, `${S}/{accountId}`, admin);
  });

  it('the acceptance notice (受理告知) of an SZ leader-mailbox letter; none where the policy asks none', async () => {
    const admin = await login(p.urls.intake, 'admin');
    const active = (code: string) =>
      http('PUT', `${p.urls.intake}/api/v1/admin/active-policy-set`, { token: admin, body: { code } });
    let letter: string;
    await active('SZ');
    try {
      letter = (
        await call('intake', 'POST', T, T, operator, { body: { ...ticket, channel: 'leader_mailbox' } })
      ).ticketNo;
    } finally {
      await active('SQ');
    }
    const N = `${ONE}/acceptance-notice`;
    const notice = { means: 'sms', note: '已短信告知来信人：您的来信已受理。' };
    const key = { 'idempotency-key': `openapi-acceptance-${letter}` };
    await eventually(
      'the workflow started',
      async () =>
        (await http('GET', `${p.urls.intake}${T}/${letter}`, { token: operator })).body.workflowStartedAt !==
        null,
    );
    const told = await call('intake', 'POST', `${T}/${letter}/acceptance-notice`, N, operator, {
      body: notice,
      headers: key,
    });
    expect(told.alreadyApplied).toBe(false);
    // Repeated with its key: the first answer again.
    const again = await call('intake', 'POST', `${T}/${letter}/acceptance-notice`, N, operator, {
      body: notice,
      headers: key,
    });
    expect(again).toEqual(told);
    // Told again, under another key: nothing changes.
    const twice = await call('intake', 'POST', `${T}/${letter}/acceptance-notice`, N, operator, {
      body: notice,
      headers: { 'idempotency-key': `openapi-acceptance-${letter}-2` },
    });
    expect(twice).toEqual({ ...told, alreadyApplied: true });
    const history = (await http('GET', `${p.urls.intake}${T}/${letter}`, { token: operator })).body.history;
    expect(history.filter((e: { type: string }) => e.type === 'ticket.acceptance_notified')).toEqual([
      expect.objectContaining({ data: { ...notice, late: false } }),
    ]);
    // An SQ ticket: its policy asks for no notice.
    const plain = (await call('intake', 'POST', T, T, operator, { body: ticket })).ticketNo;
    const refused = await eventually('the workflow answers', async () => {
      const r = await http('POST', `${p.urls.intake}${T}/${plain}/acceptance-notice`, {
        token: operator,
        body: notice,
      });
      return r.body.code === 'action_rejected' ? r : null;
    });
    expect(refused.status).toBe(409);
  });

  it('a reconsideration (复查) of a GS complaint: asked, listed, read, decided', async () => {
    const admin = await login(p.urls.intake, 'admin');
    const crew = { operator, reviewer, clerk: clerks.transport };
    const active = (code: string) =>
      http('PUT', `${p.urls.intake}/api/v1/admin/active-policy-set`, { token: admin, body: { code } });
    let no: string;
    await active('GS');
    try {
      no = await driveTicket(p, crew, { approve: false });
    } finally {
      await active('SQ');
    }
    await replyApproved(p, crew, no);
    await callbackAnswer(p, operator, no, 'sms', 'satisfied');
    const R = '/api/v1/reconsiderations';
    const asked = await eventually('the request taken', async () => {
      const r = await http('POST', `${p.urls.evaluation}${R}`, {
        token: operator,
        body: { ticketNo: no, reason: '市民认为处理意见未回应其赔偿诉求，申请复查。' },
      });
      return r.status === 201 ? r.body : null;
    });
    expect(asked).toMatchObject({ ticketNo: no, status: 'requested' });
    const one = await call('evaluation', 'GET', `${R}/${no}`, `${R}/{ticketNo}`, operator);
    expect(one).toEqual(asked);
    const page = await call('evaluation', 'GET', `${R}?status=requested&limit=200`, R, operator);
    expect(page.items.map((x: { ticketNo: string }) => x.ticketNo)).toContain(no);
    const decided = await eventually('decided', async () => {
      const r = await http('POST', `${p.urls.evaluation}${R}/${no}/decision`, {
        token: reviewer,
        body: { outcome: 'upheld', decision: '经复查，原处理意见事实清楚，予以维持。' },
        headers: { 'idempotency-key': `openapi-reconsideration-${no}` },
      });
      return r.status === 200 ? r.body : null;
    });
    expect(decided).toMatchObject({ status: 'decided', outcome: 'upheld', late: false });
    // Repeated with its key: the same decision, held to the schema.
    const again = await call(
      'evaluation',
      'POST',
      `${R}/${no}/decision`,
      `${R}/{ticketNo}/decision`,
      reviewer,
      {
        body: { outcome: 'upheld', decision: '经复查，原处理意见事实清楚，予以维持。' },
        headers: { 'idempotency-key': `openapi-reconsideration-${no}` },
      },
    );
    expect(again).toMatchObject({ ticketNo: no, status: 'decided' });
    const another = await http('POST', `${p.urls.evaluation}${R}/${no}/decision`, {
      token: reviewer,
      body: { outcome: 'revised', decision: '改判' },
      headers: { 'idempotency-key': `openapi-reconsideration-${no}-2` },
    });
    expect([another.status, another.body.code]).toEqual([409, 'conflict']);
    // The request itself, held to its schema: a second one is refused, so the first is checked here.
    const doc = docs.evaluation.paths[R].post.responses['201'].content['application/json'].schema;
    expect(schemaMismatches(docs.evaluation, doc, asked)).toEqual([]);
    checked.add(`evaluation POST ${R}`);
  });

  it("the operators' manual-callback queue: claim, release, a failed call, a verdict, the unreachable", async () => {
    const crew = { operator, reviewer, clerk: clerks.transport };
    const Q = '/api/v1/callback-tasks';
    const TID = '/api/v1/callback-tasks/{taskId}';
    const taskOf = async (no: string) => {
      const page = await call('evaluation', 'GET', `${Q}?limit=200`, Q, operator);
      return page.items.find((t: { ticketNo: string }) => t.ticketNo === no) as { id: string };
    };
    const answered = await driveTicket(p, crew, { answers: [['sms', 'unsatisfied']] });
    const task = await taskOf(answered);
    await call('evaluation', 'GET', `${Q}/${task.id}`, TID, operator);
    await call('evaluation', 'POST', `${Q}/${task.id}/claim`, `${TID}/claim`, operator);
    await call('evaluation', 'POST', `${Q}/${task.id}/release`, `${TID}/release`, operator);
    await call('evaluation', 'POST', `${Q}/${task.id}/claim`, `${TID}/claim`, operator);
    const missed = await call('evaluation', 'POST', `${Q}/${task.id}/attempts`, `${TID}/attempts`, operator, {
      body: { outcome: 'no_answer' },
      status: 201,
    });
    expect(missed.unreachable.ok).toBe(false);
    await call('evaluation', 'POST', `${Q}/${task.id}/verdict`, `${TID}/verdict`, operator, {
      body: { verdict: 'satisfied' },
    });

    const lost = await driveTicket(p, crew, { answers: [['sms', 'unsatisfied']] });
    const other = await taskOf(lost);
    await call('evaluation', 'POST', `${Q}/${other.id}/claim`, `${TID}/claim`, operator);
    const wrong = await call('evaluation', 'POST', `${Q}/${other.id}/attempts`, `${TID}/attempts`, operator, {
      body: { outcome: 'wrong_number' },
      status: 201,
    });
    expect(wrong.unreachable).toEqual({ ok: true });
    await call('evaluation', 'POST', `${Q}/${other.id}/unreachable`, `${TID}/unreachable`, operator, {
      body: {},
    });
  });

  it('expert evaluation: the case lists, a case, a return, the verdict, an objection, the pool', async () => {
    const crew = { operator, reviewer, clerk: clerks.transport };
    const admin = await login(p.urls.intake, 'admin');
    const no = await expertCase(p, crew);
    const holderOf = async (attempt: number) => (await expertHolder(p, no, attempt)).userId;
    const first = await login(p.urls.intake, await holderOf(1));
    const E = '/api/v1/expert-cases';
    const CASE = '/api/v1/expert-cases/{ticketNo}';

    // The centre's list (who holds a case: the administrator only) and an evaluator's own.
    const centre = await call('evaluation', 'GET', `${E}?status=assigned&limit=200`, E, admin);
    expect(centre.items.find((c: { ticketNo: string }) => c.ticketNo === no)).toMatchObject({
      status: 'assigned',
      evaluatorId: expect.any(String),
    });
    await call('evaluation', 'GET', `${E}?limit=200`, E, reviewer);
    const own = await call('evaluation', 'GET', `${E}?status=assigned`, E, first);
    expect(own.items.map((c: { ticketNo: string }) => c.ticketNo)).toContain(no);
    const ownDecided = await call('evaluation', 'GET', `${E}?status=decided`, E, first);
    expect(ownDecided.items.map((c: { ticketNo: string }) => c.ticketNo)).not.toContain(no);
    await call('evaluation', 'GET', `${E}/${no}`, CASE, first);

    // Returned as unsuited; the next evaluator decides; the centre records the unit's objection.
    const back = await call('evaluation', 'POST', `${E}/${no}/return`, `${CASE}/return`, first, {
      body: { reason: '与本人专业领域不符' },
      headers: { 'idempotency-key': `openapi-expert-return-${no}` },
    });
    expect(back).toEqual({ ticketNo: no, status: 'waiting_for_evaluator' });
    const second = await login(p.urls.intake, await holderOf(2));
    const decided = await call('evaluation', 'POST', `${E}/${no}/verdict`, `${CASE}/verdict`, second, {
      body: { verdict: 'basically_satisfied', reason: '单位答复已回应核心诉求，整改基本到位。' },
      headers: { 'idempotency-key': `openapi-expert-verdict-${no}` },
    });
    expect(decided).toEqual({ ticketNo: no, status: 'decided' });
    await call('evaluation', 'POST', `${E}/${no}/objections`, `${CASE}/objections`, reviewer, {
      body: {
        objection: '该诉求已按政策答复，评价理由不成立。',
        answer: '专业评价结论为最终结论，予以维持。',
      },
    });
    const full = await call('evaluation', 'GET', `${E}/${no}`, CASE, admin);
    expect(full).toMatchObject({ status: 'decided', verdict: 'basically_satisfied' });
    expect(full.assignments).toHaveLength(2);
    expect(full.objections).toHaveLength(1);
    expect(full.callbacks.length).toBeGreaterThanOrEqual(2);

    // The pool: listed, one appointed (and made unavailable at once), their own availability.
    const P = '/api/v1/expert-evaluators';
    await call('evaluation', 'GET', P, P, admin);
    const appointed = await call('evaluation', 'POST', P, P, admin, {
      body: {
        name: '陈教授',
        phone: '13900001234',
        nominatedBy: '市人大常委会',
        source: 'npc_deputy',
        termStart: '2026-01-01',
        tiedUnitIds: ['housing'],
      },
    });
    await call('evaluation', 'PATCH', `${P}/${appointed.id}`, `${P}/{evaluatorId}`, admin, {
      body: { available: false },
    });
    const mine = await call('evaluation', 'PUT', `${P}/me/availability`, `${P}/me/availability`, second, {
      body: { available: true },
    });
    expect(mine.available).toBe(true);
  });

  it('the policy sets: the list, one set, a new version of it', async () => {
    const admin = await login(p.urls.intake, 'admin');
    const PS = '/api/v1/admin/policy-sets';
    const list = await call('intake', 'GET', PS, PS, admin);
    expect(list.items.map((s: { code: string }) => s.code)).toEqual(
      expect.arrayContaining(['SQ', 'SZ', 'GS']),
    );
    const sz = await call('intake', 'GET', `${PS}/SZ`, `${PS}/{code}`, admin);
    expect(sz.rules.length).toBeGreaterThan(0);
    const saved = await call('intake', 'POST', PS, PS, admin, { body: sz });
    expect(saved).toMatchObject({ code: 'SZ', version: sz.version + 1 });
  });

  it('supervision: assessments, publications, key tasks, hot spots and reports', async () => {
    const supervisor = await login(p.urls.intake, 'supervisor');
    const A = '/api/v1/assessments';
    const month = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
    // An attitude complaint (once per ticket) on a ticket of the run's own, once supervision has it.
    const no = (await call('intake', 'POST', T, T, operator, { body: ticket })).ticketNo as string;
    await eventually(
      'the facts, dispatched',
      async () =>
        (await http('GET', `${p.urls.supervision}${T}/${no}/facts`, { token: supervisor })).body.unitId ===
        'transport',
    );
    const note = '市民反映经办人员接听电话态度生硬。';
    const P = `${A}/attitude-complaints`;
    const complaint = await call('supervision', 'POST', P, P, supervisor, {
      body: { ticketNo: no, note },
      status: 201,
    });
    expect(complaint).toMatchObject({ ticketNo: no, unitId: 'transport', note, recordedBy: 'supervisor' });
    const U = `${A}/units/{unitId}`;
    const unit = await call('supervision', 'GET', `${A}/units/transport?period=${month}`, U, supervisor);
    const attitude = unit.assessment.items.find((i: { key: string }) => i.key === 'attitude');
    expect(attitude.deductions).toContainEqual(
      expect.objectContaining({ reason: '服务态度投诉', tickets: expect.arrayContaining([no]) }),
    );
    await call('supervision', 'GET', A, A, supervisor);

    // An ended period (the run's database is its own, and nothing else publishes this one): its
    // manual items set, its ranking published and read.
    const period = '2019-06';
    const unpublished = await http('GET', `${p.urls.supervision}${A}/publications/${period}`, {
      token: supervisor,
    });
    expect(unpublished.status).toBe(404);
    const M = `${A}/manual-scores`;
    const manual = await call('supervision', 'PUT', M, M, supervisor, {
      body: { period, unitId: 'transport', leadership: 14, rules: 13.5 },
    });
    expect(manual.facts.manual).toEqual({ leadership: 14, rules: 13.5 });
    const ranking = await call('supervision', 'GET', `${A}?period=${period}`, A, supervisor);
    expect(ranking.items.find((u: { unitId: string }) => u.unitId === 'transport')).toMatchObject({
      manualEntered: true,
      rank: null,
    });
    await call('supervision', 'GET', `${A}/units/transport?period=${period}`, U, supervisor);
    const PUB = `${A}/publications`;
    const published = await call('supervision', 'POST', PUB, PUB, supervisor, {
      body: { period },
      status: 201,
    });
    expect(published).toMatchObject({
      period,
      publishedBy: 'supervisor',
      ranking: { period: { key: period } },
    });
    const read = await call('supervision', 'GET', `${PUB}/${period}`, `${PUB}/{period}`, clerks.transport);
    expect(read).toEqual(published);

    // A key task: reported on by an assisting unit, sent back; by the lead, accepted and closed off.
    const K = '/api/v1/key-tasks';
    const KID = `${K}/{taskId}`;
    const IND = `${KID}/indicators/{indicatorId}`;
    const task = await call('supervision', 'POST', K, K, supervisor, {
      body: {
        source: 'annual_key_work',
        title: '背街小巷环境整治',
        description: '市政府常务会议确定的年度重点工作。',
        leadUnitId: 'transport',
        assistingUnitIds: ['housing'],
        indicators: [
          {
            name: '完成20条背街小巷路面修复',
            target: '20条',
            dueAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
          },
        ],
      },
      status: 201,
    });
    const onIndicator = `${K}/${task.id}/indicators/${task.indicators[0].id}`;
    await call('supervision', 'POST', `${onIndicator}/reports`, `${IND}/reports`, clerks.housing, {
      body: { progress: '配合完成8条。', percent: 40 },
      status: 201,
    });
    const review = (body: unknown) =>
      call('supervision', 'POST', `${onIndicator}/review`, `${IND}/review`, supervisor, { body });
    await review({ accepted: false, comment: '请附现场照片。' });
    await call('supervision', 'POST', `${onIndicator}/reports`, `${IND}/reports`, clerks.transport, {
      body: { progress: '已完成20条。', percent: 100 },
      status: 201,
    });
    const closedOff = await review({ accepted: true });
    expect(closedOff).toMatchObject({ status: 'closed_off', closedOffAt: expect.any(String) });
    expect(closedOff.indicators[0].reports).toHaveLength(2);
    // Sent back with its comment; accepted without one: no comment, not an empty one.
    expect(
      closedOff.indicators[0].reports.map((r: { accepted: boolean; reviewComment: string | null }) => [
        r.accepted,
        r.reviewComment,
      ]),
    ).toEqual(
      expect.arrayContaining([
        [false, '请附现场照片。'],
        [true, null],
      ]),
    );
    expect(await call('supervision', 'GET', `${K}/${task.id}`, KID, clerks.housing)).toEqual(closedOff);
    const tasks = await call('supervision', 'GET', `${K}?limit=5`, K, clerks.transport);
    expect(tasks.items.map((t: { id: string }) => t.id)).toContain(task.id);

    // Hot spots over the run's tickets, and a report as JSON; as a page or a workbook, as documented.
    const H = '/api/v1/analysis/hot-spots';
    const span = `from=${encodeURIComponent(new Date(Date.now() - 60 * 86_400_000).toISOString())}&to=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`;
    const spots = await call('supervision', 'GET', `${H}?${span}`, H, supervisor);
    expect(spots.tickets).toBeGreaterThan(0);
    const R = '/api/v1/reports/{kind}';
    const report = await call('supervision', 'GET', '/api/v1/reports/weekly', R, reviewer);
    expect(report).toMatchObject({ kind: 'weekly', totals: { created: expect.any(Number) } });
    const types = Object.keys(docs.supervision.paths[R].get.responses['200'].content);
    for (const format of ['html', 'xlsx']) {
      const r = await fetch(`${p.urls.supervision}/api/v1/reports/daily?format=${format}`, {
        headers: { authorization: `Bearer ${supervisor}` },
      });
      await r.arrayBuffer();
      expect([format, r.status, types.includes(r.headers.get('content-type')!.split(';')[0])]).toEqual([
        format,
        200,
        true,
      ]);
    }
  });

  it('answers every list of every service as one page: items, total, limit and offset', async () => {
    const lists = SERVICES.flatMap((service) =>
      Object.entries<Json>(docs[service].paths)
        .filter(
          ([path, item]) =>
            item.get && !path.includes('{') && item.get.parameters?.some((x: Json) => x.name === 'limit'),
        )
        .map(([path]) => ({ service, path })),
    );
    expect(lists.length).toBeGreaterThanOrEqual(12);
    const tokens = new Map<string, string>();
    const wrong: string[] = [];
    for (const { service, path } of lists) {
      const rule = OPERATION_ACCESS[operationKey(service, 'GET', path)];
      const role = rule.roles === 'public' ? null : rule.roles[0];
      if (role && !tokens.has(role)) tokens.set(role, await login(p.urls.intake, userFor(role)));
      const token = role ? tokens.get(role) : undefined;
      const r = await http('GET', `${p.urls[service]}${path}?limit=1&offset=0`, { token });
      const b = r.body;
      const ok =
        r.status === 200 &&
        // (A list paged by cursor too, the desk, adds its nextCursor.)
        Object.keys(b)
          .filter((k) => k !== 'nextCursor')
          .sort()
          .join() === 'items,limit,offset,total' &&
        b.limit === 1 &&
        b.offset === 0 &&
        Number.isInteger(b.total) &&
        Array.isArray(b.items) &&
        b.items.length === Math.min(1, b.total);
      if (!ok) wrong.push(`${service} ${path} as ${role}: ${r.status} ${JSON.stringify(b).slice(0, 120)}`);
    }
    expect(wrong).toEqual([]);
    // Every answer that is a list of items takes the page: none answers its whole list unasked.
    const unpaged = SERVICES.flatMap((service) =>
      Object.entries<Json>(docs[service].paths)
        .filter(([, item]) => {
          const schema = item.get?.responses?.['200']?.content?.['application/json']?.schema;
          const ref = typeof schema?.$ref === 'string' ? schema.$ref.split('/').pop() : null;
          const resolved = ref ? docs[service].components.schemas[ref] : schema;
          // A list, not a report with its items (a ranking with its period and rule)
          const keys = Object.keys(resolved?.properties ?? {});
          return (
            keys.includes('items') &&
            keys.every((k) => ['items', 'total', 'limit', 'offset'].includes(k)) &&
            !item.get.parameters?.some((x: Json) => x.name === 'limit')
          );
        })
        .map(([path]) => `${service} ${path}`),
    );
    expect(unpaged).toEqual([]);
    // The count is of the whole list, not the page: the ledger has more tickets than one.
    const ledger = await http('GET', `${p.urls.intake}${T}?limit=1&offset=1`, { token: operator });
    expect(ledger.body.total).toBeGreaterThan(2);
    expect(ledger.body.items).toHaveLength(1);
  });

  it('the centre’s coordination (协调) answers as documented', async () => {
    const no = (await call('intake', 'POST', T, T, operator, { body: ticket })).ticketNo as string;
    await onDesk(no);
    const done = await call('intake', 'POST', `${T}/${no}/coordination`, `${ONE}/coordination`, reviewer, {
      body: { unitId: 'housing', assistingUnitIds: ['transport'], reason: '职责交叉，经协调由住建局牵头。' },
    });
    expect(done).toMatchObject({ status: 'dispatched', alreadyApplied: false });
  });

  it('covered every answer the four documents give a schema', () => {
    // Every operation whose success answer has a schema, in the documents themselves.
    const documented = SERVICES.flatMap((service) =>
      Object.entries<Json>(docs[service].paths).flatMap(([path, item]) =>
        Object.entries<Json>(item)
          .filter(([, op]) =>
            Object.entries<Json>(op.responses ?? {}).some(
              ([status, r]) => status.startsWith('2') && r.content?.['application/json']?.schema,
            ),
          )
          .map(([method]) => `${service} ${method.toUpperCase()} ${path}`),
      ),
    );
    // And every operation has one (an answer without a body, 204, needs none; a file's download
    // documents its types as binary, and is covered too).
    const isFile = (r: Json) =>
      Object.entries<Json>(r.content ?? {}).some(
        ([type, c]) => type !== 'application/json' && c.schema?.format === 'binary',
      );
    const files = SERVICES.flatMap((service) =>
      Object.entries<Json>(docs[service].paths).flatMap(([path, item]) =>
        Object.entries<Json>(item)
          .filter(([, op]) =>
            Object.entries<Json>(op.responses ?? {}).some(
              ([status, r]) => status.startsWith('2') && isFile(r),
            ),
          )
          .map(([method]) => `${service} ${method.toUpperCase()} ${path}`),
      ),
    );
    const undocumented = SERVICES.flatMap((service) =>
      Object.entries<Json>(docs[service].paths).flatMap(([path, item]) =>
        Object.entries<Json>(item)
          .filter(
            ([, op]) =>
              !Object.entries<Json>(op.responses ?? {}).some(
                ([status, r]) =>
                  status === '204' ||
                  (status.startsWith('2') && (r.content?.['application/json']?.schema || isFile(r))),
              ),
          )
          .map(([method]) => `${service} ${method.toUpperCase()} ${path}`),
      ),
    );
    expect(undocumented).toEqual([]);
    expect(documented.length).toBeGreaterThanOrEqual(100);
    expect(files.length).toBeGreaterThanOrEqual(2);
    expect([...checked].sort()).toEqual([...new Set([...documented, ...files])].sort());
  });
});
