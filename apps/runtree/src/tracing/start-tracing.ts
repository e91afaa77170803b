import { NodeSDK } from '@opentelemetry/sdk-node';

/**
 * Starts the OpenTelemetry SDK: traces to the OTLP exporter that the standard `OTEL_*` variables
 * describe (endpoint, protocol, headers, sampler, propagators, resource), under the service name
 * `runtree` unless `OTEL_SERVICE_NAME` says otherwise. No auto-instrumentation: the service makes
 * its own spans (HTTP, bus, facade operations, store calls). Loaded only when tracing is on.
 */
export function startTracing(env: NodeJS.ProcessEnv): void {
  const sdk = new NodeSDK({ serviceName: env['OTEL_SERVICE_NAME'] ?? 'runtree', instrumentations: [] });
  sdk.start();
}
