import type { Provider } from '@nestjs/common';
import { collectDefaultMetrics, Registry } from 'prom-client';

/** Runtree's own registry (not prom-client's global one), with the default process metrics. */
export const metricsRegistryProvider: Provider = {
  provide: Registry,
  useFactory: (): Registry => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    return registry;
  },
};
