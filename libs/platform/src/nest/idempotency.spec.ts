import { randomBytes } from 'node:crypto';
import { Body, Controller, Headers, Injectable, Module, Param, Post } from '@nestjs/common';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { IsOptional, IsString } from 'class-validator';
import { decideClaim } from '@hotline/shared';
import type { IdempotencyClaim, PlatformConfig } from '@hotline/shared';
import { IdempotencyKeyRepository } from '../repositories/idempotency-key.repository';
import { PiiCipher } from '../security/pii-cipher';
import { createHttpApp } from './bootstrap';
import { ApiIdempotencyKey } from './dtos';
import { IdempotencyInterceptor } from './idempotency';
import { ProblemException } from './problem';

/** The key store as Postgres keeps it (one fingerprint per scope and key, and its answer), in memory. */
class MemoryKeys {
  readonly rows = new Map<string, string>();
  readonly answers = new Map<string, string | null>();
  async claim(scope: string, key: string, fingerprint: string): Promise<IdempotencyClaim> {
    const id = `${scope}#${key}`;
    const claim = decideClaim(this.rows.get(id) ?? null, fingerprint);
    if (claim === 'first') this.rows.set(id, fingerprint);
    return claim;
  }
  async release(scope: string, key: string, fingerprint: string): Promise<void> {
    if (this.rows.get(`${scope}#${key}`) === fingerprint) this.rows.delete(`${scope}#${key}`);
  }
  async answer(scope: string, key: string, fingerprint: string, answer: string | null): Promise<void> {
    if (this.rows.get(`${scope}#${key}`) === fingerprint) this.answers.set(`${scope}#${key}`, answer);
  }
  async answerOf(scope: string, key: string): Promise<{ done: boolean; answer: string | null }> {
    const id = `${scope}#${key}`;
    return this.answers.has(id)
      ? { done: true, answer: this.answers.get(id)! }
      : { done: false, answer: null };
  }
}

class ActionDto {
  @IsString()
  content!: string;

  @IsOptional()
  @IsString()
  note?: string;
}

const done: string[] = [];
const closed = new Set<string>();

@Controller('tickets')
class ActionsController {
  @Post(':no/reply')
  @ApiIdempotencyKey()
  reply(@Param('no') no: string, @Body() body: ActionDto, @Headers('idempotency-key') _key?: string) {
    if (body.content === 'refuse') throw new ProblemException('reply_not_closable', 'not closable');
    if (body.content.trim() === '') throw new ProblemException('validation_failed', 'the reply is blank');
    if (body.content === 'nosuch') throw new ProblemException('unknown_category', 'no category nosuch');
    if (body.content === 'down') throw new ProblemException('dependency_unavailable', 'no worker');
    done.push(`${no}:${body.content}`);
    return { done: done.length };
  }

  /** An action its own success closes (a callback task): run again, it is refused as done. */
  @Post(':no/once')
  @ApiIdempotencyKey()
  async once(@Param('no') no: string, @Body() body: ActionDto, @Headers('idempotency-key') _key?: string) {
    if (closed.has(no)) throw new ProblemException('task_done', 'this callback is done');
    closed.add(no);
    done.push(`${no}:${body.content}`);
    const n = done.length;
    if (body.content === 'slow') await new Promise((resolve) => setTimeout(resolve, 300));
    return { done: n };
  }

  @Post(':no/note')
  note(@Param('no') no: string, @Body() body: ActionDto) {
    done.push(`${no}:${body.content}`);
    return { done: done.length };
  }
}

/** The logged-in user, from a test header. */
@Injectable()
class FakeAuth implements CanActivate {
  canActivate(ctx: ExecutionContext): boolean {
    const req = ctx.switchToHttp().getRequest<{ headers: Record<string, string>; principal?: unknown }>();
    req.principal = { userId: req.headers['x-user'] ?? 'clerk-a', role: 'unit_clerk', username: 'c' };
    return true;
  }
}

const keys = new MemoryKeys();

@Module({
  controllers: [ActionsController],
  providers: [
    { provide: IdempotencyKeyRepository, useValue: keys },
    {
      provide: PiiCipher,
      useValue: new PiiCipher({ keys: [['k1', randomBytes(32)]], indexKey: randomBytes(32) }),
    },
    { provide: APP_GUARD, useClass: FakeAuth },
    { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
  ],
})
class ActionsModule {}

describe('IdempotencyInterceptor (a real app, the key store in memory)', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await createHttpApp(ActionsModule, { logLevel: 'error' } as PlatformConfig, {
      title: 't',
      description: 't',
      port: 0,
    });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(async () => {
    await app.close();
  });
  beforeEach(() => {
    done.length = 0;
    keys.rows.clear();
    keys.answers.clear();
    closed.clear();
  });

  const post = (url: string, body: unknown, key?: string, user = 'clerk-a') =>
    app
      .inject({
        method: 'POST',
        url,
        headers: {
          'content-type': 'application/json',
          'x-user': user,
          ...(key === undefined ? {} : { 'idempotency-key': key }),
        },
        payload: typeof body === 'string' ? body : JSON.stringify(body),
      })
      .then((r) => ({ status: r.statusCode, body: JSON.parse(r.body) as Record<string, unknown> }));

  it('lets a repeat of the same request through (the operation answers it), in any key order', async () => {
    expect((await post('/tickets/1/reply', { content: 'a', note: 'n' }, 'k')).status).toBe(201);
    expect((await post('/tickets/1/reply', '{"note":"n","content":"a"}', 'k')).status).toBe(201);
    expect(keys.rows.size).toBe(1);
  });

  it("answers a repeat its operation refuses because the first went through with the first's answer", async () => {
    const first = await post('/tickets/1/once', { content: 'a' }, 'k');
    expect(first).toEqual({ status: 201, body: { done: 1 } });
    expect(await post('/tickets/1/once', { content: 'a' }, 'k')).toEqual(first);
    // Without the key, or under another, the refusal stands: it is another request.
    expect((await post('/tickets/1/once', { content: 'a' })).body.code).toBe('task_done');
    expect((await post('/tickets/1/once', { content: 'a' }, 'k2')).body.code).toBe('task_done');
    expect(done).toEqual(['1:a']);
  });

  it('makes such a repeat sent while the first is under way wait for its answer', async () => {
    const answers = await Promise.all([1, 2, 3].map(() => post('/tickets/1/once', { content: 'slow' }, 'k')));
    expect(answers).toEqual([1, 2, 3].map(() => ({ status: 201, body: { done: 1 } })));
    expect(done).toEqual(['1:slow']);
  });

  it('lets the refusal stand where the kept answer cannot be read (a key gone from the ring)', async () => {
    await post('/tickets/1/once', { content: 'a' }, 'k');
    const [id] = [...keys.answers.keys()];
    keys.answers.set(id!, 'k9.garbage');
    expect((await post('/tickets/1/once', { content: 'a' }, 'k')).body.code).toBe('task_done');
  });

  it('refuses another body under a used key with 422 idempotency_key_reused, before the operation runs', async () => {
    await post('/tickets/1/reply', { content: 'a' }, 'k');
    const r = await post('/tickets/1/reply', { content: 'b' }, 'k');
    expect(r.status).toBe(422);
    expect(r.body).toMatchObject({ code: 'idempotency_key_reused', status: 422 });
    expect(done).toEqual(['1:a']);
  });

  it('scopes a key to the caller, the operation and the resource', async () => {
    await post('/tickets/1/reply', { content: 'a' }, 'k');
    expect((await post('/tickets/2/reply', { content: 'b' }, 'k')).status).toBe(201);
    expect((await post('/tickets/1/reply', { content: 'b' }, 'k', 'clerk-b')).status).toBe(201);
    expect(done).toEqual(['1:a', '2:b', '1:b']);
  });

  it('gives the key back when the request failed validation (it never reached its operation)', async () => {
    const bad = await post('/tickets/1/reply', { content: 42 }, 'k');
    expect(bad).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
    expect(keys.rows.size).toBe(0);
    expect((await post('/tickets/1/reply', { content: 'fixed' }, 'k')).status).toBe(201);
    expect(done).toEqual(['1:fixed']);
  });

  it('gives the key back when the operation itself refused the request as invalid (a blank the edge let by)', async () => {
    const blank = await post('/tickets/1/reply', { content: '   ' }, 'k');
    expect(blank).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
    expect(keys.rows.size).toBe(0);
    // Any 400 changed nothing: a category the catalog does not know too.
    const unknown = await post('/tickets/1/reply', { content: 'nosuch' }, 'k');
    expect(unknown).toMatchObject({ status: 400, body: { code: 'unknown_category' } });
    expect(keys.rows.size).toBe(0);
    expect((await post('/tickets/1/reply', { content: 'fixed' }, 'k')).status).toBe(201);
    expect(done).toEqual(['1:fixed']);
  });

  it('keeps the key with a request its operation refused: another body under it is refused', async () => {
    expect((await post('/tickets/1/reply', { content: 'refuse' }, 'k')).status).toBe(422);
    const other = await post('/tickets/1/reply', { content: 'fixed' }, 'k');
    expect(other).toMatchObject({ status: 422, body: { code: 'idempotency_key_reused' } });
    expect((await post('/tickets/1/reply', { content: 'refuse' }, 'k')).body.code).toBe('reply_not_closable');
    expect(done).toEqual([]);
  });

  it('keeps the key after a 5xx (the action may still take effect): only its repeat may follow', async () => {
    expect((await post('/tickets/1/reply', { content: 'down' }, 'k')).status).toBe(503);
    expect((await post('/tickets/1/reply', { content: 'other' }, 'k')).status).toBe(422);
    expect(done).toEqual([]);
  });

  it('checks nothing without a key, or on an operation that does not take one', async () => {
    expect((await post('/tickets/1/reply', { content: 'a' })).status).toBe(201);
    expect((await post('/tickets/1/reply', { content: 'b' })).status).toBe(201);
    expect((await post('/tickets/1/note', { content: 'a' }, 'k')).status).toBe(201);
    expect((await post('/tickets/1/note', { content: 'b' }, 'k')).status).toBe(201);
    expect(keys.rows.size).toBe(0);
  });

  it('answers 503, not 500, when the key store cannot be reached, and does nothing', async () => {
    const claim = jest.spyOn(keys, 'claim').mockRejectedValueOnce(new Error('connect ECONNREFUSED'));
    const r = await post('/tickets/1/reply', { content: 'a' }, 'k');
    expect(r).toMatchObject({ status: 503, body: { code: 'dependency_unavailable' } });
    expect(done).toEqual([]);
    claim.mockRestore();
  });

  it('refuses a malformed key with 400 before claiming it', async () => {
    const r = await post('/tickets/1/reply', { content: 'a' }, 'bad key');
    expect(r).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
    expect(keys.rows.size).toBe(0);
    expect(done).toEqual([]);
  });

  it('keeps no body in the clear: the fingerprint is a keyed hash, the answer sealed', async () => {
    await post('/tickets/1/reply', { content: '13800138000' }, 'k');
    const [fingerprint] = [...keys.rows.values()];
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
    const [answer] = [...keys.answers.values()];
    expect(answer).toEqual(expect.any(String));
    expect(answer).not.toContain('done');
  });
});
