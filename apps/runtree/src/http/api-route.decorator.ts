import { applyDecorators, HttpStatus } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiResponse, type ReferenceObject, type SchemaObject } from '@nestjs/swagger';
import type { ErrorCode } from '@runtree/orchestration';
import { statusOfErrorCode } from './error-statuses.js';
import { schemaRef, type ApiSchemaName } from './openapi-schemas.js';

export interface RouteDoc {
  readonly summary: string;
  readonly body?: ApiSchemaName;
  readonly status: HttpStatus;
  readonly result: SchemaObject | ReferenceObject;
  /** Other media types than JSON (the journal's NDJSON and event stream). */
  readonly resultTypes?: readonly string[];
  /** Route-specific error statuses; 400, 401, 500 and 503 can happen on every route and are always listed. */
  readonly errors?: readonly HttpStatus[];
}

const errorsOfEveryRoute = [HttpStatus.BAD_REQUEST, HttpStatus.UNAUTHORIZED, HttpStatus.INTERNAL_SERVER_ERROR, HttpStatus.SERVICE_UNAVAILABLE];

/** Statuses whose codes need more words than the status table gives. */
const httpOnlyCodes: Partial<Record<HttpStatus, string>> = {
  [HttpStatus.PAYLOAD_TOO_LARGE]: 'payload_too_large (the body is over RUNTREE_MAX_BODY_BYTES)',
  [HttpStatus.UNAUTHORIZED]: 'unauthorized (no or a wrong bearer token; the answer carries WWW-Authenticate: Bearer)',
  [HttpStatus.TOO_MANY_REQUESTS]: 'too_many_requests (the client holds its most journal tails or awaits; the answer carries Retry-After)',
  [HttpStatus.INTERNAL_SERVER_ERROR]: 'internal_error',
};

/** "unsupported_option, invalid_option, ..." for a status, read from the one status table. */
function codesAnsweredWith(status: HttpStatus): string {
  const codes = (Object.keys(statusOfErrorCode) as ErrorCode[]).filter((code) => statusOfErrorCode[code] === status);
  return httpOnlyCodes[status] ?? codes.join(', ');
}

/** One decorator documents a route: summary, request body, result and the error envelope of each error status. */
export function ApiRoute(doc: RouteDoc): MethodDecorator {
  const bodyErrors = doc.body ? [HttpStatus.PAYLOAD_TOO_LARGE] : [];
  const errors = [...new Set([...(doc.errors ?? []), ...bodyErrors, ...errorsOfEveryRoute])].sort((a, b) => a - b);
  const resultContent = Object.fromEntries((doc.resultTypes ?? ['application/json']).map((type) => [type, { schema: doc.result }]));
  return applyDecorators(
    ApiOperation({ summary: doc.summary }),
    ...(doc.body ? [ApiBody({ schema: schemaRef(doc.body), required: false })] : []),
    ApiResponse({ status: doc.status, description: 'Success', content: resultContent }),
    ...errors.map((status) => ApiResponse({ status, description: `Error codes: ${codesAnsweredWith(status)}`, schema: schemaRef('ErrorEnvelope') })),
  );
}
