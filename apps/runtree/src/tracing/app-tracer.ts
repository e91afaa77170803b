import { trace } from '@opentelemetry/api';

/** The service's tracer: a no-op unless `startTracing` registered the SDK (RUNTREE_OTEL, OTEL_EXPORTER_OTLP_ENDPOINT). */
export const appTracer = trace.getTracer('runtree');
