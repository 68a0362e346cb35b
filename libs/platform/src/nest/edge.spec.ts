import {
  BadRequestException,
  Body,
  Controller,
  Get,
  Module,
  NotFoundException,
  Param,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import type { ArgumentsHost, ExecutionContext } from '@nestjs/common';
import { connect } from 'node:net';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min, validate } from 'class-validator';
import { DomainError } from '@hotline/shared';
import type { PlatformConfig, Role, TokenUser } from '@hotline/shared';
import { AuthGuard, CheckedBeforeBody, Public, Roles } from './auth';
import { createHttpApp } from './bootstrap';
import { PageQuery } from './dtos';
import { flattenValidationErrors, ProblemDetailsFilter, ProblemException, RouteMethods } from './problem';
import { findForbiddenKey } from './security-edge';

function capture(exception: unknown) {
  const sent: { status?: number; headers: Record<string, string>; body?: Record<string, unknown> } = {
    headers: {},
  };
  const reply = {
    status(s: number) {
      sent.status = s;
      return reply;
    },
    header(k: string, v: string) {
      sent.headers[k] = v;
      return reply;
    },
    send(b: Record<string, unknown>) {
      sent.body = b;
      return reply;
    },
  };
  const host = {
    switchToHttp: () => ({ getResponse: () => reply, getRequest: () => ({ url: '/x' }) }),
  } as unknown as ArgumentsHost;
  new ProblemDetailsFilter().catch(exception, host);
  return sent;
}

describe('problem+json', () => {
  it('keeps the stable code of a ProblemException', () => {
    const r = capture(new ProblemException('ticket_not_found', 'no ticket 1'));
    expect(r.status).toBe(404);
    expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(r.body).toMatchObject({
      code: 'ticket_not_found',
      detail: 'no ticket 1',
      status: 404,
      instance: '/x',
    });
  });
  it('gives every status it uses a title', () => {
    expect(capture(new ProblemException('reply_not_closable', '答复仅称"已处理"')).body).toMatchObject({
      status: 422,
      title: 'Unprocessable Content',
    });
  });
  it('maps domain errors by their code', () => {
    expect(capture(new DomainError('ticket_not_signable', 'nope')).status).toBe(409);
  });
  it('gives framework errors a code from their status', () => {
    expect(capture(new NotFoundException()).body?.code).toBe('not_found');
    expect(capture(new BadRequestException('bad')).body?.code).toBe('validation_failed');
  });
  it("maps Fastify's client errors (bad JSON) to 4xx, not 500", () => {
    const err = Object.assign(new Error('Unexpected end of JSON input'), { statusCode: 400 });
    expect(capture(err).status).toBe(400);
  });
  it('hides the details of an unexpected error', () => {
    const r = capture(new Error('connection string postgres://secret'));
    expect(r.status).toBe(500);
    expect(r.body?.code).toBe('internal_error');
    expect(JSON.stringify(r.body)).not.toContain('secret');
  });
});

describe('validation errors', () => {
  class Body {
    @IsInt()
    @Min(1)
    @Max(720)
    hours!: unknown;

    @IsString()
    @MaxLength(5)
    note!: unknown;
  }
  const errorsOf = async (values: Record<string, unknown>) =>
    flattenValidationErrors(await validate(Object.assign(new Body(), values)));

  it('a value of the wrong type is told its type only, not every range it would also miss', async () => {
    expect(await errorsOf({ hours: 'abc', note: 7 })).toEqual([
      { field: 'hours', message: 'hours must be an integer number' },
      { field: 'note', message: 'note must be a string' },
    ]);
  });

  it('a value of the right type is told each check it fails', async () => {
    expect(await errorsOf({ hours: 0, note: '太长的一段说明' })).toEqual([
      { field: 'hours', message: 'hours must not be less than 1' },
      { field: 'note', message: 'note must be shorter than or equal to 5 characters' },
    ]);
  });
});

describe('RouteMethods: what each path of the document answers', () => {
  const routes = new RouteMethods();
  routes.load({
    '/api/v1/tickets': { get: {}, post: {} },
    '/api/v1/tickets/{ticketNo}': { get: {}, parameters: [] },
    '/api/v1/tickets/{ticketNo}/attachments/{attachmentId}/withdrawal': { post: {} },
    '/api/v1/a.b': { delete: {} },
  });
  it('matches a path by its template, one segment a parameter, without the query', () => {
    expect(routes.allowed('/api/v1/tickets?limit=1')).toEqual(['GET', 'HEAD', 'OPTIONS', 'POST']);
    expect(routes.allowed('/api/v1/tickets/20261207000001')).toEqual(['GET', 'HEAD', 'OPTIONS']);
    expect(routes.allowed('/api/v1/tickets/1/attachments/x/withdrawal')).toEqual(['OPTIONS', 'POST']);
    expect(routes.allowed('/api/v1/a.b')).toEqual(['DELETE', 'OPTIONS']);
  });
  it('knows no other path: none with a segment more or less, nor a dot read as any character', () => {
    for (const url of [
      '/api/v1/tickets/1/2',
      '/api/v1',
      '/api/v1/tickets/',
      '/api/v1/axb',
      '/API/V1/tickets',
    ])
      expect(routes.allowed(url)).toBeNull();
  });
});

describe('AuthGuard', () => {
  const jwt = new JwtService({ secret: 'unit-test-secret-123456', signOptions: { expiresIn: 3600 } });
  const users = new Map<string, TokenUser>();
  const lookups: string[] = [];
  const lookup = {
    findForToken: async (id: string) => {
      lookups.push(id);
      return users.get(id) ?? null;
    },
  };
  const guard = new AuthGuard(jwt, new Reflector(), lookup, { jwtTtlSeconds: 3600 });
  const user = (id: string, role: Role, unitId: string | null = null, over: Partial<TokenUser> = {}) =>
    users.set(id, { id, role, unitId, active: true, tokenVersion: 0, unitExists: true, ...over });
  beforeEach(() => {
    users.clear();
    lookups.length = 0;
    user('u1', 'operator');
    user('c1', 'unit_clerk', 'x');
  });
  class C {
    @Public() open() {}
    @Roles('operator') operatorsOnly() {}
    anyone() {}
  }
  const ctx = (handler: keyof C, authorization?: string) => {
    const req: Record<string, unknown> = { headers: { authorization } };
    return {
      req,
      ctx: {
        getHandler: () => C.prototype[handler],
        getClass: () => C,
        switchToHttp: () => ({ getRequest: () => req }),
      } as unknown as ExecutionContext,
    };
  };
  const token = (role: string, unitId: string | null = null, sub = role === 'unit_clerk' ? 'c1' : 'u1') =>
    `Bearer ${jwt.sign({ sub, username: sub, role, unitId, ver: 0 })}`;
  const refused = async (authorization: string, detail: RegExp) => {
    await expect(guard.canActivate(ctx('anyone', authorization).ctx)).rejects.toMatchObject({
      code: 'unauthenticated',
      message: expect.stringMatching(detail),
    });
  };
  const now = () => Math.floor(Date.now() / 1000);

  it('lets public routes through without a token', async () => {
    expect(await guard.canActivate(ctx('open').ctx)).toBe(true);
  });
  it('requires a valid bearer token elsewhere', async () => {
    await expect(guard.canActivate(ctx('anyone').ctx)).rejects.toMatchObject({ code: 'unauthenticated' });
    await expect(guard.canActivate(ctx('anyone', 'Bearer nonsense').ctx)).rejects.toMatchObject({
      code: 'unauthenticated',
    });
    const forged = `Bearer ${new JwtService({ secret: 'another-secret-abcdef' }).sign({ sub: 'x', role: 'admin' })}`;
    await expect(guard.canActivate(ctx('anyone', forged).ctx)).rejects.toMatchObject({
      code: 'unauthenticated',
    });
  });
  it("checks the route's roles and attaches the principal", async () => {
    await expect(guard.canActivate(ctx('operatorsOnly', token('unit_clerk', 'x')).ctx)).rejects.toMatchObject(
      {
        code: 'forbidden',
      },
    );
    const { req, ctx: c } = ctx('operatorsOnly', token('operator'));
    expect(await guard.canActivate(c)).toBe(true);
    expect(req.principal).toEqual({ userId: 'u1', username: 'u1', role: 'operator', unitId: null });
  });
  it('rejects a token with an unknown role', async () => {
    await expect(guard.canActivate(ctx('anyone', token('emperor')).ctx)).rejects.toMatchObject({
      code: 'unauthenticated',
    });
  });
  it('rejects a token without exp, with a future iat, or living longer than configured', async () => {
    const raw = (claims: Record<string, unknown>) =>
      `Bearer ${new JwtService({ secret: 'unit-test-secret-123456' }).sign({ sub: 'u1', username: 'u1', role: 'operator', unitId: null, ver: 0, ...claims })}`;
    await refused(raw({}), /no expiry/);
    await refused(raw({ iat: now() + 365 * 86400, exp: now() + 366 * 86400 }), /future/);
    await refused(raw({ iat: now(), exp: now() + 30 * 86400 }), /lifetime/);
    await refused(raw({ iat: now(), exp: now() + 3600, ver: undefined }), /token version/);
    expect(await guard.canActivate(ctx('anyone', raw({ iat: now(), exp: now() + 3600 })).ctx)).toBe(true);
  });
  it('rejects alg none and other algorithms than HS256', async () => {
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const body = b64({
      sub: 'u1',
      username: 'u1',
      role: 'admin',
      unitId: null,
      ver: 0,
      iat: now(),
      exp: now() + 60,
    });
    await refused(`Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${body}.`, /invalid/);
    const hs512 = new JwtService({ secret: 'unit-test-secret-123456' }).sign(
      { sub: 'u1', username: 'u1', role: 'operator', unitId: null, ver: 0 },
      { algorithm: 'HS512', expiresIn: 60 },
    );
    await refused(`Bearer ${hs512}`, /invalid/);
  });
  it('rejects a token whose user is unknown, deactivated, revoked or changed', async () => {
    await refused(token('operator', null, 'ghost'), /unknown user/);
    user('u1', 'operator', null, { active: false });
    await refused(token('operator'), /deactivated/);
    user('u1', 'operator', null, { tokenVersion: 1 });
    await refused(token('operator'), /revoked/);
    user('u1', 'reviewer');
    await refused(token('operator'), /role no longer/);
    await refused(token('unit_clerk', 'nowhere'), /unit no longer/);
    user('c1', 'unit_clerk', 'x', { unitExists: false });
    await refused(token('unit_clerk', 'x'), /unit does not exist/);
    expect(lookups).toContain('c1');
  });
});

describe('the edge refuses text Postgres cannot store, and deep bodies (every route, a real app)', () => {
  class NoteDto {
    @IsString()
    reason!: string;

    @IsOptional()
    meta?: unknown;
  }
  const reached: unknown[] = [];
  @Controller('edge')
  class EdgeController {
    @Post(':id')
    create(@Param('id') id: string, @Body() body: NoteDto) {
      reached.push(body);
      return { id, reason: body.reason };
    }
    @Post(':id/sign')
    sign(@Param('id') id: string) {
      reached.push(id);
      return { id, signed: true };
    }
    @Get(':id')
    get(@Param('id') id: string, @Query('q') q?: string) {
      reached.push(id);
      return { id, q: q ?? null };
    }
  }
  /** A webhook with its shared secret, checked before the body (CheckedBeforeBody). */
  @Controller('hook')
  class HookController {
    @Post()
    @CheckedBeforeBody((headers) => {
      if (headers['x-hook-token'] !== 'the-hook-secret')
        throw new ProblemException('unauthenticated', 'a valid X-Hook-Token is required');
    })
    take(@Body() body: NoteDto) {
      reached.push(body);
      return { reason: body.reason };
    }
  }
  @Module({ controllers: [EdgeController, HookController] })
  class EdgeModule {}

  let app: NestFastifyApplication;
  beforeAll(async () => {
    const config = { logLevel: 'error' } as PlatformConfig;
    app = await createHttpApp(EdgeModule, config, { title: 'edge', description: 'edge', port: 0 });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(async () => {
    await app.close();
  });
  beforeEach(() => {
    reached.length = 0;
  });

  const post = (url: string, payload: string) =>
    app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload });
  const expectProblem = (
    res: { statusCode: number; headers: Record<string, unknown>; body: string },
    code: string,
    field: string,
  ) => {
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = JSON.parse(res.body) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 400, code, field });
    expect(body.detail).toContain(field);
    expect(reached).toEqual([]); // no handler ran
    return body;
  };

  it('answers a served path asked with another method 405 with Allow; an unknown path 404', async () => {
    for (const [method, url, allow] of [
      ['DELETE', '/edge/1', 'GET, HEAD, OPTIONS, POST'],
      ['PUT', '/edge/1?q=x', 'GET, HEAD, OPTIONS, POST'],
      ['GET', '/edge/1/sign', 'OPTIONS, POST'],
    ] as const) {
      const res = await app.inject({ method, url });
      expect({ url, status: res.statusCode, allow: res.headers.allow }).toEqual({ url, status: 405, allow });
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(res.body)).toMatchObject({ status: 405, code: 'method_not_allowed', instance: url });
    }
    for (const url of ['/nothing', '/edge/1/2/3', '/edge']) {
      const res = await app.inject({ method: 'GET', url });
      expect({ url, status: res.statusCode, code: JSON.parse(res.body).code }).toEqual({
        url,
        status: 404,
        code: 'not_found',
      });
      expect(res.headers.allow).toBeUndefined();
    }
    expect((await app.inject({ method: 'GET', url: '/edge/1' })).statusCode).toBe(200);
    expect(reached).toEqual(['1']);
  });

  it('answers OPTIONS on a served path 204 with Allow and no CORS header; on an unknown path 404', async () => {
    for (const [url, allow] of [
      ['/edge/1', 'GET, HEAD, OPTIONS, POST'],
      ['/edge/1/sign?x=1', 'OPTIONS, POST'],
    ] as const) {
      const res = await app.inject({ method: 'OPTIONS', url, headers: { origin: 'https://evil.example' } });
      expect({ url, status: res.statusCode, allow: res.headers.allow, body: res.body }).toEqual({
        url,
        status: 204,
        allow,
        body: '',
      });
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    }
    const unknown = await app.inject({ method: 'OPTIONS', url: '/edge/1/2/3' });
    expect([unknown.statusCode, JSON.parse(unknown.body).code]).toEqual([404, 'not_found']);
    expect(reached).toEqual([]);
  });

  it('refuses a text/plain body with 415 before the route reads it', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/edge/1',
      headers: { 'content-type': 'text/plain' },
      payload: '{"reason":"x"}',
    });
    expect([res.statusCode, JSON.parse(res.body).code]).toEqual([415, 'unsupported_media_type']);
    expect(JSON.parse(res.body).detail).toMatch(/takes JSON/);
    expect(reached).toEqual([]);
  });

  it("runs a route's check of its caller before its body is read: no token, no word on the body", async () => {
    const bodies: [type: string, payload: string, refusedWithToken: [number, string]][] = [
      ['text/plain', 'reason=x', [415, 'unsupported_media_type']],
      ['application/xml', '<reason>x</reason>', [415, 'unsupported_media_type']],
      ['application/json', '{"reason":', [400, 'validation_failed']],
      ['application/json', `{"reason":"${'x'.repeat(1024 * 1024)}"}`, [413, 'payload_too_large']],
      ['application/json', '{"reason":1}', [400, 'validation_failed']],
    ];
    for (const [type, payload, withToken] of bodies) {
      const refused = await app.inject({
        method: 'POST',
        url: '/hook',
        headers: { 'content-type': type, 'x-hook-token': 'wrong' },
        payload,
      });
      expect([type, refused.statusCode, JSON.parse(refused.body).code]).toEqual([
        type,
        401,
        'unauthenticated',
      ]);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(refused.headers['x-content-type-options']).toBe('nosniff');
      const taken = await app.inject({
        method: 'POST',
        url: '/hook',
        headers: { 'content-type': type, 'x-hook-token': 'the-hook-secret' },
        payload,
      });
      expect([type, taken.statusCode, JSON.parse(taken.body).code]).toEqual([type, ...withToken]);
    }
    expect(reached).toEqual([]);
    const ok = await app.inject({
      method: 'POST',
      url: '/hook',
      headers: { 'content-type': 'application/json', 'x-hook-token': 'the-hook-secret' },
      payload: '{"reason":"x"}',
    });
    expect([ok.statusCode, JSON.parse(ok.body)]).toEqual([201, { reason: 'x' }]);
    // Another route, without such a check, is unchanged: its body is refused as before.
    const other = await app.inject({
      method: 'POST',
      url: '/edge/1',
      headers: { 'content-type': 'application/xml' },
      payload: '<reason>x</reason>',
    });
    expect(other.statusCode).toBe(415);
  });

  it('refuses a __proto__ or constructor key naming the field, not as bad JSON', async () => {
    expectProblem(
      await post('/edge/1', '{"reason":"x","__proto__":{"admin":true}}'),
      'validation_failed',
      'body.__proto__',
    );
    expectProblem(
      await post('/edge/1', '{"reason":"x","meta":{"constructor":{"prototype":{"admin":true}}}}'),
      'validation_failed',
      'body.meta.constructor',
    );
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('lets valid text through: Chinese, emoji, 𠮷', async () => {
    const res = await post(
      '/edge/1',
      JSON.stringify({ reason: '路面破损 😀 𠮷野家', meta: { 标签: ['👍'] } }),
    );
    expect(res.statusCode).toBe(201);
    expect(JSON.parse(res.body)).toEqual({ id: '1', reason: '路面破损 😀 𠮷野家' });
  });

  it('refuses a NUL character in the body with 400 invalid_text naming the field', async () => {
    const res = await post('/edge/1', '{"reason":"ab\\u0000c"}');
    expectProblem(res, 'invalid_text', 'body.reason');
  });

  it('refuses a text-direction override in a value with 400 invalid_text naming the field', async () => {
    const res = await post('/edge/1', '{"reason":"进度\\u202e反转"}');
    expectProblem(res, 'invalid_text', 'body.reason');
    expect(JSON.parse(res.body).detail).toContain('text-direction');
  });

  it('refuses a lone surrogate in a nested field, or in a key', async () => {
    const res = await post('/edge/1', '{"reason":"ok","meta":{"items":[{"note":"x\\ud83d"}]}}');
    expectProblem(res, 'invalid_text', 'body.meta.items[0].note');
    const key = await post('/edge/1', '{"reason":"ok","meta":{"a\\u0000":1}}');
    expectProblem(key, 'invalid_text', 'body.meta["a\\u0000"]');
  });

  it('refuses a NUL path parameter (%00 arrives decoded) with 400, not 500', async () => {
    expectProblem(await app.inject({ method: 'GET', url: '/edge/%00' }), 'invalid_text', 'params.id');
    expectProblem(await post('/edge/a%00b', '{"reason":"ok"}'), 'invalid_text', 'params.id');
  });

  it('refuses a NUL in the query string', async () => {
    expectProblem(await app.inject({ method: 'GET', url: '/edge/1?q=a%00' }), 'invalid_text', 'query.q');
    const ok = await app.inject({ method: 'GET', url: '/edge/1?q=%E4%B8%AD%E6%96%87' });
    expect(JSON.parse(ok.body)).toEqual({ id: '1', q: '中文' });
  });

  it('refuses a body that is not UTF-8 with 400 invalid_text, never storing U+FFFD in its place', async () => {
    const bytes = Buffer.concat([
      Buffer.from('{"reason":"bad '),
      Buffer.from([0xff, 0xfe, 0xc3, 0x28]),
      Buffer.from('"}'),
    ]);
    const res = await app.inject({
      method: 'POST',
      url: '/edge/1',
      headers: { 'content-type': 'application/json' },
      payload: bytes,
    });
    expect([res.statusCode, JSON.parse(res.body).code]).toEqual([400, 'invalid_text']);
    expect(JSON.parse(res.body).detail).toMatch(/not valid UTF-8/);
    expect(reached).toEqual([]);
    const ok = await post('/edge/1', JSON.stringify({ reason: '中文 😀' }));
    expect(ok.statusCode).toBe(201);
  });

  it('refuses an object of more than 1,000 keys, in the body or the query, before validating it', async () => {
    const keys = (n: number, prefix = '') =>
      Array.from({ length: n }, (_, i) => `"${prefix}k${i}":${i}`).join(',');
    // 60,000 unknown keys cost seconds of the only thread in validation; refused at once, briefly.
    const wide = await post('/edge/1', `{"reason":"x",${keys(60_000)}}`);
    const body = expectProblem(wide, 'validation_failed', 'body');
    expect(body.detail).toMatch(/more than 1000 keys/);
    expect(wide.body.length).toBeLessThan(1000);
    expectProblem(
      await post('/edge/1', `{"reason":"x","meta":{${keys(1001)}}}`),
      'validation_failed',
      'body.meta',
    );
    // 1,000 are allowed through to validation, which names the unknown ones.
    const known = await post('/edge/1', `{"reason":"x","meta":{${keys(999)}}}`);
    expect(known.statusCode).toBe(201);
    reached.length = 0;
    const query = Array.from({ length: 1001 }, (_, i) => `k${i}=1`).join('&');
    expectProblem(await app.inject({ method: 'GET', url: `/edge/1?${query}` }), 'validation_failed', 'query');
  });

  it('refuses a body nested 33 deep with 400 validation_failed before parsing it, and takes 32', async () => {
    const nested = (n: number) => `{"reason":"ok","meta":${'['.repeat(n - 1)}1${']'.repeat(n - 1)}}`;
    const res = await post('/edge/1', nested(33));
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(res.body)).toMatchObject({
      code: 'validation_failed',
      // refused by the body parser, before parsing (the later check would name the field)
      detail: 'the JSON body is too deeply nested (more than 32 levels)',
    });
    expect(reached).toEqual([]);
    expect((await post('/edge/1', nested(32))).statusCode).toBe(201);
  });

  it('counts nesting outside strings only: brackets and escaped quotes in text are text', async () => {
    const reason = `${'['.repeat(100)} \\" {{{ ${'{'.repeat(100)}`;
    const res = await post('/edge/1', JSON.stringify({ reason }));
    expect(res.statusCode).toBe(201);
    expect(JSON.parse(res.body)).toEqual({ id: '1', reason });
  });

  it('refuses a body nested 40 deep sent as application/json with a charset', async () => {
    const deep = `{"reason":"ok","meta":${'['.repeat(39)}1${']'.repeat(39)}}`;
    const res = await app.inject({
      method: 'POST',
      url: '/edge/1',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      payload: deep,
    });
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ code: 'validation_failed' });
  });

  it('takes an empty body labelled JSON as no body: an action without one goes through', async () => {
    for (const payload of ['', '  \r\n\t']) {
      const res = await post('/edge/1/sign', payload);
      expect(res.statusCode).toBe(201);
      expect(JSON.parse(res.body)).toEqual({ id: '1', signed: true });
    }
  });

  it('refuses an empty body labelled JSON where one is needed, naming the fields it lacks', async () => {
    const res = await post('/edge/1', '');
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({
      code: 'validation_failed',
      errors: [expect.objectContaining({ field: 'reason' })],
    });
    expect(reached).toEqual([]);
  });

  it('refuses a 100,000-deep body without crashing', async () => {
    const res = await post('/edge/1', `${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(res.body)).toMatchObject({ code: 'validation_failed' });
  });
});

describe("every error is problem+json, the framework's own too, and every response has the security headers", () => {
  class PageDto {
    @IsOptional()
    @IsString()
    q?: string;
  }
  @Controller('api/v1/things')
  class ThingsController {
    @Get()
    list(@Query() q: PageQuery) {
      return { limit: q.limit ?? 20, offset: q.offset ?? 0 };
    }
    @Get(':id')
    get(@Param('id') id: string) {
      return { id };
    }
    @Post()
    create(@Body() body: PageDto) {
      return body;
    }
    @Get('page/html')
    page(@Res({ passthrough: true }) res: FastifyReply) {
      void res.header('content-type', 'text/html; charset=utf-8');
      return '<!DOCTYPE html><style>p{color:red}</style><p>报告</p>';
    }
  }
  @Module({ controllers: [ThingsController] })
  class ThingsModule {}

  let app: NestFastifyApplication;
  let url: string;
  beforeAll(async () => {
    const config = { logLevel: 'error' } as PlatformConfig;
    app = await createHttpApp(ThingsModule, config, { title: 't', description: 't', port: 0 });
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });
  afterAll(async () => {
    await app.close();
  });

  const expectProblem = (
    res: { statusCode: number; headers: Record<string, unknown>; body: string },
    status: number,
    code?: string,
  ) => {
    expect([res.statusCode, res.body.slice(0, 200)]).toEqual([status, expect.any(String)]);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = JSON.parse(res.body) as Record<string, unknown>;
    expect(body).toMatchObject({ status, code: code ?? expect.any(String) });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  };
  const inject = (method: string, path: string, extra: Record<string, unknown> = {}) =>
    app.inject({ method: method as 'GET', url: path, ...extra });

  it('refuses an offset of 1e308 or 20 digits with 400 validation_failed, not 500', async () => {
    expectProblem(await inject('GET', '/api/v1/things?offset=1e308'), 400, 'validation_failed');
    expectProblem(
      await inject('GET', '/api/v1/things?offset=99999999999999999999'),
      400,
      'validation_failed',
    );
    expectProblem(await inject('GET', '/api/v1/things?limit=-1'), 400, 'validation_failed');
    expectProblem(await inject('GET', '/api/v1/things?limit=1.5'), 400, 'validation_failed');
    expect((await inject('GET', '/api/v1/things?offset=1000000000')).statusCode).toBe(200);
  });

  it('reads paging in decimal digits only: 0x10, 1e1, 0b11, a blank or a padded number is 400', async () => {
    for (const v of ['0x10', '1e1', '0b11', '0o7', '', '%2010', '10%20', '+5', '1_0'])
      expectProblem(await inject('GET', `/api/v1/things?limit=${v}`), 400, 'validation_failed');
    expectProblem(await inject('GET', '/api/v1/things?offset=0x10'), 400, 'validation_failed');
    const ok = await inject('GET', '/api/v1/things?limit=010&offset=7');
    expect([ok.statusCode, JSON.parse(ok.body)]).toEqual([200, { limit: 10, offset: 7 }]);
  });

  it('answers an unknown route, a wrong method, bad JSON, a wrong content type and a large body as problem+json', async () => {
    expectProblem(await inject('GET', '/nope'), 404, 'not_found');
    const wrong = await inject('DELETE', '/api/v1/things');
    expectProblem(wrong, 405, 'method_not_allowed');
    expect(wrong.headers.allow).toMatch(/GET/);
    const json = { 'content-type': 'application/json' };
    expectProblem(await inject('POST', '/api/v1/things', { headers: json, payload: '{"q":' }), 400);
    expectProblem(
      await inject('POST', '/api/v1/things', { headers: { 'content-type': 'text/xml' }, payload: '<a/>' }),
      415,
      'unsupported_media_type',
    );
    expectProblem(
      await inject('POST', '/api/v1/things', { headers: json, payload: `{"q":"${'x'.repeat(1_100_000)}"}` }),
      413,
      'payload_too_large',
    );
  });

  it('answers a malformed URL and a 5,000-character path parameter as problem+json (400, 414)', async () => {
    expectProblem(await inject('GET', '/api/v1/things/%E0%A4%A'), 400, 'validation_failed');
    const long = await inject('GET', `/api/v1/things/${'a'.repeat(5000)}`);
    expectProblem(long, 414, 'uri_too_long');
    expect(long.body.length).toBeLessThan(1000);
  });

  it("answers Node's own refusals (a 100 kB header, garbage instead of HTTP) as problem+json on the socket", async () => {
    const raw = (request: string) =>
      new Promise<string>((resolve, reject) => {
        const { port, hostname } = new URL(url);
        const socket = connect(Number(port), hostname, () => socket.write(request));
        let data = '';
        socket.on('data', (d) => (data += d.toString()));
        socket.on('end', () => resolve(data));
        socket.on('error', reject);
      });
    const big = await raw(`GET /api/v1/things HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(100_000)}\r\n\r\n`);
    expect(big).toMatch(/^HTTP\/1\.1 431 /);
    expect(big).toMatch(/content-type: application\/problem\+json/i);
    expect(JSON.parse(big.slice(big.indexOf('\r\n\r\n') + 4))).toMatchObject({
      status: 431,
      code: 'headers_too_large',
    });
    const garbage = await raw('THIS IS NOT HTTP\r\n\r\n');
    expect(garbage).toMatch(/^HTTP\/1\.1 400 /);
    expect(garbage).toMatch(/x-content-type-options: nosniff/i);
  });

  it('puts the security headers on every response; /docs keeps a CSP the Swagger UI can run under', async () => {
    const ok = await inject('GET', '/api/v1/things');
    expect(ok.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'cache-control': 'no-store',
    });
    expect(ok.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(ok.headers['x-powered-by']).toBeUndefined();
    const docs = await inject('GET', '/docs');
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('swagger-ui');
    const csp = String(docs.headers['content-security-policy']);
    expect(csp).toMatch(/script-src 'self'/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    for (const m of docs.body.matchAll(/<script src="([^"]+)"/g)) {
      const asset = await inject('GET', new URL(m[1], `${url}/docs`).pathname);
      expect([m[1], asset.statusCode]).toEqual([m[1], 200]);
    }
    expect((await inject('GET', '/docs-json')).statusCode).toBe(200);
    // A page of our own (a report) keeps its inline styles, and still runs no script.
    const page = await inject('GET', '/api/v1/things/page/html');
    const pageCsp = String(page.headers['content-security-policy']);
    expect(pageCsp).toMatch(/style-src 'unsafe-inline'/);
    expect(pageCsp).toMatch(/default-src 'none'/);
    expect(pageCsp).not.toMatch(/script-src/);
  });
});

describe('cross-origin access: only the origins the deployment names (CORS_ORIGINS)', () => {
  @Controller('api/v1/things')
  class ThingsController {
    @Get(':id')
    get(@Param('id') id: string) {
      if (id === 'missing') throw new ProblemException('ticket_not_found', 'no such thing');
      return { id };
    }
    @Post(':id/sign')
    sign(@Param('id') id: string) {
      return { id };
    }
  }
  @Module({ controllers: [ThingsController] })
  class ThingsModule {}

  let app: NestFastifyApplication;
  const page = 'https://hotline.example';
  beforeAll(async () => {
    const config = { logLevel: 'error', corsOrigins: [page] } as unknown as PlatformConfig;
    app = await createHttpApp(ThingsModule, config, { title: 't', description: 't', port: 0 });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(async () => {
    await app.close();
  });
  const cors = (headers: Record<string, unknown>) =>
    Object.fromEntries(
      Object.entries(headers).filter(([k]) => k.startsWith('access-control-') || k === 'vary'),
    );

  it("answers a named origin's preflight with the path's methods and the headers the APIs read", async () => {
    const res = await app.inject({
      method: 'OPTIONS',
      url: '/api/v1/things/1/sign',
      headers: {
        origin: page,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, idempotency-key',
      },
    });
    expect(res.statusCode).toBe(204);
    expect(res.headers.allow).toBe('OPTIONS, POST');
    expect(cors(res.headers)).toEqual({
      vary: 'Origin',
      'access-control-allow-origin': page,
      'access-control-allow-methods': 'OPTIONS, POST',
      'access-control-allow-headers': 'authorization, content-type, idempotency-key',
      'access-control-max-age': '600',
      'access-control-expose-headers': 'allow, content-disposition, etag, retry-after',
    });
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('names the origin on its answers, errors too, so the page can read the problem', async () => {
    const ok = await app.inject({ method: 'GET', url: '/api/v1/things/1', headers: { origin: page } });
    expect([ok.statusCode, ok.headers['access-control-allow-origin'], ok.headers.vary]).toEqual([
      200,
      page,
      'Origin',
    ]);
    const missing = await app.inject({
      method: 'GET',
      url: '/api/v1/things/missing',
      headers: { origin: page },
    });
    expect([missing.statusCode, missing.headers['access-control-allow-origin']]).toEqual([404, page]);
  });

  it('gives another origin, or a look-alike, no CORS header at all (the browser keeps the answer)', async () => {
    for (const origin of [
      'https://evil.example',
      'https://hotline.example.evil.example',
      'http://hotline.example',
      'null',
    ]) {
      for (const method of ['OPTIONS', 'GET'] as const) {
        const res = await app.inject({ method, url: '/api/v1/things/1', headers: { origin } });
        expect({ origin, method, cors: cors(res.headers) }).toEqual({
          origin,
          method,
          cors: { vary: 'Origin' },
        });
      }
    }
    const none = await app.inject({ method: 'GET', url: '/api/v1/things/1' });
    expect(cors(none.headers)).toEqual({ vary: 'Origin' });
  });
});

describe('prototype keys in a body', () => {
  it('finds constructor / prototype / __proto__ at any depth', () => {
    expect(findForbiddenKey({ a: 1, b: [{ c: 2 }] })).toBeNull();
    expect(findForbiddenKey({ constructor: true })).toBe('body.constructor');
    expect(findForbiddenKey({ a: [{ b: { prototype: 1 } }] })).toBe('body.a[0].b.prototype');
    expect(findForbiddenKey(JSON.parse('{"x":{"__proto__":{"admin":true}}}'))).toBe('body.x.__proto__');
    expect(findForbiddenKey(null)).toBeNull();
  });
});
