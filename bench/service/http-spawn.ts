import autocannon from 'autocannon';
import { RuntreeClient, successBody } from '../../test/e2e/process/runtree-client.js';

/** One load run of spawn requests. */
export interface SpawnLoadRun {
  /** 2xx answers per second: a refused or lost request does not count as a fast one. */
  readonly spawnsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Answered with a non-2xx status, or not at all (socket error, timeout). */
  readonly failed: number;
  /** e.g. `409 × 3, 2 errors`, when `failed` is not 0. */
  readonly failures: string;
}

/** Starts `count` root runs to spawn children under. */
export async function createParents(baseUrl: string, count: number): Promise<string[]> {
  const client = new RuntreeClient(baseUrl);
  const parents: string[] = [];
  for (let parent = 0; parent < count; parent += 1) parents.push(successBody<{ runId: string }>(await client.post('/runs', {})).runId);
  return parents;
}

/**
 * `connections` keep-alive connections, each POSTing `/runs/<parent>/children` with `{}` as soon as its
 * previous answer arrives, for `seconds`. Connection i spawns under `parents[i % parents.length]`.
 */
export async function runSpawnLoad(baseUrl: string, parents: readonly string[], connections: number, seconds: number): Promise<SpawnLoadRun> {
  const urls = parents.map((parent) => `${baseUrl}/runs/${parent}/children`);
  const result = await autocannon({
    // autocannon takes a list of URLs and deals them out to the connections; its types only know one.
    url: (urls.length === 1 ? urls[0] : urls) as string,
    connections,
    duration: seconds,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  const refused = Object.entries(result.statusCodeStats ?? {})
    .filter(([status]) => !status.startsWith('2'))
    .map(([status, stats]) => `${status} × ${stats.count ?? 0}`);
  return {
    spawnsPerSecond: result['2xx'] / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    failed: result.non2xx + result.errors,
    failures: [...refused, ...(result.errors > 0 ? [`${result.errors} errors (${result.timeouts} timeouts)`] : [])].join(', '),
  };
}
