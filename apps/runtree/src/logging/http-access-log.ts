import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Options } from 'pino-http';
import { commandIdOf, pathOf, requestIdOf, routeOf } from '../http/request-facts.js';

/** The fields of an HTTP access line, beside `requestId` (bound to every line of the request). */
function accessFields(request: IncomingMessage, response: ServerResponse, durationMs: unknown) {
  const commandId = commandIdOf(request);
  return {
    method: request.method,
    route: routeOf(request),
    path: pathOf(request),
    status: response.statusCode,
    durationMs,
    ...(commandId !== undefined ? { commandId } : {}),
  };
}

/**
 * pino-http's settings: one line per request once it is answered (or the client left), without
 * headers or bodies (they carry tokens and payloads), at `error` for a 5xx.
 */
export function httpAccessLog(logger: Logger): Options {
  return {
    logger,
    genReqId: (request, response) => requestIdOf(request, response),
    // Lines logged while serving a request carry its id, not a copy of the request.
    quietReqLogger: true,
    customAttributeKeys: { reqId: 'requestId', responseTime: 'durationMs' },
    customLogLevel: (_request, response, error) => (error !== undefined || response.statusCode >= 500 ? 'error' : 'info'),
    customSuccessMessage: (_request, response) => (response.writableEnded ? 'request completed' : 'request aborted'),
    customErrorMessage: () => 'request failed',
    customSuccessObject: (request, response, fields: { durationMs?: unknown }) => accessFields(request, response, fields.durationMs),
    customErrorObject: (request, response, error, fields: { durationMs?: unknown }) => ({ ...accessFields(request, response, fields.durationMs), error: error.message }),
  };
}
