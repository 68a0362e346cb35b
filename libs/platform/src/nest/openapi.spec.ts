import type { OpenAPIObject } from '@nestjs/swagger';
import { ERROR_STATUS } from '@hotline/shared';
import { withProblemResponses } from './openapi';

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
