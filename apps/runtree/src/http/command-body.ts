import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { HttpRequest } from './express-types.js';
import { inputRejection } from './input-rejection.js';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';

export type JsonBody = { readonly [key: string]: unknown };

/** Content the JSON parser did not read (another Content-Type) must not pass for an empty body. */
function carriesContent(request: HttpRequest): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function isJsonObject(value: unknown): value is JsonBody {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The request body as a command's options. No body means `{}`. An `Idempotency-Key` header becomes
 * the `commandId`, so a retried request appends nothing; a body `commandId` that differs from the
 * header is refused rather than silently overridden, since one of the two would be a client bug.
 */
export function commandBodyOf(request: HttpRequest): JsonBody {
  const body: unknown = request.body;
  if (body === undefined && carriesContent(request)) {
    throw inputRejection('invalid_option', 'body', 'must be JSON sent with Content-Type: application/json');
  }
  const options = body ?? {};
  if (!isJsonObject(options)) throw inputRejection('invalid_option', 'body', 'must be a JSON object');
  const key = request.header(IDEMPOTENCY_KEY_HEADER);
  if (key === undefined) return options;
  if (options.commandId !== undefined && options.commandId !== key) {
    throw inputRejection('invalid_option', 'commandId', `differs from the ${IDEMPOTENCY_KEY_HEADER} header; send one or make them equal`);
  }
  return { ...options, commandId: key };
}

/** The body of a command request, with the Idempotency-Key merged in (see `commandBodyOf`). */
export const CommandBody = createParamDecorator((_data: unknown, context: ExecutionContext): JsonBody =>
  commandBodyOf(context.switchToHttp().getRequest<HttpRequest>()),
);
