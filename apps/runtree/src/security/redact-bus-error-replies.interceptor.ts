import { type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { map, type Observable } from 'rxjs';
import type { SecretRedactor } from './secrets.js';

function isErrorReply(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { ok?: unknown }).ok === false;
}

/** Bus error replies (`{ ok: false, error }`) are redacted like HTTP error answers: a store error may quote a connection string. */
export class RedactBusErrorReplies implements NestInterceptor {
  constructor(private readonly redactor: SecretRedactor) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'rpc') return next.handle();
    return next.handle().pipe(map((reply: unknown) => (isErrorReply(reply) ? this.redactor.redactValue(reply) : reply)));
  }
}
