import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { trace, type TracerProvider } from '@opentelemetry/api';

interface FlushableProvider extends TracerProvider {
  forceFlush?(): Promise<void>;
}

/** At shutdown, spans still batched are exported before the process ends (nothing to do when tracing is off). */
@Injectable()
export class TracingFlush implements OnApplicationShutdown {
  async onApplicationShutdown(): Promise<void> {
    const provider = trace.getTracerProvider() as FlushableProvider & { getDelegate?(): FlushableProvider };
    await (provider.getDelegate?.() ?? provider).forceFlush?.();
  }
}
