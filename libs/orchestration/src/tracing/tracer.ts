import { SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';

/**
 * The library's tracer, from `@opentelemetry/api` only: spans are recorded when the application
 * registered an SDK, and are no-ops (nothing kept, nothing exported) when it did not.
 */
export const tracer = trace.getTracer('@runtree/orchestration');

/** Runs `work` inside a span that ends with it, marked as an error when it throws. */
export function inSpan<T>(name: string, attributes: Attributes, work: (span: Span) => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      span.end();
    }
  });
}
