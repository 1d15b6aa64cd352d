import type { INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { CommandBus } from '@nestjs/cqrs';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import cookieParser from 'cookie-parser';
import { configureBodyLimits } from './http/body-limits';
import { AppModule } from './app.module';
import { refuseRepeatedQueryParameters } from './http/query-params';
import { EVENT_STORE } from './event-sourcing/tokens';
import { systemContext } from './event-sourcing/request-context';
import { registerShippedProgrammes } from './programmes/shipped-programmes';
import { describeStore, type LedgerConfig } from './config';
import { JsonLogger } from './logging/json-logger';

/** Pages and answers never framed, sniffed or loading anything from elsewhere (Swagger UI's own page excepted). */
function securityHeaders(request: Request, response: Response, next: NextFunction): void {
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Referrer-Policy', 'same-origin');
  response.setHeader('X-Frame-Options', 'DENY');
  if (!request.path.startsWith('/api/docs')) {
    response.setHeader('Content-Security-Policy', "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
  }
  next();
}

/** Builds the HTTP application (not yet listening): used by `serve` and by the e2e tests. */
export async function createServer(config: LedgerConfig, logger: JsonLogger | false = new JsonLogger()): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), { logger: logger === false ? false : logger, abortOnError: false });
  app.enableShutdownHooks();
  app.disable('x-powered-by');
  configureBodyLimits(app, config.bodyLimits);
  // Session cookies (people signed in to the web application); bearer tokens need none.
  app.use(cookieParser());
  app.use(securityHeaders);
  app.use(refuseRepeatedQueryParameters);
  limitRequestTimes(app.getHttpServer());
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('compliance-ledger')
      .setDescription('An append-only ledger of programme tasks and metrics, and the reports derived from it.')
      .setVersion('0.1.0')
      // API tokens are opaque random strings (only their hash is stored), not JWTs.
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'opaque token', description: 'An API token from `token create` or POST /api/tokens: an opaque string, not a JWT.' })
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs/json' });
  return app;
}

/** A slow or stalled client holds a connection for bounded time: its headers within 15 s, its whole request within 60 s (a workbook upload included). */
function limitRequestTimes(server: Server): void {
  server.headersTimeout = 15_000;
  server.requestTimeout = 60_000;
  server.keepAliveTimeout = 5_000;
}

export async function serve(config: LedgerConfig): Promise<INestApplication> {
  const logger = new JsonLogger();
  const app = await createServer(config, logger);
  // Command handlers are bound at init: register the shipped programmes only after it.
  await app.init();
  const registered = await registerShippedProgrammes(app.get(CommandBus), app.get(EVENT_STORE), systemContext('startup'));
  for (const r of registered) logger.log({ message: 'registered shipped programme', programme: r.programmeId, position: r.position }, 'Server');
  await app.listen(config.port);
  logger.log({ message: 'listening', port: config.port, store: describeStore(config.store), readModels: config.readModelsPath }, 'Server');
  return app;
}
