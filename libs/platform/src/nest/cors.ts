import type { FastifyInstance } from 'fastify';
import type { RouteMethods } from './problem';

/**
 * OPTIONS and cross-origin access (CORS), the same for every service.
 *
 * - `OPTIONS` on a path the service serves answers `204` with `Allow` (RFC 9110 §9.3.7); on an
 *   unknown path it is a `404` like any other method.
 * - A browser page may call the APIs only from an origin the deployment names (`CORS_ORIGINS`):
 *   its preflight gets the methods the path answers and the request headers the APIs read, and its
 *   responses name that origin. Any other origin gets no CORS header at all, so the browser keeps
 *   the response from the page. Tokens travel in `Authorization`, never in cookies: no credentials
 *   mode is offered.
 */

/** The request headers a page may send: the bearer token, the body's type, the action's key. */
export const CORS_REQUEST_HEADERS = ['authorization', 'content-type', 'idempotency-key'] as const;
/** The response headers a page may read beyond the safelisted ones. */
export const CORS_EXPOSED_HEADERS = ['allow', 'content-disposition', 'etag', 'retry-after'] as const;
/** How long a browser may reuse a preflight's answer, in seconds. */
export const CORS_MAX_AGE_SECONDS = 600;

/** The headers of a response to a request from `origin` (none when the origin is not named). */
export function corsHeaders(origin: string | undefined, allowed: readonly string[]): Record<string, string> {
  if (allowed.length === 0) return {};
  // A cache must not hand one origin's answer to another.
  const vary = { vary: 'Origin' };
  if (!origin || !allowed.includes(origin.toLowerCase())) return vary;
  return {
    ...vary,
    'access-control-allow-origin': origin,
    'access-control-expose-headers': CORS_EXPOSED_HEADERS.join(', '),
  };
}

/** The headers of the answer to a preflight for a path answering `methods`. */
export function preflightHeaders(
  origin: string | undefined,
  allowed: readonly string[],
  methods: readonly string[],
): Record<string, string> {
  const base = corsHeaders(origin, allowed);
  if (!base['access-control-allow-origin']) return base;
  return {
    ...base,
    'access-control-allow-methods': methods.join(', '),
    'access-control-allow-headers': CORS_REQUEST_HEADERS.join(', '),
    'access-control-max-age': String(CORS_MAX_AGE_SECONDS),
  };
}

/** Answers OPTIONS on the paths `routes` knows, and adds the CORS headers to every response. */
export function installOptionsAndCors(
  fastify: FastifyInstance,
  routes: RouteMethods,
  origins: readonly string[],
): void {
  fastify.addHook('onRequest', async (req, reply) => {
    if (req.method !== 'OPTIONS') return;
    const methods = routes.allowed(req.url);
    if (!methods) return; // an unknown path: the 404 every method gets
    const origin = typeof req.headers.origin === 'string' ? req.headers.origin : undefined;
    void reply
      .status(204)
      .headers({ allow: methods.join(', '), ...preflightHeaders(origin, origins, methods) })
      .send();
    return reply;
  });
  if (origins.length === 0) return;
  fastify.addHook('onSend', async (req, reply, payload) => {
    if (req.method === 'OPTIONS') return payload; // the preflight set its own
    const origin = typeof req.headers.origin === 'string' ? req.headers.origin : undefined;
    for (const [k, v] of Object.entries(corsHeaders(origin, origins))) reply.header(k, v);
    return payload;
  });
}
