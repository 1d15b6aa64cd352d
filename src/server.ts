import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { CommandBus } from '@nestjs/cqrs';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { configureBodyLimits } from './access/body-limits';
import { AppModule } from './app.module';
import { EVENT_STORE } from './event-store/event-store.module';
import { systemContext } from './event-sourcing/request-context';
import { registerShippedProgrammes } from './programmes/shipped-programmes';
import { describeStore, type LedgerConfig } from './config';
import { JsonLogger } from './logging/json-logger';

/** Builds the HTTP application (not yet listening): used by `serve` and by the e2e tests. */
export async function createServer(config: LedgerConfig, logger: JsonLogger | false = new JsonLogger()): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), { logger: logger === false ? false : logger });
  app.enableShutdownHooks();
  configureBodyLimits(app);
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

export async function serve(config: LedgerConfig, port: number): Promise<INestApplication> {
  const logger = new JsonLogger();
  const app = await createServer(config, logger);
  // Command handlers are bound at init: register the shipped programmes only after it.
  await app.init();
  const registered = await registerShippedProgrammes(app.get(CommandBus), app.get(EVENT_STORE), systemContext('startup'));
  for (const r of registered) logger.log({ message: 'registered shipped programme', programme: r.programmeId, position: r.position }, 'Server');
  await app.listen(port);
  logger.log({ message: 'listening', port, store: describeStore(config.store), readModels: config.readModelsPath }, 'Server');
  return app;
}
