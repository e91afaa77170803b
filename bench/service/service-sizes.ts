export interface ServiceSizes {
  /** Concurrent HTTP connections, each keeping one spawn request in flight. */
  readonly connections: number;
  /** Length of each recorded HTTP load run, and how many there are per parent layout. */
  readonly spawnSeconds: number;
  readonly spawnRuns: number;
  /** One unrecorded run of this length first (JIT, SQLite page cache, connections). */
  readonly spawnWarmupSeconds: number;
  /** Sequential requests per bus operation in each run. */
  readonly busRequests: number;
}

const FULL: ServiceSizes = { connections: 64, spawnSeconds: 5, spawnRuns: 3, spawnWarmupSeconds: 2, busRequests: 500 };
const QUICK: ServiceSizes = { ...FULL, spawnRuns: 1, spawnWarmupSeconds: 1, busRequests: 200 };

export function serviceSizes(quick: boolean): ServiceSizes {
  return quick ? QUICK : FULL;
}
