import type { SizeTable } from '../support/sizes.js';

export const HISTORY_SIZES = {
  'memory-runs': { full: 100_000, quick: 10_000, help: 'runs written over HTTP, each completed with a large output; memory read at 1/4, 1/2 and all of them' },
  'memory-output-bytes': { full: 40 * 1024, quick: 40 * 1024, help: 'bytes of JSON in each of those outputs' },
  'memory-connections': { full: 64, quick: 64, help: 'HTTP requests in flight while writing those runs' },
  'startup-events': { full: 1_000_000, quick: 100_000, help: 'events in the log the service restarts on (agent trees)' },
  'listing-runs': { full: 1_000_000, quick: 100_000, help: 'runs in the log GET /runs lists (the start-up log, grown)' },
  'listing-requests': { full: 2000, quick: 500, help: 'sequential GET /runs requests per query and run (p50, p99 of each run)' },
} satisfies SizeTable;

export type HistorySizes = Record<keyof typeof HISTORY_SIZES, number>;
