/**
 * The service section: the real service in a child process, under HTTP spawn load and answering
 * request/reply round trips through its NATS and RabbitMQ intake.
 */
import { describeMachine } from '../support/machine.js';
import type { BenchSection } from '../support/section.js';
import { measureBus } from './bus-figures.js';
import { measureHttpSpawn } from './http-spawn-figures.js';
import { serviceSizes } from './service-sizes.js';

export const serviceBench: BenchSection = async (context) => {
  const sizes = serviceSizes(context.quick);
  const http = await measureHttpSpawn(context, sizes);
  const bus = await measureBus(context, sizes);
  return {
    name: 'service',
    figures: [...http.figures, ...bus.figures],
    notes: [...http.notes, ...bus.notes, `The service and the load generator share this machine (${describeMachine().cpuCount} cores) with any other work on it; load average ${describeMachine().loadAverage} at the end.`],
  };
};
