import { applyDecorators, HttpStatus } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiResponse, type ReferenceObject, type SchemaObject } from '@nestjs/swagger';
import type { ErrorCode } from '@runtree/orchestration';
import { JSON_BODY_LIMIT } from './command-body.js';
import { statusOfErrorCode } from './error-statuses.js';
import { schemaRef, type ApiSchemaName } from './openapi-schemas.js';

export interface RouteDoc {
  readonly summary: string;
  readonly body?: ApiSchemaName;
  readonly status: HttpStatus;
  readonly result: SchemaObject | ReferenceObject;
  /** Other media types than JSON (the journal's NDJSON and event stream). */
  readonly resultTypes?: readonly string[];
  /** Route-specific error statuses; 400, 500 and 503 can happen on every route and are always listed. */
  readonly errors?: readonly HttpStatus[];
}

const errorsOfEveryRoute = [HttpStatus.BAD_REQUEST, HttpStatus.INTERNAL_SERVER_ERROR, HttpStatus.SERVICE_UNAVAILABLE];

/** Statuses no orchestrator error code maps to: the HTTP layer's own. */
const httpOnlyCodes: Partial<Record<HttpStatus, string>> = {
  [HttpStatus.PAYLOAD_TOO_LARGE]: `invalid_option (the body is over ${JSON_BODY_LIMIT})`,
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
