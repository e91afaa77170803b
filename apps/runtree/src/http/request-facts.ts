import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { IDEMPOTENCY_KEY_HEADER } from './command-body.js';

export const REQUEST_ID_HEADER = 'X-Request-Id';

/** A caller's request id is kept when it is a short printable token; anything else is replaced. */
const READABLE_REQUEST_ID = /^[\w.:@/+=-]{1,128}$/;

/** What the HTTP adapter (Express today, maybe Fastify) leaves on a request: these readers know both. */
interface AdaptedRequest extends IncomingMessage {
  body?: unknown;
  originalUrl?: string;
  /** Express: the matched route. */
  route?: { path?: unknown };
  /** Fastify: the matched route. */
  routeOptions?: { url?: unknown };
}

/** The request's id: the caller's `X-Request-Id`, or a new UUID; echoed on the response, the same for every reader. */
export function requestIdOf(request: IncomingMessage, response?: ServerResponse): string {
  // `id` is pino-http's field (typed by its declarations); the access log's genReqId is this function.
  const adapted = request as IncomingMessage & { id?: unknown };
  if (typeof adapted.id === 'string') return adapted.id;
  const given = request.headers[REQUEST_ID_HEADER.toLowerCase()];
  const id = typeof given === 'string' && READABLE_REQUEST_ID.test(given) ? given : randomUUID();
  adapted.id = id;
  if (response !== undefined && !response.headersSent) response.setHeader(REQUEST_ID_HEADER, id);
  return id;
}

/**
 * The route template that served the request (`/runs/:runId/status`), or `unmatched`: a metric
 * label and a span name must not carry ids, or each request would make a series of its own.
 */
export function routeOf(request: IncomingMessage): string {
  const adapted = request as AdaptedRequest;
  const route = adapted.route?.path ?? adapted.routeOptions?.url;
  // A wildcard (`{/*splat}`) is the not-found handler's catch-all, not a route of the API.
  return typeof route === 'string' && !route.includes('*') ? route : 'unmatched';
}

/** The path without its query (which may carry anything). */
export function pathOf(request: IncomingMessage): string {
  const adapted = request as AdaptedRequest;
  return (adapted.originalUrl ?? request.url ?? '').split('?')[0]!;
}

/** The command id the caller gave: the `Idempotency-Key` header or the body's `commandId`. */
export function commandIdOf(request: IncomingMessage): string | undefined {
  const header = request.headers[IDEMPOTENCY_KEY_HEADER.toLowerCase()];
  if (typeof header === 'string') return header;
  const body = (request as AdaptedRequest).body;
  const commandId = typeof body === 'object' && body !== null ? (body as { commandId?: unknown }).commandId : undefined;
  return typeof commandId === 'string' ? commandId : undefined;
}
