import 'reflect-metadata';
import type { INestApplication, LogLevel } from '@nestjs/common';
import type { OrchestrationPolicy } from '@runtree/orchestration';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import { connectBusTransports } from './bus/index.js';
import type { RuntreeConfig } from './config.js';
import { JSON_BODY_LIMIT } from './http/command-body.js';
import { serveOpenApi } from './http/openapi.js';

export interface CreateAppOptions {
  readonly logger?: LogLevel[] | false;
  /** Default: allow everything. Not configurable from the environment yet. */
  readonly policy?: OrchestrationPolicy;
}

/** The service, configured but not listening: `main.ts` listens, tests drive `getHttpServer()`. */
export async function createRuntreeApp(config: RuntreeConfig, options: CreateAppOptions = {}): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forConfig(config, options.policy ? { policy: options.policy } : {}), {
    bodyParser: false,
    // Shutdown must not wait for keep-alive clients; open journal tails are ended before (JournalTails).
    forceCloseConnections: true,
    logger: options.logger ?? ['error', 'warn', 'log'],
  });
  app.useBodyParser('json', { limit: JSON_BODY_LIMIT });
  connectBusTransports(app, config);
  app.enableShutdownHooks();
  serveOpenApi(app);
  return app;
}
