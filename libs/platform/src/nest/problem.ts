import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  Logger,
  NotFoundException,
  ValidationError,
} from '@nestjs/common';
import { ERROR_STATUS, DomainError, isErrorCode } from '@hotline/shared';
import type { ErrorCode } from '@hotline/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** An error meant for the client: an HTTP status from its stable code, and problem+json details. */
export class ProblemException extends HttpException {
  /** @param headers response headers the problem carries (e.g. Retry-After of a 429) */
  constructor(
    readonly code: ErrorCode,
    detail: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail, ERROR_STATUS[code]);
  }
}

/**
 * The request's parameters or body failed validation: refused before its operation ran (so, for
 * one, its Idempotency-Key is given back).
 */
export class RequestValidationError extends ProblemException {
  constructor(errors: { field: string; message: string }[]) {
    // `field` names the first field refused, as a service's own check names its one.
    super('validation_failed', 'the request is not valid', {
      errors,
      ...(errors.length > 0 ? { field: errors[0].field } : {}),
    });
  }
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail: string;
  instance?: string;
  [key: string]: unknown;
}

const TITLES: Partial<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Payload Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 400:
      return 'validation_failed';
    case 401:
      return 'unauthenticated';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 405:
      return 'method_not_allowed';
    case 408:
      return 'request_timeout';
    case 409:
      return 'conflict';
    case 413:
      return 'payload_too_large';
    case 414:
      return 'uri_too_long';
    case 431:
      return 'headers_too_large';
    case 415:
      return 'unsupported_media_type';
    case 429:
      return 'rate_limited';
    case 503:
      return 'dependency_unavailable';
    default:
      return status >= 500 ? 'internal_error' : 'validation_failed';
  }
}

/**
 * class-validator's checks that a value is of the wanted type at all: where one fails, the field's
 * other checks (a range, a length) only repeat that the value is wrong, so they are left out.
 */
const TYPE_CONSTRAINTS = new Set([
  'isInt',
  'isNumber',
  'isString',
  'isBoolean',
  'isArray',
  'isObject',
  'isDate',
  'isDateString',
  'isISO8601',
  'nestedValidation',
]);

/** A field's failed checks, one `{ field, message }` each: only the type's, when the type is wrong. */
export function flattenValidationErrors(
  errors: ValidationError[],
  prefix = '',
): { field: string; message: string }[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const failed = Object.entries(e.constraints ?? {});
    const ofType = failed.filter(([name]) => TYPE_CONSTRAINTS.has(name));
    const own = (ofType.length > 0 ? ofType : failed).map(([, message]) => ({ field, message }));
    return [...own, ...flattenValidationErrors(e.children ?? [], field)];
  });
}

/**
 * The methods each path of a service answers, from its OpenAPI document: a path it serves asked
 * with another method is `405 method_not_allowed` with `Allow` (RFC 9110), not a 404 that says the
 * path does not exist. A GET path answers HEAD too (Fastify serves it), and every path OPTIONS.
 */
export class RouteMethods {
  private routes: { pattern: RegExp; methods: string[] }[] = [];

  load(paths: Record<string, Record<string, unknown>>): void {
    this.routes = Object.entries(paths).map(([template, ops]) => {
      const methods = Object.keys(ops)
        .filter((m) => ['get', 'put', 'post', 'delete', 'patch'].includes(m))
        .map((m) => m.toUpperCase());
      if (methods.includes('GET')) methods.push('HEAD');
      methods.push('OPTIONS'); // answered for every path it serves (cors.ts)
      const source = template
        .split(/\{[^/}]+\}/)
        .map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))
        .join('[^/]+');
      return { pattern: new RegExp(`^${source}$`), methods: methods.sort() };
    });
  }

  /** The methods the path (without its query) is served with; null: no such path. */
  allowed(url: string): string[] | null {
    const path = url.split('?')[0]!;
    const found = this.routes.filter((r) => r.pattern.test(path)).flatMap((r) => r.methods);
    return found.length ? [...new Set(found)].sort() : null;
  }
}

/** Every error leaves as application/problem+json (RFC 9457) with a stable `code`. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  /** @param routes what each path answers (a wrong method on a known path: 405) */
  constructor(private readonly routes: RouteMethods | null = null) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const reply = ctx.getResponse<FastifyReply>();
    const req = ctx.getRequest<FastifyRequest>();
    const allow = this.wrongMethod(exception, req);
    if (allow) void reply.header('allow', allow.join(', '));
    const body = allow
      ? this.body(
          405,
          'method_not_allowed',
          `${req.method} is not served here; it answers ${allow.join(', ')}`,
        )
      : this.toProblem(exception);
    body.instance = req.url;
    if (body.status >= 500)
      this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    if (exception instanceof ProblemException)
      for (const [name, value] of Object.entries(exception.headers)) void reply.header(name, value);
    void reply
      .status(body.status)
      .header('content-type', 'application/problem+json; charset=utf-8')
      .send(body);
  }

  /** A route not found (Nest's 404) for a path the service serves with other methods: those methods. */
  private wrongMethod(exception: unknown, req: FastifyRequest): string[] | null {
    if (!this.routes || !(exception instanceof NotFoundException) || exception instanceof ProblemException)
      return null;
    if (!/^Cannot [A-Z]+ /.test(exception.message)) return null;
    const allow = this.routes.allowed(req.url);
    return allow && !allow.includes(req.method) ? allow : null;
  }

  private toProblem(exception: unknown): ProblemBody {
    if (exception instanceof ProblemException) {
      return this.body(exception.getStatus(), exception.code, exception.message, exception.extra);
    }
    if (exception instanceof DomainError) {
      return this.body(
        ERROR_STATUS[exception.code],
        exception.code,
        exception.message,
        exception.details ?? {},
      );
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const res = exception.getResponse();
      const detail =
        typeof res === 'object' && res !== null && 'message' in res
          ? [(res as { message: unknown }).message].flat().join('; ')
          : exception.message;
      return this.body(status, codeForStatus(status), detail);
    }
    // Fastify's own client errors (bad JSON, wrong content type, body too large) carry a statusCode.
    const fastifyStatus = (exception as { statusCode?: unknown })?.statusCode;
    if (typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 500) {
      return this.body(fastifyStatus, codeForStatus(fastifyStatus), (exception as Error).message);
    }
    const code = (exception as { code?: unknown })?.code;
    if (isErrorCode(code)) return this.body(ERROR_STATUS[code], code, (exception as Error).message);
    return this.body(500, 'internal_error', 'an unexpected error occurred; it has been logged');
  }

  private body(
    status: number,
    code: ErrorCode,
    detail: string,
    extra: Record<string, unknown> = {},
  ): ProblemBody {
    return problemBody(status, code, detail, extra);
  }
}

/** The problem+json body for a status and code: the one shape every error of the platform has. */
export function problemBody(
  status: number,
  code: ErrorCode,
  detail: string,
  extra: Record<string, unknown> = {},
): ProblemBody {
  return {
    type: `https://hotline12345.example/problems/${code}`,
    title: TITLES[status] ?? 'Error',
    status,
    code,
    detail,
    ...extra,
  };
}
