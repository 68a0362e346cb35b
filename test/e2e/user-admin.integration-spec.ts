import { http, login, startPlatform } from '../harness';
import type { Platform } from '../harness';

/**
 * The administrator's accounts on the real stack: a user created through the API logs in with its
 * first password, as its role and unit; a password set by the administrator ends the tokens issued
 * before; bad accounts are refused with the field named, and nobody else administers users. The
 * users made here are deactivated at the end.
 */
describe('user administration (e2e)', () => {
  let p: Platform;
  let admin: string;
  let operator: string;
  let auditor: string;
  const tag = Date.now().toString(36);
  const clerk = `clerk.housing.${tag}`;
  const made: string[] = [];

  beforeAll(async () => {
    p = await startPlatform();
    [admin, operator, auditor] = await Promise.all(
      ['admin', 'operator', 'auditor'].map((u) => login(p.urls.intake, u)),
    );
  });
  afterAll(async () => {
    if (made.length)
      await p?.db.query(`UPDATE identity.users SET active = false WHERE username = ANY($1)`, [made]);
    await p?.stop();
  });

  const U = () => `${p.urls.intake}/api/v1/admin/users`;
  const create = (body: Record<string, unknown>, token = admin) => http('POST', U(), { token, body });
  const signIn = (username: string, password: string) =>
    http('POST', `${p.urls.intake}/api/v1/auth/login`, { body: { username, password } });

  it('creates a unit’s clerk who logs in as one, sees the unit’s desk, and is listed', async () => {
    const body = {
      username: clerk,
      displayName: '住建局经办人',
      role: 'unit_clerk',
      unitId: 'housing',
      password: 'first-password-1',
    };
    const [one, two] = await Promise.all([create(body), create(body)]);
    made.push(clerk);
    expect([one.status, two.status].sort()).toEqual([201, 409]);
    const created = one.status === 201 ? one.body : two.body;
    expect(created).toEqual({
      username: clerk,
      displayName: '住建局经办人',
      role: 'unit_clerk',
      unitId: 'housing',
      unitLeader: false,
      active: true,
      createdAt: expect.any(String),
    });
    expect((one.status === 409 ? one : two).body).toMatchObject({ code: 'conflict', field: 'username' });
    const [{ n }] = await p.db.query(`SELECT count(*)::int AS n FROM identity.users WHERE username = $1`, [
      clerk,
    ]);
    expect(n).toBe(1);

    const session = await signIn(clerk, 'first-password-1');
    expect(session.status).toBe(200);
    expect(session.body).toMatchObject({ username: clerk, role: 'unit_clerk', unitId: 'housing' });
    const desk = await http('GET', `${p.urls.dispatch}/api/v1/tickets`, { token: session.body.accessToken });
    expect(desk.status).toBe(200);

    expect((await http('GET', `${U()}/${clerk}`, { token: admin })).body).toEqual(created);
    const listed = await http('GET', `${U()}?role=unit_clerk&unitId=housing&active=true&limit=200`, {
      token: admin,
    });
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((u: { username: string }) => u.username)).toContain(clerk);
    expect(
      listed.body.items.every(
        (u: { role: string; unitId: string }) => u.role === 'unit_clerk' && u.unitId === 'housing',
      ),
    ).toBe(true);
    expect(JSON.stringify(listed.body)).not.toMatch(/password|scrypt|tokenVersion/i);
    const inactive = await http('GET', `${U()}?active=false&limit=200`, { token: admin });
    expect(inactive.body.items.map((u: { username: string }) => u.username)).not.toContain(clerk);
  });

  it('sets a password: the tokens issued before and the old password stop working, the new one works', async () => {
    const username = `operator.${tag}`;
    const c = await create({
      username,
      displayName: '话务员',
      role: 'operator',
      password: 'first-password-2',
    });
    made.push(username);
    expect(c.status).toBe(201);
    const before = (await signIn(username, 'first-password-2')).body.accessToken as string;
    expect((await http('GET', `${p.urls.intake}/api/v1/tickets?limit=1`, { token: before })).status).toBe(
      200,
    );

    const set = await http('PUT', `${U()}/${username}/password`, {
      token: admin,
      body: { password: 'second-password-2' },
    });
    expect([set.status, set.body]).toEqual([200, { username, tokensRevoked: true }]);
    expect((await http('GET', `${p.urls.intake}/api/v1/tickets?limit=1`, { token: before })).status).toBe(
      401,
    );
    expect((await signIn(username, 'first-password-2')).status).toBe(401);
    expect((await signIn(username, 'second-password-2')).status).toBe(200);

    for (const password of ['short', username, ' '.repeat(12), 'x'.repeat(129)]) {
      const bad = await http('PUT', `${U()}/${username}/password`, { token: admin, body: { password } });
      expect([bad.status, bad.body.code, bad.body.field]).toEqual([400, 'validation_failed', 'password']);
    }
    const nobody = await http('PUT', `${U()}/no-such-user/password`, {
      token: admin,
      body: { password: 'some-password-3' },
    });
    expect([nobody.status, nobody.body.code]).toEqual([404, 'not_found']);
    expect((await signIn(username, 'second-password-2')).status).toBe(200);
  });

  it('lets a user change their own password: the earlier tokens end, the answer is a new token', async () => {
    const username = `self.${tag}`;
    made.push(username);
    expect(
      (await create({ username, displayName: '审核员', role: 'reviewer', password: 'given-by-admin-6' }))
        .status,
    ).toBe(201);
    const first = (await signIn(username, 'given-by-admin-6')).body.accessToken as string;
    const change = (token: string, currentPassword: string, newPassword: string) =>
      http('POST', `${p.urls.intake}/api/v1/auth/password`, {
        token,
        body: { currentPassword, newPassword },
      });

    const wrong = await change(first, 'not-my-password', 'chosen-by-me-6');
    expect([wrong.status, wrong.body.code, wrong.body.field]).toEqual([
      400,
      'wrong_password',
      'currentPassword',
    ]);
    const weak = await change(first, 'given-by-admin-6', username);
    expect([weak.status, weak.body.code, weak.body.field]).toEqual([400, 'validation_failed', 'newPassword']);

    const changed = await change(first, 'given-by-admin-6', 'chosen-by-me-6');
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ username, role: 'reviewer', tokenType: 'Bearer' });
    const tickets = (token: string) => http('GET', `${p.urls.intake}/api/v1/tickets?limit=1`, { token });
    expect((await tickets(first)).status).toBe(401);
    expect((await tickets(changed.body.accessToken)).status).toBe(200);
    expect((await signIn(username, 'given-by-admin-6')).status).toBe(401);
    expect((await signIn(username, 'chosen-by-me-6')).status).toBe(200);
    expect((await change(undefined as unknown as string, 'chosen-by-me-6', 'x-new-password-6')).status).toBe(
      401,
    );
  });

  it('locks the change of password after 5 wrong current passwords, the right one too', async () => {
    const username = `guess.${tag}`;
    made.push(username);
    await create({ username, displayName: '话务员', role: 'operator', password: 'given-by-admin-7' });
    const token = (await signIn(username, 'given-by-admin-7')).body.accessToken as string;
    const change = (currentPassword: string) =>
      http('POST', `${p.urls.intake}/api/v1/auth/password`, {
        token,
        body: { currentPassword, newPassword: 'chosen-by-me-7' },
      });
    for (let i = 0; i < 5; i++)
      expect((await change(`guess-${i}-password`)).body.code).toBe('wrong_password');
    const locked = await change('given-by-admin-7');
    expect([locked.status, locked.body.code]).toEqual([429, 'rate_limited']);
    // The password was not changed, and logging in is a budget of its own.
    expect((await signIn(username, 'given-by-admin-7')).status).toBe(200);
    // The administrator clears the account's locks, this one too.
    expect((await http('DELETE', `${U()}/${username}/lockout`, { token: admin })).body).toMatchObject({
      unlocked: true,
    });
    expect((await change('given-by-admin-7')).status).toBe(200);
  });

  it('refuses a bad account with the field named, and writes nothing', async () => {
    const good = { username: `x.${tag}`, displayName: '某人', role: 'operator', password: 'good-password-4' };
    const cases: [Record<string, unknown>, number, string, string | undefined][] = [
      [{ ...good, username: 'Upper.Case' }, 400, 'validation_failed', 'username'],
      [{ ...good, username: '张三' }, 400, 'validation_failed', 'username'],
      [{ ...good, role: 'root' }, 400, 'validation_failed', undefined],
      [{ ...good, role: 'unit_clerk' }, 400, 'validation_failed', 'unitId'],
      [{ ...good, unitId: 'housing' }, 400, 'validation_failed', 'unitId'],
      [{ ...good, role: 'unit_clerk', unitId: 'no-such-unit' }, 400, 'unknown_unit', 'unitId'],
      [{ ...good, displayName: '   ' }, 400, 'validation_failed', 'displayName'],
      [{ ...good, password: 'short' }, 400, 'validation_failed', 'password'],
      [{ ...good, password: good.username }, 400, 'validation_failed', undefined],
      [{ ...good, extra: 1 }, 400, 'validation_failed', undefined],
    ];
    const [{ n: before }] = await p.db.query(`SELECT count(*)::int AS n FROM identity.users`);
    for (const [body, status, code, field] of cases) {
      const r = await create(body);
      expect({ body, status: r.status, code: r.body.code }).toEqual({ body, status, code });
      if (field) expect({ body, field: r.body.field }).toEqual({ body, field });
    }
    const [{ n: after }] = await p.db.query(`SELECT count(*)::int AS n FROM identity.users`);
    expect(after).toBe(before);
  });

  it('lets nobody but the administrator create, list, read or set a password', async () => {
    for (const token of [operator, auditor]) {
      expect(
        (
          await create(
            { username: `y.${tag}`, displayName: 'y', role: 'operator', password: 'good-password-5' },
            token,
          )
        ).status,
      ).toBe(403);
      expect((await http('GET', U(), { token })).status).toBe(403);
      expect((await http('GET', `${U()}/admin`, { token })).status).toBe(403);
      expect(
        (await http('PUT', `${U()}/admin/password`, { token, body: { password: 'good-password-5' } })).status,
      ).toBe(403);
    }
    expect((await http('GET', U())).status).toBe(401);
    expect((await http('GET', `${U()}/no-such-user`, { token: admin })).status).toBe(404);
    expect((await http('GET', `${U()}?role=root`, { token: admin })).status).toBe(400);
    expect((await http('GET', `${U()}?active=yes`, { token: admin })).status).toBe(400);
  });

  it('keeps the administrator’s trail: who changed which account, and what, never a password by value', async () => {
    const username = `trail.${tag}`;
    made.push(username);
    expect(
      (await create({ username, displayName: '留痕测试', role: 'operator', password: 'trail-password-1' }))
        .status,
    ).toBe(201);
    expect(
      (
        await http('PUT', `${U()}/${username}/password`, {
          token: admin,
          body: { password: 'trail-password-2' },
        })
      ).status,
    ).toBe(200);
    expect((await http('POST', `${U()}/${username}/deactivate`, { token: admin })).status).toBe(200);
    const trail = await http(
      'GET',
      `${p.urls.intake}/api/v1/audit/admin-actions?subject=${username}&limit=50`,
      {
        token: auditor,
      },
    );
    expect(trail.status).toBe(200);
    const actions = (
      trail.body.items as {
        action: string;
        actor: Record<string, string>;
        changes: Record<string, unknown>;
      }[]
    )
      .slice()
      .reverse();
    expect(actions.map((a) => a.action)).toEqual([
      'identity.users.insert',
      'identity.users.update',
      'identity.users.update',
    ]);
    for (const a of actions)
      expect(a.actor).toMatchObject({ kind: 'user', username: 'admin', role: 'admin' });
    expect(actions[1]!.changes).toMatchObject({ password_hash: '(changed)', token_version: [0, 1] });
    expect(actions[2]!.changes).toMatchObject({ active: [true, false] });
    expect(JSON.stringify(trail.body)).not.toMatch(/scrypt|trail-password/);
    // Append-only, and the trail is the auditor's and the administrators' only.
    await expect(
      p.db.query(`DELETE FROM audit.admin_actions WHERE subject = $1`, [username]),
    ).rejects.toThrow();
    expect(
      (await http('GET', `${p.urls.intake}/api/v1/audit/admin-actions`, { token: operator })).status,
    ).toBe(403);
  });

  it('lists the trail newest first, rows of one moment by their number (9 before 10, not after)', async () => {
    const subject = `order-probe-${Date.now()}`;
    // Rows of one moment (one statement) whose numbers cross a power of ten: 10^k − 5 … 10^k + 6.
    await p.db.query(`
      SELECT setval(pg_get_serial_sequence('audit.admin_actions', 'id'),
        power(10, length((nextval(pg_get_serial_sequence('audit.admin_actions', 'id')) + 6)::text))::bigint - 6)`);
    await p.db.query(
      `INSERT INTO audit.admin_actions (actor, action, subject, changes)
       SELECT '{"kind":"system"}', 'probe.order', $1, '{}' FROM generate_series(1, 12)`,
      [subject],
    );
    const r = await http('GET', `${p.urls.intake}/api/v1/audit/admin-actions?subject=${subject}&limit=50`, {
      token: auditor,
    });
    const ids = (r.body.items as { id: string }[]).map((a) => BigInt(a.id));
    expect(ids).toHaveLength(12);
    expect(ids).toEqual([...ids].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0)));
    expect(new Set(ids.map((i) => i.toString().length)).size).toBe(2);
  });

  it('never deactivates an administrator themself, nor the last active one, even two at once', async () => {
    const self = await http('POST', `${U()}/admin/deactivate`, { token: admin });
    expect([self.status, self.body.code]).toEqual([409, 'conflict']);
    // The other administrators of the run's database, set aside so that two remain: admin and one made here.
    const others: string[] = (
      await p.db.query(
        `SELECT username FROM identity.users WHERE role = 'admin' AND active AND username <> 'admin'`,
      )
    ).map((r: { username: string }) => r.username);
    await p.db.query(`UPDATE identity.users SET active = false WHERE username = ANY($1)`, [others]);
    const second = `admin.${tag}`;
    try {
      expect(
        (
          await create({
            username: second,
            displayName: '第二管理员',
            role: 'admin',
            password: 'second-admin-9',
          })
        ).status,
      ).toBe(201);
      made.push(second);
      const secondToken = (await signIn(second, 'second-admin-9')).body.accessToken as string;
      // Each deactivates the other at the same moment: one goes, the last one stays.
      const [a, b] = await Promise.all([
        http('POST', `${U()}/${second}/deactivate`, { token: admin }),
        http('POST', `${U()}/admin/deactivate`, { token: secondToken }),
      ]);
      expect([a.status, b.status].sort()).toEqual([200, 409]);
      const [{ n }] = await p.db.query(
        `SELECT count(*)::int AS n FROM identity.users WHERE role = 'admin' AND active`,
      );
      expect(n).toBe(1);
    } finally {
      await p.db.query(`UPDATE identity.users SET active = true WHERE username = ANY($1)`, [
        ['admin', ...others],
      ]);
    }
  });
});
