import type { SizeTable } from '../support/sizes.js';

export const ORCHESTRATION_SIZES = {
  'spawn-ms': { full: 3000, quick: 400, help: 'how long each spawn or delegation run lasts' },
  callers: { full: 64, quick: 64, help: 'concurrent callers (spawns, delegations; also used to build trees and logs)' },
  'tree-runs': { full: 10_000, quick: 1000, help: 'runs in each tree cancelled or collected' },
  'tree-depth': { full: 4, quick: 4, help: 'levels below the root of the wide tree (10 children per run, the rest at the bottom)' },
  'chain-depth': { full: 1000, quick: 100, help: 'levels below the root of the chain-ish tree (a chain, the other runs as leaves along it)' },
  'await-runs': { full: 200, quick: 100, help: 'runs completed one at a time, each timed (1 waiter, and among the runs awaited at once)' },
  waiters: { full: 1000, quick: 1000, help: 'waiters on one run' },
  'awaited-runs': { full: 1000, quick: 150, help: 'runs awaited at once, a waiter each' },
  'rebuild-events': { full: 1_000_000, quick: 10_000, help: 'events in the log rebuild() replays (runs with steps)' },
} satisfies SizeTable;

export type OrchestrationSizes = Record<keyof typeof ORCHESTRATION_SIZES, number>;
