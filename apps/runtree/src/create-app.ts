import 'reflect-metadata';
import type { INestApplication, LogLevel } from '@nestjs/common';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import type { DestinationStream, Logger } from 'pino';
import type { EventStore, OrchestrationPolicy, ReadStore } from '@runtree/orchestration';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import { connectBusTransports } from './bus/index.js';
import type { LogSettings, RuntreeConfig } from './config.js';
import { answerClientErrorsWithEnvelope } from './http/client-errors.js';
import { createAsyncApiDocument } from './bus/asyncapi-document.js';
import { serveDocuments } from './http/openapi.js';
import { RedactBusErrorReplies } from './security/redact-bus-error-replies.interceptor.js';
import { redactErrorResponses } from './security/redact-error-responses.js';
import { createRootLogger } from './logging/root-logger.js';
import { SecretRedactor } from './security/secrets.js';

export interface CreateAppOptions {
  /**
   * The levels to log (Nest's names), `false` for silence, or the service's logger made by
   * `createRootLogger` (main.ts logs to it too). Default: `RUNTREE_LOG_LEVEL`. Every line is redacted.
   */
  readonly logger?: LogLevel[] | false | Logger;
  /** Where log lines go when the app makes its logger. Default: stdout. */
  readonly logDestination?: DestinationStream;
  /** Default: allow everything. Not configurable from the environment yet. */
  readonly policy?: OrchestrationPolicy;
  /** A store the caller opened and keeps (closes) itself, instead of the one the config names. */
  readonly store?: EventStore;
  /** A read store the caller opened and keeps, instead of the one the config names. */
  readonly readStore?: ReadStore;
}

/** Nest's levels, most verbose first, with pino's name for each. */
const pinoLevels: readonly (readonly [LogLevel, LogSettings['level']])[] = [
  ['verbose', 'trace'],
  ['debug', 'debug'],
  ['log', 'info'],
  ['warn', 'warn'],
  ['error', 'error'],
  ['fatal', 'fatal'],
];

function logSettingsOf(config: RuntreeConfig, levels: LogLevel[] | false | undefined): LogSettings {
  if (levels === undefined) return config.log;
  const lowest = levels === false ? undefined : pinoLevels.find(([nest]) => levels.includes(nest));
  return { ...config.log, level: lowest?.[1] ?? 'silent' };
}

function loggerOf(config: RuntreeConfig, options: CreateAppOptions, redactor: SecretRedactor): Logger {
  const { logger } = options;
  if (logger !== undefined && logger !== false && !Array.isArray(logger)) return logger;
  return createRootLogger(logSettingsOf(config, logger), redactor, options.logDestination);
}

/** The service, configured but not listening: `main.ts` listens, tests drive `getHttpServer()`. */
export async function createRuntreeApp(config: RuntreeConfig, options: CreateAppOptions = {}): Promise<INestApplication> {
  const redactor = new SecretRedactor(config);
  const logger = loggerOf(config, options, redactor);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forConfig(config, logger, {
      ...(options.policy ? { policy: options.policy } : {}),
      ...(options.store ? { store: { kind: 'instance', store: options.store } } : {}),
      ...(options.readStore ? { readStore: { kind: 'instance', store: options.readStore } } : {}),
    }), {
    bodyParser: false,
    // Shutdown must not wait for keep-alive clients; open journal tails are ended before (JournalTails).
    forceCloseConnections: true,
    // Held until the pino logger is in place, so start-up lines come out as the rest.
    bufferLogs: true,
  });
  app.useLogger(app.get(PinoNestLogger));
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
