import { isSpanContextValid, trace } from '@opentelemetry/api';
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import pretty from 'pino-pretty';
import type { LogSettings } from '../config.js';
import type { SecretRedactor } from '../security/secrets.js';

/** stdout, written at once: a line must be out before a crash, and a test reading the output sees it now. */
const STDOUT = 1;

/**
 * The service's one pino logger: JSON lines (ISO time, level by name), or pino-pretty's text,
 * coloured only on a terminal. Every line passes through the redactor as it is written, whoever
 * logged it (Nest, the access log, a library), so no secret reaches a file.
 */
export function createRootLogger(settings: LogSettings, redactor: SecretRedactor, destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    level: settings.level,
    timestamp: pino.stdTimeFunctions.isoTime,
    hooks: { streamWrite: (line) => redactor.redact(line) },
    // A line logged inside a traced span names it, so logs and traces join up.
    mixin: () => {
      const span = trace.getActiveSpan()?.spanContext();
      return span === undefined || !isSpanContextValid(span) ? {} : { traceId: span.traceId, spanId: span.spanId };
    },
  };
  if (settings.format === 'pretty') {
    const colorize = destination === undefined && process.stdout.isTTY === true;
    return pino(options, pretty({ colorize, sync: true, destination: destination ?? STDOUT, ignore: 'pid,hostname', translateTime: 'SYS:HH:MM:ss.l' }));
  }
  return pino({ ...options, formatters: { level: (label) => ({ level: label }) } }, destination ?? pino.destination({ dest: STDOUT, sync: true }));
}
