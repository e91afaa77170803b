import type { BusOperation } from '../../apps/runtree/src/bus/bus-names.js';
import { natsCaller, natsUrl, rabbitmqCaller, rabbitmqUrl, reachable, type BusCaller } from '../../test/support/bus-client.js';

export interface BusTransport {
  /** `nats` → figure keys `service.natsRunStatusP50`, ... */
  readonly key: 'nats' | 'rabbitmq';
  readonly name: string;
  readonly url: string;
  readonly defaultPort: number;
  /** The service's variable that turns its intake on for this broker. */
  readonly setting: 'RUNTREE_NATS_URL' | 'RUNTREE_RABBITMQ_URL';
  readonly connect: (prefix: string) => Promise<BusCaller>;
}

export const busTransports: readonly BusTransport[] = [
  { key: 'nats', name: 'NATS', url: natsUrl, defaultPort: 4222, setting: 'RUNTREE_NATS_URL', connect: natsCaller },
  { key: 'rabbitmq', name: 'RabbitMQ', url: rabbitmqUrl, defaultPort: 5672, setting: 'RUNTREE_RABBITMQ_URL', connect: rabbitmqCaller },
];

/** A read and a command, each answered by the service through the broker. */
export const measuredOperations = ['run.status', 'run.start'] as const satisfies readonly BusOperation[];
export type MeasuredOperation = (typeof measuredOperations)[number];

/** Long enough for a loaded machine; short enough that a broker lost mid-run does not stall the bench. */
const REQUEST_TIMEOUT_MS = 5_000;
const CONNECT_TIMEOUT_MS = 10_000;

export function brokerReachable(transport: BusTransport): Promise<boolean> {
  return reachable(transport.url, transport.defaultPort);
}

/** A caller connected through `transport`, or a rejection naming the broker within a bounded time. */
export async function connectCaller(transport: BusTransport, prefix: string): Promise<BusCaller> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no connection to ${transport.name} at ${transport.url} within ${CONNECT_TIMEOUT_MS} ms`)), CONNECT_TIMEOUT_MS);
  });
  try {
    return await Promise.race([transport.connect(prefix), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `requests` sequential round trips of each measured operation (`run.status` of `runId`, `run.start`
 * of a new root run); milliseconds per answered request. Rejects at the first request without an
 * `ok` answer, naming it; `answered` counts the ones before it.
 */
export async function measureRoundTrips(
  caller: BusCaller,
  runId: string,
  requests: number,
  answered: { count: number },
): Promise<Record<MeasuredOperation, number[]>> {
  const payloads: Record<MeasuredOperation, unknown> = { 'run.status': { runId }, 'run.start': {} };
  const latencies: Record<MeasuredOperation, number[]> = { 'run.status': [], 'run.start': [] };
  for (const operation of measuredOperations) {
    for (let request = 0; request < requests; request += 1) {
      const started = performance.now();
      const reply = await caller.call(operation, payloads[operation], REQUEST_TIMEOUT_MS);
      if (!reply.ok) throw new Error(`${operation} answered ${reply.error.code}: ${reply.error.message}`);
      latencies[operation].push(performance.now() - started);
      answered.count += 1;
    }
  }
  return latencies;
}
