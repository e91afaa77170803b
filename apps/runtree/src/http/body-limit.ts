import { HttpException } from '@nestjs/common';
import { OrchestratorError } from '@runtree/orchestration';

/** The 413 of a body over RUNTREE_MAX_BODY_BYTES; body-parser's error (the exception's cause) carries the limit in bytes. */
export function bodyTooLarge(exception: unknown): OrchestratorError {
  const limit = exception instanceof HttpException ? (exception.cause as { limit?: unknown } | undefined)?.limit : undefined;
  const reason = typeof limit === 'number' ? `is larger than the limit of ${limit} bytes (RUNTREE_MAX_BODY_BYTES)` : 'is larger than the limit (RUNTREE_MAX_BODY_BYTES)';
  return new OrchestratorError('payload_too_large', `Payload too large: body ${reason}`, { field: 'body', reason, ...(typeof limit === 'number' ? { limitBytes: limit } : {}) });
}
