import { applyDecorators, HttpStatus } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOperation, ApiResponse, type HeaderObject, type ReferenceObject, type SchemaObject } from '@nestjs/swagger';
import type { ErrorCode } from '@runtree/orchestration';
import type { ApiShapeName } from '../protocol/api-shapes.js';
import { IDEMPOTENCY_KEY_HEADER } from './command-body.js';
import { statusOfErrorCode } from './error-statuses.js';
import { schemaRef } from './openapi-schemas.js';

/** The security schemes of the document (openapi.ts declares them). */
export const API_TOKEN_SCHEME = 'apiToken';
export const ADMIN_TOKEN_SCHEME = 'adminToken';

export interface RouteDoc {
  readonly summary: string;
  /** `api` (the default): RUNTREE_API_TOKEN when set; `admin`: RUNTREE_ADMIN_TOKEN; `open`: no token ever. */
  readonly access?: 'api' | 'admin' | 'open';
  /** A command's body; such a route also takes the Idempotency-Key header. */
  readonly body?: ApiShapeName;
  readonly status: HttpStatus;
  readonly result: SchemaObject | ReferenceObject;
  /** Other media types than JSON, each with its schema (the journal's NDJSON lines and event stream). */
  readonly resultContent?: { readonly [mediaType: string]: SchemaObject | ReferenceObject };
  readonly resultHeaders?: { readonly [name: string]: HeaderObject };
  /** Route-specific error statuses; 400, 500 and 503 can happen on every route, 401 on every guarded one. */
  readonly errors?: readonly HttpStatus[];
}

const errorsOfEveryRoute = [HttpStatus.BAD_REQUEST, HttpStatus.INTERNAL_SERVER_ERROR, HttpStatus.SERVICE_UNAVAILABLE];

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

const idempotencyKey = ApiHeader({
  name: IDEMPOTENCY_KEY_HEADER,
  required: false,
  description: "Becomes the command's commandId: a retry appends nothing and answers the same. A body commandId must equal it.",
  schema: { type: 'string' },
});

function securityOf(access: RouteDoc['access']): MethodDecorator[] {
  if (access === 'open') return [];
  return [ApiBearerAuth(access === 'admin' ? ADMIN_TOKEN_SCHEME : API_TOKEN_SCHEME)];
}

/** One decorator documents a route: summary, security, request body, result and the error envelope of each error status. */
export function ApiRoute(doc: RouteDoc): MethodDecorator {
  const bodyErrors = doc.body ? [HttpStatus.PAYLOAD_TOO_LARGE] : [];
  const guardErrors = doc.access === 'open' ? [] : [HttpStatus.UNAUTHORIZED];
  const errors = [...new Set([...(doc.errors ?? []), ...bodyErrors, ...guardErrors, ...errorsOfEveryRoute])].sort((a, b) => a - b);
  const resultContent = doc.resultContent ?? { 'application/json': doc.result };
  return applyDecorators(
    ApiOperation({ summary: doc.summary }),
    ...securityOf(doc.access),
    ...(doc.body ? [ApiBody({ schema: schemaRef(doc.body), required: false }), idempotencyKey] : []),
    ApiResponse({
      status: doc.status,
      description: 'Success',
      content: Object.fromEntries(Object.entries(resultContent).map(([type, schema]) => [type, { schema }])),
      ...(doc.resultHeaders ? { headers: { ...doc.resultHeaders } } : {}),
    }),
    ...errors.map((status) => ApiResponse({ status, description: `Error codes: ${codesAnsweredWith(status)}`, schema: schemaRef('ErrorEnvelope') })),
  );
}
