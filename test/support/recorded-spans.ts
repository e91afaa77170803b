import { expect } from '@jest/globals';
import { trace } from '@opentelemetry/api';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';

// An SDK registered as the service's start-tracing registers one (context manager, W3C propagator),
// its spans kept in memory: a test file registers it once, at its top.

export interface RecordedSpans {
  readonly exporter: InMemorySpanExporter;
  readonly provider: NodeTracerProvider;
  /** Runs `work` inside a span of a caller outside the service, so what it sends is traced. */
  inCallerSpan<T>(work: () => Promise<T>): Promise<T>;
}

export function recordSpans(): RecordedSpans {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  provider.register();
  const caller = trace.getTracer('test-caller');
  return { exporter, provider, inCallerSpan: (work) => caller.startActiveSpan('caller', (span) => work().finally(() => span.end())) };
}

export const parentOf = (span: ReadableSpan): string | undefined => span.parentSpanContext?.spanId;
export const spanIdIn = (traceparent: string): string => traceparent.split('-')[2]!;

/** The one span of `spans` named `name` (fails naming it when there are none or several). */
export function onlySpan(spans: readonly ReadableSpan[], name: string): ReadableSpan {
  const named = spans.filter((span) => span.name === name);
  expect([name, named.length]).toEqual([name, 1]);
  return named[0]!;
}
