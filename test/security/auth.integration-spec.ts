import { JwtService } from '@nestjs/jwt';
import { hashPassword, UserRepository } from '@hotline/platform';
import { eventually, http, login, startPlatform } from '../harness';
import type { HttpResult, Platform } from '../harness';

/**
 * Issue #7: tokens and login against the real Postgres, the services in process. Each test logs
 * in from client addresses of its own (X-Forwarded-For from a trusted local proxy) and as users of
 * its own, so its failures never lock the demo users or 127.0.0.1 that other tests log in with.
 */
describe('security: tokens and login', () => {
  let p: Platform;
  let jwt: JwtService;
  const PASSWORD = 'correct-horse-battery-staple';
  let nextAddress = 0;
  const address = () => `198.51.100.${++nextAddress}`;

  const loginAs = (username: string, password: string, from: string) =>
    http('POST', `${p.urls.intake}/api/v1/auth/login`, {
      body: { username, password },
      headers: { 'x-forwarded-for': from },
    });
  const createUser = async (username: string, role = 'operator', unitId: string | null = null) => {
    await p.db.query(
      `INSERT INTO identity.users (id, username, display_name, password_hash, role, unit_id)
       VALUES ($1,$1,$1,$2,$3,$4)`,
      [username, await hashPassword(PASSWORD), role, unitId],
    );
  };
  const expectUnauthenticated = (res: HttpResult, detail: RegExp) => {
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'unauthenticated', detail: expect.stringMatching(detail) });
  };
  const expectLocked = (res: HttpResult) => {
    expect(res.status).toBe(429);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'rate_limited' });
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    expect(res.body.retryAfterSeconds).toBe(retryAfter);
  };
  const now = () => Math.floor(Date.now() / 1000);
  const adminPolicySets = (token: string) =>
    http('GET', `${p.urls.intake}/api/v1/admin/policy-sets`, { token });
  const sign = (claims: object, opts: Record<string, unknown> = {}) =>
    jwt.sign({ sub: 'admin', username: 'admin', role: 'admin', unitId: null, ver: 0, ...claims }, opts);

  beforeAll(async () => {
    p = await startPlatform({ trustProxy: '127.0.0.1', authUserCacheTtlMs: 1000 });
    jwt = new JwtService({ secret: p.config.jwtSecret });
  });
  afterAll(async () => {
    await p?.stop();
  });

  describe('tokens', () => {
    it('accepts a token the login issued, and one signed with the same claims and secret', async () => {
      expect((await adminPolicySets(await login(p.urls.intake, 'admin'))).status).toBe(200);
      expect((await adminPolicySets(sign({}, { expiresIn: 600 }))).status).toBe(200);
    });
    it('refuses a token signed with another secret (a forged admin)', async () => {
      const forged = new JwtService({ secret: 'local-development-secret-change-me' }).sign(
        { sub: 'admin', username: 'admin', role: 'admin', unitId: null, ver: 0 },
        { expiresIn: 600 },
      );
      expectUnauthenticated(await adminPolicySets(forged), /invalid/);
    });
    it('refuses a token without exp', async () => {
      expectUnauthenticated(await adminPolicySets(sign({})), /no expiry/);
    });
    it('refuses a token issued in the future, and one living longer than configured', async () => {
      const year = 365 * 86400;
      expectUnauthenticated(
        await adminPolicySets(sign({ iat: now() + year, exp: now() + year + 3600 })),
        /future/,
      );
      expectUnauthenticated(await adminPolicySets(sign({ iat: now(), exp: now() + year })), /lifetime/);
    });
    it('refuses alg none', async () => {
      const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
      const claims = {
        sub: 'admin',
        username: 'admin',
        role: 'admin',
        unitId: null,
        ver: 0,
        iat: now(),
        exp: now() + 600,
      };
      expectUnauthenticated(
        await adminPolicySets(`${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`),
        /invalid/,
      );
    });
    it('refuses a unit that does not exist, a role or user that is not the database’s', async () => {
      const desk = (token: string) => http('GET', `${p.urls.dispatch}/api/v1/tickets`, { token });
      const clerk = { sub: 'clerk.housing', username: 'clerk.housing', role: 'unit_clerk', ver: 0 };
      expect((await desk(sign({ ...clerk, unitId: 'housing' }, { expiresIn: 600 }))).status).toBe(200);
      expectUnauthenticated(await desk(sign({ ...clerk, unitId: 'nowhere' }, { expiresIn: 600 })), /unit/);
      expectUnauthenticated(
        await adminPolicySets(sign({ sub: 'operator', username: 'operator' }, { expiresIn: 600 })),
        /role/,
      );
      expectUnauthenticated(
        await adminPolicySets(sign({ sub: 'ghost', username: 'ghost' }, { expiresIn: 600 })),
        /unknown user/,
      );
      expectUnauthenticated(await adminPolicySets(sign({ ver: 7 }, { expiresIn: 600 })), /revoked/);
    });
    it("refuses a user's token within the cache TTL once they are deactivated in the database", async () => {
      await createUser('sec.deactivated');
      const token = (await loginAs('sec.deactivated', PASSWORD, address())).body.accessToken as string;
      const ledger = () => http('GET', `${p.urls.intake}/api/v1/tickets`, { token });
      expect((await ledger()).status).toBe(200);
      await p.db.query(
        `UPDATE identity.users SET active = false, token_version = token_version + 1 WHERE username = $1`,
        ['sec.deactivated'],
      );
      // This platform caches users for 1 s (AUTH_USER_CACHE_TTL_MS); no assertion on the time.
      const refused = await eventually('the token refused', async () => {
        const res = await ledger();
        return res.status === 401 ? res : null;
      });
      expectUnauthenticated(refused, /deactivated/);
      expect((await loginAs('sec.deactivated', PASSWORD, address())).status).toBe(401);
    });
    it('revokes the tokens issued before a bump of token_version, not the next ones', async () => {
      await createUser('sec.revoked');
      const old = (await loginAs('sec.revoked', PASSWORD, address())).body.accessToken as string;
      const users = new UserRepository(p.db, 0);
      expect(await users.revokeTokens('sec.revoked')).toBe(true);
      const ledger = (token: string) => http('GET', `${p.urls.intake}/api/v1/tickets`, { token });
      const refused = await eventually('the old token refused', async () => {
        const res = await ledger(old);
        return res.status === 401 ? res : null;
      });
      expectUnauthenticated(refused, /revoked/);
      const fresh = (await loginAs('sec.revoked', PASSWORD, address())).body.accessToken as string;
      expect((await ledger(fresh)).status).toBe(200);
    });
    it("an administrator's deactivation refuses the token on intake at once", async () => {
      await createUser('sec.fired');
      const token = (await loginAs('sec.fired', PASSWORD, address())).body.accessToken as string;
      const ledger = () => http('GET', `${p.urls.intake}/api/v1/tickets`, { token });
      expect((await ledger()).status).toBe(200);
      const admin = await login(p.urls.intake, 'admin');
      const res = await http('POST', `${p.urls.intake}/api/v1/admin/users/sec.fired/deactivate`, {
        token: admin,
      });
      expect(res.status).toBe(200);
      expectUnauthenticated(await ledger(), /deactivated/);
      const missing = await http('POST', `${p.urls.intake}/api/v1/admin/users/nobody/deactivate`, {
        token: admin,
      });
      expect(missing.status).toBe(404);
    });
  });

  describe('login', () => {
    it('answers an unknown user like a wrong password', async () => {
      await createUser('sec.known');
      const from = address();
      const unknown = await loginAs('sec.nobody', PASSWORD, from);
      const wrong = await loginAs('sec.known', 'wrong password', from);
      expect(unknown.status).toBe(401);
      expect(wrong.status).toBe(401);
      const { instance: _a, ...u } = unknown.body;
      const { instance: _b, ...w } = wrong.body;
      expect(u).toEqual(w);
      expect(u.code).toBe('invalid_credentials');
    });
    it('locks an account after 5 failures: the 6th attempt and then the right password get 429', async () => {
      await createUser('sec.locked');
      for (let i = 0; i < 5; i++) {
        const res = await loginAs('sec.locked', `wrong-${i}`, address());
        expect(res.status).toBe(401);
      }
      expectLocked(await loginAs('sec.locked', 'wrong-6', address()));
      expectLocked(await loginAs('sec.locked', PASSWORD, address()));
      expectLocked(await loginAs('SEC.Locked', PASSWORD, address())); // the same account
      // an administrator lifts the lock
      const admin = await login(p.urls.intake, 'admin');
      expect(
        (await http('DELETE', `${p.urls.intake}/api/v1/admin/users/sec.locked/lockout`, { token: admin }))
          .status,
      ).toBe(200);
      expect((await loginAs('sec.locked', PASSWORD, address())).status).toBe(200);
    });
    it('counts a burst of concurrent guesses exactly: 5 are checked, the rest refused', async () => {
      await createUser('sec.burst');
      const from = address();
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) => loginAs('sec.burst', `guess-${i}`, from)),
      );
      const statuses = answers.map((r) => r.status).sort();
      expect(statuses.filter((s) => s === 401)).toHaveLength(5);
      expect(statuses.filter((s) => s === 429)).toHaveLength(15);
    });
    it("a success resets the account's failures", async () => {
      await createUser('sec.reset');
      for (let i = 0; i < 4; i++) expect((await loginAs('sec.reset', 'wrong', address())).status).toBe(401);
      expect((await loginAs('sec.reset', PASSWORD, address())).status).toBe(200);
      for (let i = 0; i < 5; i++) expect((await loginAs('sec.reset', 'wrong', address())).status).toBe(401);
      expectLocked(await loginAs('sec.reset', PASSWORD, address()));
    });
    it('lets concurrent right logins to one account and from one address all through', async () => {
      await createUser('sec.shift');
      const from = address();
      const answers = await Promise.all(
        Array.from({ length: 24 }, () => loginAs('sec.shift', PASSWORD, from)),
      );
      expect(answers.map((r) => r.status)).toEqual(Array(24).fill(200));
    });
    it('limits failures per client address across usernames (100), other addresses unaffected', async () => {
      await createUser('sec.sprayed');
      const from = address();
      // successes from the address neither count nor clear its failures
      expect((await loginAs('sec.sprayed', PASSWORD, from)).status).toBe(200);
      for (let i = 0; i < 100; i++) {
        const res = await loginAs(`sec.spray-${i}`, 'guess', from);
        expect(res.status).toBe(401);
      }
      expectLocked(await loginAs('sec.sprayed', PASSWORD, from));
      expect((await loginAs('sec.sprayed', PASSWORD, address())).status).toBe(200);
    });
    it('never counts a malformed login request: 150 of them leave the address and the account open', async () => {
      await createUser('sec.malformed');
      const from = address();
      const bad = [
        { username: 'sec.malformed' },
        { username: 'sec.malformed', password: 42 },
        { username: ['sec.malformed'], password: 'x' },
        { username: 'sec.malformed', password: 'x', extra: true },
        { username: 'sec.malformed\u0000', password: 'x' },
      ];
      for (let i = 0; i < 150; i++) {
        const res = await http('POST', `${p.urls.intake}/api/v1/auth/login`, {
          body: bad[i % bad.length],
          headers: { 'x-forwarded-for': from },
        });
        expect(res.status).toBe(400);
      }
      expect((await loginAs('sec.malformed', PASSWORD, from)).status).toBe(200);
    });
    it('keeps the counters in Postgres (identity.login_throttle)', async () => {
      const rows = await p.db.query(
        `SELECT scope, failures, locked_until IS NOT NULL AS locked FROM identity.login_throttle WHERE key = 'login:sec.reset'`,
      );
      expect(rows).toEqual([{ scope: 'account', failures: 0, locked: true }]);
    });
  });
});
