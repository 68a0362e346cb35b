import { BadRequestException, NotFoundException } from '@nestjs/common';
import type { ArgumentsHost, ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { DomainError } from '@hotline/shared';
import { AuthGuard, Public, Roles } from './auth';
import { ProblemDetailsFilter, ProblemException } from './problem';

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

describe('AuthGuard', () => {
  const jwt = new JwtService({ secret: 'unit-test-secret-123456' });
  const guard = new AuthGuard(jwt, new Reflector());
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
  const token = (role: string, unitId: string | null = null) =>
    `Bearer ${jwt.sign({ sub: 'u1', username: 'u1', role, unitId })}`;

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
});
