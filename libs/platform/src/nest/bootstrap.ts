import { BadRequestException, Logger, ValidationPipe } from '@nestjs/common';
import type { INestApplication, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import {
  ATTACHMENT_MAX_BYTES,
  ATTACHMENT_TYPES,
  findTextProblem,
  MAX_JSON_DEPTH,
  MAX_JSON_KEYS,
} from '@hotline/shared';
import type { PlatformConfig, ServiceName } from '@hotline/shared';
import type { FastifyRequest } from 'fastify';
import { TAKES_FILES } from './attachments';
import { CHECK_BEFORE_BODY } from './auth';
import type { HeaderCheck } from './auth';
import { installOptionsAndCors } from './cors';
import { withAccess, withProblemResponses } from './openapi';
import {
  flattenValidationErrors,
  ProblemDetailsFilter,
  RouteMethods,
  ProblemException,
  RequestValidationError,
} from './problem';
import { installJsonDepthLimit, installSecurityHeaders, securityEdgeFastifyOptions } from './security-edge';

const LEVELS: Record<PlatformConfig['logLevel'], LogLevel[]> = {
  debug: ['error', 'warn', 'log', 'debug'],
  info: ['error', 'warn', 'log'],
  warn: ['error', 'warn'],
  error: ['error'],
};

/**
 * Refuses, for every route, text Postgres cannot store (U+0000, an unpaired surrogate) in the path
 * parameters, the query string and the JSON body (keys and values), bodies nested deeper than
 * MAX_JSON_DEPTH, and objects of more than MAX_JSON_KEYS keys: a 400 problem naming the field, before guards, pipes and handlers run.
 */
function checkRequestText(req: Pick<FastifyRequest, 'params' | 'query' | 'body'>): void {
  const parts: [string, unknown][] = [
    ['params', req.params],
    ['query', req.query],
    ['body', req.body],
  ];
  for (const [name, value] of parts) {
    const problem = findTextProblem(value, name);
    if (problem?.kind === 'too_deep')
      throw new ProblemException(
        'validation_failed',
        `${problem.path} is too deeply nested (more than ${MAX_JSON_DEPTH} levels)`,
        { field: problem.path },
      );
    if (problem?.kind === 'too_wide')
      throw new ProblemException('validation_failed', `${problem.path} has more than ${MAX_JSON_KEYS} keys`, {
        field: problem.path,
      });
    if (problem?.kind === 'direction_control')
      throw new ProblemException(
        'invalid_text',
        `${problem.path} contains a text-direction control (U+202A–U+202E, U+2066–U+2069), which makes text show as other text`,
        { field: problem.path },
      );
    if (problem)
      throw new ProblemException(
        'invalid_text',
        `${problem.path} contains a NUL character (U+0000) or an unpaired UTF-16 surrogate`,
        { field: problem.path },
      );
  }
}

/** The largest request body, in bytes. */
const BODY_LIMIT = 1024 * 1024;

export interface HttpAppOptions {
  title: string;
  description: string;
  port: number;
  /** The service, whose operations the document names the roles of (OPERATION_ACCESS). */
  service?: ServiceName;
}

/**
 * Builds a service's HTTP app the same way everywhere: Fastify, a whitelist ValidationPipe,
 * problem+json errors, bearer auth and OpenAPI at /docs (JSON at /docs-json).
 */
export async function createHttpApp(
  module: unknown,
  config: PlatformConfig,
  opts: HttpAppOptions,
): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    module as never,
    // trustProxy: the client address (the login's per-address limit) from X-Forwarded-For only
    // when the peer is a proxy the configuration names.
    new FastifyAdapter({
      bodyLimit: BODY_LIMIT,
      trustProxy: config.trustProxy ?? false,
      ...securityEdgeFastifyOptions(),
    }),
    { logger: LEVELS[config.logLevel], bufferLogs: false },
  );
  // The security edge (security-edge.ts): the framework's own errors as problem+json (bad URL,
  // too-long path parameter, Node's clientError: 431/400/408) and the security headers on every
  // response (nosniff; no-store, as API responses carry personal data; CSP / frame-ancestors,
  // X-Frame-Options).
  installSecurityHeaders(app.getHttpAdapter().getInstance());
  installCheckBeforeBody(app);
  installJsonDepthLimit(app, BODY_LIMIT);
  installAttachmentBodies(app);
  // After the body is parsed, before Nest's guards, pipes and handler (all of them run inside the
  // Fastify handler). A throw here reaches Nest's Fastify error handler, so the global
  // ProblemDetailsFilter below still turns it into problem+json.
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('preValidation', async (req) => checkRequestText(req));
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: (errors) => new RequestValidationError(flattenValidationErrors(errors)),
    }),
  );
  const routes = new RouteMethods();
  app.useGlobalFilters(new ProblemDetailsFilter(routes));
  installOptionsAndCors(app.getHttpAdapter().getInstance(), routes, config.corsOrigins ?? []);
  app.enableShutdownHooks();
  const doc = new DocumentBuilder()
    .setTitle(opts.title)
    .setDescription(opts.description)
    .setVersion('1')
    .addBearerAuth()
    .build();
  const created = withProblemResponses(SwaggerModule.createDocument(app, doc));
  const document = opts.service ? withAccess(created, opts.service) : created;
  routes.load(document.paths as Record<string, Record<string, unknown>>);
  SwaggerModule.setup('docs', app as unknown as INestApplication, document);
  return app;
}

/**
 * A route's check of its caller by headers (CheckedBeforeBody) runs once the route is known and
 * before the body is read or parsed (Fastify's onRequest), so that its refusal comes before any
 * about the body. A throw reaches Nest's Fastify error handler, answered as problem+json.
 */
function installCheckBeforeBody(app: NestFastifyApplication): void {
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', async (req) => {
      const charset = charsetRefusal(req.headers['content-type']);
      if (charset) throw charset;
      const check = (req.routeOptions?.config as unknown as Record<string, unknown> | undefined)?.[
        CHECK_BEFORE_BODY
      ];
      if (typeof check === 'function') (check as HeaderCheck)(req.headers);
    });
}

/**
 * A JSON body whose type names a character set other than UTF-8 (`application/json; charset=utf-16`) is
 * refused (415): the platform reads JSON as UTF-8 only (RFC 8259), and would read it as other text.
 */
export function charsetRefusal(contentType: string | undefined): ProblemException | null {
  // A file's body is bytes whatever charset its type names (`application/pdf; charset=binary`).
  if (!/^\s*application\/([\w.+-]*\+)?json\s*(;|$)/i.test(contentType ?? '')) return null;
  const charset = /;\s*charset\s*=\s*"?([^";\s]*)"?/i.exec(contentType ?? '')?.[1];
  if (charset === undefined || /^utf-?8$/i.test(charset)) return null;
  return new ProblemException(
    'unsupported_media_type',
    `the body is read as UTF-8; send it so (charset=utf-8), not as ${charset || 'an empty charset'}`,
  );
}

/** Whether the route takes a file for its body: marked so by ApiAttachmentUpload. */
function takesFiles(req: FastifyRequest): boolean {
  return (req.routeOptions?.config as unknown as Record<string, unknown> | undefined)?.[TAKES_FILES] === true;
}

/** Why a file's body is refused before a byte of it is read, or null. */
export function fileBodyRefusal(req: {
  headers: Record<string, string | string[] | undefined>;
  takesFiles: boolean;
}): ProblemException | null {
  if (!req.takesFiles)
    return new ProblemException(
      'unsupported_media_type',
      `this operation takes JSON, not ${req.headers['content-type']}`,
    );
  // Nobody without a token makes the service read ten megabytes.
  if (!/^bearer\s/i.test(String(req.headers.authorization ?? '')))
    return new ProblemException('unauthenticated', 'sign in to send a file');
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > ATTACHMENT_MAX_BYTES)
    return new ProblemException('payload_too_large', `a file is at most ${ATTACHMENT_MAX_BYTES} bytes`);
  return null;
}

/**
 * A file sent to the platform (a ticket's attachment, RULES §8) is the request body itself, typed
 * as what it is (`application/pdf`, `image/jpeg`, `image/png`), up to ATTACHMENT_MAX_BYTES: read
 * as bytes, and only on a route marked to take files (ApiAttachmentUpload), from a caller with a token, checked before the
 * body is read (fileBodyRefusal). Elsewhere these types are refused (415) as before, so no JSON
 * route ever gets bytes for a body. A file sent as a form (multipart/form-data) or as
 * application/octet-stream is told how to send it.
 */
function installAttachmentBodies(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addContentTypeParser([...ATTACHMENT_TYPES], (req, payload, done) => {
    const refusal = fileBodyRefusal({ headers: req.headers, takesFiles: takesFiles(req) });
    if (refusal) return done(refusal, undefined);
    const chunks: Buffer[] = [];
    let size = 0;
    let finished = false;
    const finish = (err: Error | null, body?: Buffer) => {
      if (finished) return;
      finished = true;
      done(err, body);
    };
    payload.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > ATTACHMENT_MAX_BYTES) {
        payload.removeAllListeners('data');
        payload.resume(); // drain the rest; the answer is already decided
        return finish(
          new ProblemException('payload_too_large', `a file is at most ${ATTACHMENT_MAX_BYTES} bytes`),
        );
      }
      chunks.push(chunk);
    });
    payload.on('end', () => finish(null, Buffer.concat(chunks, size)));
    payload.on('error', (err) => finish(err));
  });
  // text/plain too: Fastify would read it as a string and the route would answer with the fields a
  // string lacks; and it is the type a page may send another origin without asking first.
  fastify.removeContentTypeParser('text/plain');
  fastify.addContentTypeParser(
    ['multipart/form-data', 'application/octet-stream', 'text/plain'],
    (req, _payload, done) =>
      done(
        new ProblemException(
          'unsupported_media_type',
          takesFiles(req)
            ? `send the file itself as the body, typed ${ATTACHMENT_TYPES.join(', ')} (not a form, not ${req.headers['content-type']})`
            : `this operation takes JSON, not ${req.headers['content-type']}`,
        ),
        undefined,
      ),
  );
}

export async function listen(
  app: NestFastifyApplication,
  config: PlatformConfig,
  port: number,
): Promise<string> {
  await app.listen(port, config.host);
  const url = await app.getUrl();
  new Logger('Bootstrap').log(`listening on ${url}`);
  return url.replace('[::1]', 'localhost');
}

export { BadRequestException };
