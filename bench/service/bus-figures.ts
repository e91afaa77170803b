import { Logger, type LogLevel } from '@nestjs/common';
import { deleteRabbitmqResources, uniquePrefix, type BusCaller } from '../../test/support/bus-client.js';
import { repeat } from '../support/repeat.js';
import type { BenchContext, BenchFigure } from '../support/section.js';
import { summarize } from '../support/stats.js';
import { brokerReachable, busTransports, connectCaller, measuredOperations, measureRoundTrips, type BusTransport } from './bus-round-trips.js';
import { percentile } from './latency.js';
import { failuresFigure, type SectionPart } from './section-part.js';
import { startServiceProcess, type ServiceProcess } from './service-process.js';
import type { ServiceSizes } from './service-sizes.js';

/**
 * Request/reply round trips through the service's bus intake, on every broker that answers; a broker
 * that does not fails its own figure (all its requests unanswered) and leaves the others measured.
 */
export async function measureBus(context: BenchContext, sizes: ServiceSizes): Promise<SectionPart> {
  return withNestLogsOnStderrOnly(() => measureBrokers(context, sizes));
}

const NEST_DEFAULT_LOG_LEVELS: LogLevel[] = ['log', 'error', 'warn', 'debug', 'verbose', 'fatal'];

/** Nest's client proxies log connection changes on stdout, which carries the bench's report: keep only errors while they run. */
async function withNestLogsOnStderrOnly<T>(work: () => Promise<T>): Promise<T> {
  Logger.overrideLogger(['error', 'fatal']);
  try {
    return await work();
  } finally {
    Logger.overrideLogger(NEST_DEFAULT_LOG_LEVELS);
  }
}

async function measureBrokers(context: BenchContext, sizes: ServiceSizes): Promise<SectionPart> {
  const parts: SectionPart[] = [];
  for (const transport of busTransports) parts.push(await measureOnItsOwnService(context, sizes, transport));
  return {
    figures: parts.flatMap((part) => part.figures),
    notes: [
      ...parts.flatMap((part) => part.notes),
      `Bus round trips: for each broker, a service process with its intake on that broker alone, under a prefix of its own; a Nest ClientProxy in the bench process` +
        ` (test/support/bus-client.ts, the bus tests' caller) sends ${sizes.busRequests} sequential requests per operation and run: run.status of one run (a read)` +
        ` and run.start (a command that appends). p50 and p99 of each run; median, min and max over ${context.runs} runs after ${context.warmups} warm-up.`,
    ],
  };
}

/** One service process per broker, so a broker that refuses the service fails its own figures only. */
async function measureOnItsOwnService(context: BenchContext, sizes: ServiceSizes, transport: BusTransport): Promise<SectionPart> {
  const planned = (context.warmups + context.runs) * sizes.busRequests * measuredOperations.length;
  if (!(await brokerReachable(transport))) return notMeasured(transport, planned, planned, `${transport.name} at ${transport.url} is unreachable`);
  const prefix = uniquePrefix();
  try {
    let service: ServiceProcess;
    try {
      service = await startServiceProcess(context.dataDir.freshFile(`service-${transport.key}.sqlite`), { RUNTREE_BUS_PREFIX: prefix, [transport.setting]: transport.url });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      context.progress(`service: ${message}`);
      // The first line says why; the service's own output went to the progress lines.
      const why = message.split('\n')[0].replace(/; its last output:$/, '');
      return notMeasured(transport, planned, planned, `the service with its intake on ${transport.name} did not start: ${why} (its output is in the progress lines)`);
    }
    try {
      return await measureTransport(context, sizes, transport, prefix, planned);
    } finally {
      await service.stop();
    }
  } finally {
    if (transport.key === 'rabbitmq') {
      await deleteRabbitmqResources(prefix).catch((error: unknown) => context.progress(`service: could not delete RabbitMQ queue and exchange of ${prefix}: ${String(error)}`));
    }
  }
}

async function measureTransport(context: BenchContext, sizes: ServiceSizes, transport: BusTransport, prefix: string, planned: number): Promise<SectionPart> {
  context.progress(`service: ${transport.name} round trips, ${sizes.busRequests} sequential requests per operation and run`);
  const answered = { count: 0 };
  let caller: BusCaller | undefined;
  try {
    caller = await connectCaller(transport, prefix);
    const { runId } = await caller.value<{ runId: string }>('run.start', {});
    const connected = caller;
    const runs = await repeat(context.runs, context.warmups, () => measureRoundTrips(connected, runId, sizes.busRequests, answered));
    const figures: BenchFigure[] = measuredOperations.flatMap((operation) => {
      const keyOf = (suffix: string) => `service.${transport.key}${operation.replace(/(^|\.)(\w)/g, (_, _dot: string, letter: string) => letter.toUpperCase())}${suffix}`;
      const label = `${transport.name} ${operation} round trip`;
      return [
        { key: keyOf('P50'), label: `${label}, p50`, unit: 'ms', ...summarize(runs.map((run) => percentile(run[operation], 0.5))) },
        { key: keyOf('P99'), label: `${label}, p99`, unit: 'ms', ...summarize(runs.map((run) => percentile(run[operation], 0.99))) },
      ];
    });
    return { figures: [...figures, failuresFigure(`service.${transport.key}Failed`, `${transport.name} requests not answered ok (all runs)`, 0)], notes: [] };
  } catch (error) {
    return notMeasured(transport, planned - answered.count, planned, error instanceof Error ? error.message : String(error));
  } finally {
    await caller?.close();
  }
}

function notMeasured(transport: BusTransport, unanswered: number, planned: number, reason: string): SectionPart {
  return {
    figures: [failuresFigure(`service.${transport.key}Failed`, `${transport.name} requests not answered ok (all runs)`, unanswered)],
    notes: [`${transport.name} round trips FAILED: ${unanswered} of ${planned} requests not answered ok: ${reason}.`],
  };
}
