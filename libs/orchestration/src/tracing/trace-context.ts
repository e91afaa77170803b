import { context, propagation } from '@opentelemetry/api';

/** The W3C trace context an event's metadata records: the span of the command that wrote it. */
export interface TraceContext {
  readonly traceparent?: string;
  readonly tracestate?: string;
}

/**
 * The active trace context as W3C headers, through the propagator the application registered;
 * empty when none is (no OpenTelemetry SDK), so untraced events carry no trace fields.
 */
export function activeTraceContext(): TraceContext {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return {
    ...(carrier['traceparent'] !== undefined ? { traceparent: carrier['traceparent'] } : {}),
    ...(carrier['tracestate'] !== undefined ? { tracestate: carrier['tracestate'] } : {}),
  };
}
