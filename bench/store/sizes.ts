import type { SizeTable } from '../support/sizes.js';

// Quick: well under 30 s on a disk doing ~5k fsyncs/s.
export const STORE_SIZES = {
  'fsync-ms': { full: 2000, quick: 500, help: 'how long each raw fsync run writes' },
  'event-bytes': { full: 300, quick: 300, help: "size of each raw write and of each event's JSON data" },
  'single-events': { full: 5000, quick: 1000, help: 'single-event appends by 1 writer' },
  writers: { full: 64, quick: 64, help: 'concurrent writers' },
  'concurrent-events': { full: 32_000, quick: 6400, help: 'single-event appends over all concurrent writers' },
  'batch-size': { full: 100, quick: 100, help: 'events per batched append' },
  'batched-events': { full: 100_000, quick: 10_000, help: 'events per batched run; readAll reads a log of this many' },
} satisfies SizeTable;

export type StoreSizes = Record<keyof typeof STORE_SIZES, number>;
