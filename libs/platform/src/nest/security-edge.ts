import { isUtf8 } from 'node:buffer';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { MAX_JSON_DEPTH } from '@hotline/shared';
import type { ErrorCode } from '@hotline/shared';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import { codeForStatus, problemBody, ProblemException } from './problem';

/**
 * The security edge of every service (issue #7): the framework's own errors leave as
 * problem+json like every other error, and every response carries the security headers.
 *
 * - Fastify answers a malformed URL (`FST_ERR_BAD_URL`) and a path parameter longer than
 *   MAX_PARAM_LENGTH (`FST_ERR_MAX_PARAM_LENGTH`, 414) itself, before any route: `frameworkErrors`
 *   makes those problem+json.
 * - Node's HTTP parser refuses what is not HTTP (a 100 kB header: 431, a bad request line: 400)
 *   before Fastify sees a request: `clientErrorHandler` (the server's `clientError` event) writes a
 *   problem+json response on the socket and closes it.
 * - Bad JSON, a wrong content type, a body too large and unknown routes reach Nest's error and
 *   not-found handlers, where the global ProblemDetailsFilter already answers problem+json.
 */

/** No path parameter of the platform is longer (ticket numbers 14, unit ids 64, codes 32). */
export const MAX_PARAM_LENGTH = 200;

/** Security headers on every response; a strict CSP but for the Swagger UI at /docs. */
const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
const DOCS_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; " +
  "frame-ancestors 'none'; form-action 'self'";

/**
 * A page of our own (the HTML reports): self-contained, its styles inline and its charts inline
 * SVG, no script. The API's policy blocked the styles, so a report opened in a browser was bare.
 */
const PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; " +
  "base-uri 'none'; form-action 'none'";

function isDocs(url: string): boolean {
  return url === '/docs' || url.startsWith('/docs/') || url.startsWith('/docs?') || url.startsWith('/docs-');
}

export function securityHeaders(url: string, contentType?: string): Record<string, string> {
  const docs = isDocs(url);
  const page = !docs && /^text\/html/i.test(contentType ?? '');
  return {
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'content-security-policy': docs ? DOCS_CSP : page ? PAGE_CSP : API_CSP,
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    ...(docs ? {} : { 'cache-control': 'no-store' }),
  };
}

function sendProblem(reply: FastifyReply, req: FastifyRequest, status: number, detail: string): void {
  const body = { ...problemBody(status, codeForStatus(status), detail), instance: safeInstance(req.url) };
  // Sent before any route: the onSend hook does not run here, so the headers are set by hand.
  void reply
    .status(status)
    .headers(securityHeaders('/'))
    .header('content-type', 'application/problem+json; charset=utf-8')
    .send(body);
}

/** A URL as the problem's `instance`, cut short: a 5,000-character path is not echoed whole. */
function safeInstance(url: string | undefined): string {
  const u = url ?? '';
  return u.length > 256 ? `${u.slice(0, 256)}…` : u;
}

const CLIENT_ERRORS: Record<string, [status: number, code: ErrorCode, detail: string]> = {
  HPE_HEADER_OVERFLOW: [431, 'headers_too_large', 'the request headers are too large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'request_timeout', 'the request took too long to arrive'],
};

/** The raw HTTP response written on the socket when Node's parser refuses a request. */
export function clientErrorResponse(err: { code?: string }): string {
  const [status, code, detail] = CLIENT_ERRORS[err.code ?? ''] ?? [
    400,
    'validation_failed' as ErrorCode,
    'the request is not valid HTTP',
  ];
  const body = JSON.stringify(problemBody(status, code, detail));
  const headers = {
    'content-type': 'application/problem+json; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    connection: 'close',
    ...securityHeaders('/'),
  };
  return (
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n` +
    Object.entries(headers)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('') +
    `\r\n${body}`
  );
}

/** Options for the FastifyAdapter: the router's limits and the framework's own errors. */
export function securityEdgeFastifyOptions(): Pick<
  FastifyServerOptions,
  'routerOptions' | 'frameworkErrors' | 'clientErrorHandler'
> {
  return {
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors: (error, req, reply) => {
      const code = (error as { code?: string }).code;
      if (code === 'FST_ERR_MAX_PARAM_LENGTH')
        return sendProblem(reply, req, 414, `a path parameter is longer than ${MAX_PARAM_LENGTH} characters`);
      if (code === 'FST_ERR_BAD_URL') return sendProblem(reply, req, 400, 'the URL is not valid');
      const status = (error as { statusCode?: number }).statusCode;
      return sendProblem(
        reply,
        req,
        typeof status === 'number' && status >= 400 && status < 500 ? status : 400,
        'the request is not valid',
      );
    },
    clientErrorHandler: (err: Error & { code?: string }, socket: Socket) => {
      // A reset connection has nobody to answer; a socket already written to cannot take a response.
      if (err.code === 'ECONNRESET' || socket.destroyed) return;
      if (!socket.writable || (socket as Socket & { _httpMessage?: unknown })._httpMessage) {
        socket.destroy();
        return;
      }
      socket.end(clientErrorResponse(err));
    },
  };
}

/** Keys that reach an object's prototype machinery: never a field of any request body. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** The path of the first forbidden key in a parsed JSON body, or null (iterative: no deep recursion). */
export function findForbiddenKey(value: unknown): string | null {
  const stack: [unknown, string][] = [[value, 'body']];
  while (stack.length) {
    const [v, path] = stack.pop()!;
    // A file's bytes (an attachment's body) have no keys to poison.
    if (typeof v !== 'object' || v === null || ArrayBuffer.isView(v)) continue;
    if (Array.isArray(v)) v.forEach((x, i) => stack.push([x, `${path}[${i}]`]));
    else
      for (const k of Object.keys(v)) {
        if (FORBIDDEN_KEYS.has(k)) return `${path}.${k}`;
        stack.push([(v as Record<string, unknown>)[k], `${path}.${k}`]);
      }
  }
  return null;
}

/**
 * Adds the security headers to every response Fastify sends (routes, errors, 404s, /docs), and
 * refuses bodies with a `constructor` / `prototype` / `__proto__` key: the whitelisting
 * ValidationPipe lets `constructor` through (every object has one), and it reached the workflow.
 */
export function installSecurityHeaders(fastify: FastifyInstance): void {
  fastify.addHook('preValidation', async (req) => {
    // Every JSON body of the platform is an object: `null`, an array or a bare value is refused
    // here, before a DTO whose fields are all optional could take it for an empty object.
    const body = req.body as unknown;
    if (
      /^application\/json/i.test(String(req.headers['content-type'] ?? '')) &&
      body !== undefined &&
      (typeof body !== 'object' || body === null || Array.isArray(body))
    )
      throw new ProblemException('validation_failed', 'the JSON body must be an object');
    const key = findForbiddenKey(req.body);
    if (key) throw new ProblemException('validation_failed', `${key} is not allowed`, { field: key });
  });
  fastify.addHook('onSend', async (req, reply, payload) => {
    const type = reply.getHeader('content-type');
    for (const [k, v] of Object.entries(
      securityHeaders(req.url, typeof type === 'string' ? type : undefined),
    ))
      reply.header(k, v);
    reply.removeHeader('x-powered-by');
    return payload;
  });
}

/** Whether a body (UTF-8 bytes) is empty or only JSON whitespace. */
export function isBlank(text: Uint8Array): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return false;
  }
  return true;
}

/**
 * Whether a JSON text (UTF-8 bytes) nests deeper than `max`, counting brackets outside strings and
 * stopping as soon as it does: a linear scan without allocation, a millisecond for a megabyte.
 */
export function jsonNestingExceeds(text: Uint8Array, max: number = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === 0x5c)
        i++; // an escape: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/**
 * JSON bodies are checked for their nesting before they are parsed: a body nested deeper than
 * MAX_JSON_DEPTH is refused (400 `validation_failed`) without building it. Parsing a megabyte of
 * `[[[[…` before refusing it cost a quarter of a second of CPU per request, for anyone, a token or
 * not. Fastify's own JSON parser does the rest. It keeps a `__proto__` or `constructor` key as an
 * own property (JSON.parse never sets a prototype), and the preValidation hook of
 * installSecurityHeaders refuses it naming the field, rather than as "not valid JSON".
 */
export function installJsonDepthLimit(app: NestFastifyApplication, bodyLimit: number): void {
  const parse = app.getHttpAdapter().getInstance().getDefaultJsonParser('ignore', 'ignore');
  app.useBodyParser('application/json', { bodyLimit }, (req, body, done) => {
    // An empty body labelled JSON (a client that always sends the header, `curl -X POST -H …` on a
    // sign) is no body, as when the header is left out: an action without one goes through, and
    // one that needs a body is refused by its validation, naming the fields it lacks.
    if (isBlank(body)) return done(null, undefined);
    // Not UTF-8 (RFC 8259 §8.1): refused, never decoded into U+FFFD replacement characters that
    // would then stand on a ticket's append-only record as if the citizen had written them.
    if (!isUtf8(body))
      return done(new ProblemException('invalid_text', 'the JSON body is not valid UTF-8'), undefined);
    if (jsonNestingExceeds(body))
      return done(
        new ProblemException(
          'validation_failed',
          `the JSON body is too deeply nested (more than ${MAX_JSON_DEPTH} levels)`,
        ),
        undefined,
      );
    parse(req as Parameters<typeof parse>[0], body as unknown as string, done);
  });
}
