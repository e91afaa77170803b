import { Module, type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';
import { httpAccessLog } from './http-access-log.js';

/** Nest's logger on the service's pino logger, and the HTTP access log (nestjs-pino's middleware on every route). */
@Module({})
export class LoggingModule {
  static forLogger(logger: Logger): DynamicModule {
    return { module: LoggingModule, imports: [LoggerModule.forRoot({ pinoHttp: httpAccessLog(logger) })] };
  }
}
