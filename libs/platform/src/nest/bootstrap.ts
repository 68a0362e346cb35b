import { BadRequestException, Logger, ValidationPipe } from '@nestjs/common';
import type { INestApplication, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { PlatformConfig } from '@hotline/shared';
import { flattenValidationErrors, ProblemDetailsFilter, ProblemException } from './problem';

const LEVELS: Record<PlatformConfig['logLevel'], LogLevel[]> = {
  debug: ['error', 'warn', 'log', 'debug'],
  info: ['error', 'warn', 'log'],
  warn: ['error', 'warn'],
  error: ['error'],
};

export interface HttpAppOptions {
  title: string;
  description: string;
  port: number;
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
    new FastifyAdapter({ bodyLimit: 1024 * 1024 }),
    { logger: LEVELS[config.logLevel], bufferLogs: false },
  );
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: (errors) =>
        new ProblemException('validation_failed', 'the request is not valid', {
          errors: flattenValidationErrors(errors),
        }),
    }),
  );
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.enableShutdownHooks();
  const doc = new DocumentBuilder()
    .setTitle(opts.title)
    .setDescription(opts.description)
    .setVersion('1')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('docs', app as unknown as INestApplication, SwaggerModule.createDocument(app, doc));
  return app;
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
