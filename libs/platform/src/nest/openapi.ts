import type { OpenAPIObject } from '@nestjs/swagger';
import { ERROR_STATUS, OPERATION_ACCESS } from '@hotline/shared';
import type { ErrorCode, ServiceName } from '@hotline/shared';

const PROBLEM = 'Problem';
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** Every stable code under its HTTP status (`409: conflict, …; 422: …`): what a client can switch on. */
function codesByStatus(): string {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const [code, status] of Object.entries(ERROR_STATUS) as [ErrorCode, number][])
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  return [...byStatus.entries()]
    .sort(([a], [b]) => a - b)
    .map(([status, codes]) => `${status}: ${codes.join(', ')}`)
    .join('; ');
}

/**
 * Adds what every operation can answer besides its success: a problem (RFC 9457,
 * `application/problem+json`) whose `code` is one of the platform's stable codes. It is the
 * operations' `default` response, so no status is promised that an operation cannot give.
 */
export function withProblemResponses(doc: OpenAPIObject): OpenAPIObject {
  doc.components ??= {};
  doc.components.schemas ??= {};
  doc.components.schemas[PROBLEM] = {
    type: 'object',
    description: 'A refusal (RFC 9457 problem details). Switch on `code`, never on `detail`.',
    required: ['type', 'title', 'status', 'code', 'detail'],
    properties: {
      type: { type: 'string', example: 'https://hotline12345.example/problems/ticket_not_signable' },
      title: { type: 'string', example: 'Conflict' },
      status: { type: 'integer', example: 409 },
      code: {
        type: 'string',
        enum: Object.keys(ERROR_STATUS),
        description: `Stable; by HTTP status: ${codesByStatus()}.`,
      },
      detail: { type: 'string', description: 'For people; may change.' },
      instance: { type: 'string', description: 'The request path.' },
    },
    additionalProperties: true,
  };
  const response = {
    description: 'Refused: a problem with a stable `code`.',
    content: { 'application/problem+json': { schema: { $ref: `#/components/schemas/${PROBLEM}` } } },
  };
  for (const item of Object.values(doc.paths ?? {}))
    for (const method of METHODS) {
      const op = item[method];
      if (op) op.responses = { ...op.responses, default: op.responses?.default ?? response };
    }
  return doc;
}

/**
 * Says on each operation who may call it, from the platform's declared access table
 * (OPERATION_ACCESS, which the authorization matrix test holds the controllers to): `x-roles`,
 * and a first line of its description, so a reader of /docs sees it without trying.
 */
export function withAccess(doc: OpenAPIObject, service: ServiceName): OpenAPIObject {
  for (const [path, item] of Object.entries(doc.paths ?? {}))
    for (const method of METHODS) {
      const op = item[method];
      const rule = op ? OPERATION_ACCESS[`${service} ${method.toUpperCase()} ${path}`] : undefined;
      if (!op || !rule) continue;
      const roles = rule.roles === 'public' ? [] : [...new Set(rule.roles)];
      const who = rule.roles === 'public' ? 'Public: no token needed.' : `Roles: ${roles.join(', ')}.`;
      (op as unknown as Record<string, unknown>)['x-roles'] = roles;
      op.description = op.description ? `${who}\n\n${op.description}` : who;
    }
  return doc;
}
