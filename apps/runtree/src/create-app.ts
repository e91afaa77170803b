import 'reflect-metadata';
import { ConsoleLogger, type INestApplication, type LoggerService, type LogLevel } from '@nestjs/common';
import type { EventStore } from '@runtree/event-store';
import type { ReadStore } from '@runtree/read-store';
import type { OrchestrationPolicy } from '@runtree/orchestration';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import { connectBusTransports } from './bus/index.js';
import type { RuntreeConfig } from './config.js';
import { answerClientErrorsWithEnvelope } from './http/client-errors.js';
import { createAsyncApiDocument } from './bus/asyncapi-document.js';
import { serveDocuments } from './http/openapi.js';
import { RedactBusErrorReplies } from './security/redact-bus-error-replies.interceptor.js';
import { redactErrorResponses } from './security/redact-error-responses.js';
import { RedactingLogger } from './security/redacting-logger.js';
import { SecretRedactor } from './security/secrets.js';

export interface CreateAppOptions {
  /** Levels for Nest's console logger, `false` for silence, or a logger of your own. Every line is redacted first. */
  readonly logger?: LogLevel[] | false | LoggerService;
  /** Default: allow everything. Not configurable from the environment yet. */
  readonly policy?: OrchestrationPolicy;
  /** A store the caller opened and keeps (closes) itself, instead of the one the config names. */
  readonly store?: EventStore;
  /** A read store the caller opened and keeps, instead of the one the config names. */
  readonly readStore?: ReadStore;
}

function loggerOf(option: CreateAppOptions['logger'], redactor: SecretRedactor): LoggerService | false {
  if (option === false) return false;
  const inner = option === undefined || Array.isArray(option) ? new ConsoleLogger({ logLevels: option ?? ['error', 'warn', 'log'] }) : option;
  return new RedactingLogger(inner, redactor);
}

/** The service, configured but not listening: `main.ts` listens, tests drive `getHttpServer()`. */
export async function createRuntreeApp(config: RuntreeConfig, options: CreateAppOptions = {}): Promise<INestApplication> {
  const redactor = new SecretRedactor(config);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forConfig(config, {
      ...(options.policy ? { policy: options.policy } : {}),
      ...(options.store ? { store: { kind: 'instance', store: options.store } } : {}),
      ...(options.readStore ? { readStore: { kind: 'instance', store: options.readStore } } : {}),
    }), {
    bodyParser: false,
    // Shutdown must not wait for keep-alive clients; open journal tails are ended before (JournalTails).
    forceCloseConnections: true,
    logger: loggerOf(options.logger, redactor),
  });
  answerClientErrorsWithEnvelope(app.getHttpServer());
  app.use(redactErrorResponses(redactor));
  app.useBodyParser('json', { limit: config.limits.maxBodyBytes });
  app.useGlobalInterceptors(new RedactBusErrorReplies(redactor)); // before the transports, which inherit it
  connectBusTransports(app, config);
  app.enableShutdownHooks();
  serveDocuments(app, config.limits.validation, createAsyncApiDocument({
    prefix: config.busPrefix,
    limits: config.limits.validation,
    ...(config.natsUrl !== undefined ? { natsUrl: config.natsUrl } : {}),
    ...(config.rabbitmqUrl !== undefined ? { rabbitmqUrl: config.rabbitmqUrl } : {}),
  }));
  return app;
}
