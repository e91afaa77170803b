import type { LoggerService, LogLevel } from '@nestjs/common';
import type { SecretRedactor } from './secrets.js';

/** Every line the service logs passes through the redactor before the real logger prints it. */
export class RedactingLogger implements LoggerService {
  constructor(
    private readonly inner: LoggerService,
    private readonly redactor: SecretRedactor,
  ) {}

  log(message: unknown, ...params: unknown[]): void {
    this.inner.log(...this.redacted(message, params));
  }

  error(message: unknown, ...params: unknown[]): void {
    this.inner.error(...this.redacted(message, params));
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.inner.warn(...this.redacted(message, params));
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.inner.debug?.(...this.redacted(message, params));
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.inner.verbose?.(...this.redacted(message, params));
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.inner.fatal?.(...this.redacted(message, params));
  }

  setLogLevels(levels: LogLevel[]): void {
    this.inner.setLogLevels?.(levels);
  }

  private redacted(message: unknown, params: unknown[]): [unknown, ...unknown[]] {
    return [this.redactor.redactValue(message), ...params.map((param) => this.redactor.redactValue(param))];
  }
}
