import type { OpenAPIObject } from '@nestjs/swagger';
import { ERROR_STATUS } from '@hotline/shared';
import { withAccess, withProblemResponses } from './openapi';

const doc = (): OpenAPIObject => ({
  openapi: '3.0.0',
  info: { title: 't', version: '1' },
  paths: {
    '/a': {
      get: { responses: { '200': { description: 'ok' } } },
      post: { responses: { '201': { description: 'made' }, default: { description: 'own' } } },
    },
    '/b/{id}': { delete: { responses: {} } },
  },
});

describe('withProblemResponses', () => {
  it('gives every operation a problem+json default response and keeps its own answers', () => {
    const d = withProblemResponses(doc());
    const get = d.paths['/a'].get!.responses;
    expect(get['200']).toEqual({ description: 'ok' });
    expect(get.default).toMatchObject({
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    });
    expect(d.paths['/b/{id}'].delete!.responses.default).toBe(get.default);
    // An operation's own default stays.
    expect(d.paths['/a'].post!.responses.default).toEqual({ description: 'own' });
  });

  it('names every stable code in the Problem schema, with its status', () => {
    const schema = withProblemResponses(doc()).components!.schemas!.Problem as {
      properties: { code: { enum: string[]; description: string } };
      required: string[];
    };
    expect(schema.properties.code.enum.sort()).toEqual(Object.keys(ERROR_STATUS).sort());
    expect(schema.properties.code.description).toContain(
      '409: conflict, action_rejected, ticket_not_signable',
    );
    expect(schema.properties.code.description).toMatch(/^Stable; by HTTP status: 400: validation_failed/);
    expect(schema.required).toEqual(['type', 'title', 'status', 'code', 'detail']);
  });
});

describe('withAccess', () => {
  it('names who may call each operation, first in its description, from the declared access table', () => {
    const out = withAccess(
      {
        openapi: '3.0.0',
        info: { title: 't', version: '1' },
        paths: {
          '/api/v1/tickets': {
            post: { description: 'Registers an appeal.', responses: {} },
            get: { responses: {} },
          },
          '/api/v1/auth/login': { post: { responses: {} } },
          '/api/v1/not-declared': { get: { responses: {} } },
        },
      },
      'intake',
    );
    const paths = out.paths as Record<string, Record<string, Record<string, unknown>>>;
    expect(paths['/api/v1/tickets']!.post).toMatchObject({
      'x-roles': ['operator', 'admin'],
      description: 'Roles: operator, admin.\n\nRegisters an appeal.',
    });
    expect(String(paths['/api/v1/tickets']!.get!.description)).toMatch(/^Roles: .*reviewer/);
    expect(paths['/api/v1/auth/login']!.post).toMatchObject({
      'x-roles': [],
      description: 'Public: no token needed.',
    });
    expect(paths['/api/v1/not-declared']!.get!.description).toBeUndefined();
    // Each role once, whatever lists the table joins.
    for (const item of Object.values(paths))
      for (const op of Object.values(item)) {
        const roles = (op['x-roles'] as string[] | undefined) ?? [];
        expect(new Set(roles).size).toBe(roles.length);
      }
  });
});
