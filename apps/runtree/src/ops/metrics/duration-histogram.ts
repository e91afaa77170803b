import { Histogram, type Registry } from 'prom-client';

/** From a millisecond read of the cache to an `await` of a minute: operations, HTTP requests, bus messages. */
const DURATION_BUCKETS_SECONDS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** Store calls: from a tenth of a millisecond (a cached SQLite read) to a second (a stalled fsync or network). */
export const STORE_BUCKETS_SECONDS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

/** A histogram of durations in seconds in Runtree's registry: every timing metric is one. */
export function durationHistogram<L extends string>(
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly L[],
  buckets: readonly number[] = DURATION_BUCKETS_SECONDS,
): Histogram<L> {
  return new Histogram({ name, help, labelNames, buckets: [...buckets], registers: [registry] });
}
