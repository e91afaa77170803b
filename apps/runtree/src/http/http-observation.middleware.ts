import type { IncomingMessage, ServerResponse } from 'node:http';
import { Injectable, type NestMiddleware } from '@nestjs/common';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { HttpMetrics } from '../ops/index.js';
import { appTracer } from '../tracing/app-tracer.js';
import { pathOf, routeOf } from './request-facts.js';

/**
 * Every HTTP request in a server span (continuing a `traceparent` header) that the rest of the
 * request runs in, and timed into the request histogram once the response is done or abandoned.
 * A Nest middleware on plain Node request and response objects: no adapter specifics.
 */
@Injectable()
export class HttpObservationMiddleware implements NestMiddleware<IncomingMessage, ServerResponse> {
  constructor(private readonly metrics: HttpMetrics) {}

  use(request: IncomingMessage, response: ServerResponse, next: () => void): void {
    const started = performance.now();
    const method = request.method ?? 'GET';
    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    const span = appTracer.startSpan(method, { kind: SpanKind.SERVER, attributes: { 'http.request.method': method, 'url.path': pathOf(request) } }, parent);
    response.once('close', () => {
      // The route is known once a handler matched it.
      const route = routeOf(request);
      span.updateName(`${method} ${route}`);
      span.setAttributes({ 'http.route': route, 'http.response.status_code': response.statusCode });
      if (response.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
      this.metrics.requestFinished(method, route, response.statusCode, performance.now() - started);
    });
    context.with(trace.setSpan(parent, span), next);
  }
}
