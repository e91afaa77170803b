import type { SizeTable } from '../support/sizes.js';

export const ORCHESTRATION_SIZES = {
  'spawns-sequential': { full: 2000, quick: 500, help: 'spawns by 1 caller, one after the other' },
  callers: { full: 64, quick: 64, help: 'concurrent callers (spawns, delegations; also used to build trees and logs)' },
  'spawns-concurrent': { full: 12_800, quick: 3200, help: 'spawns over all concurrent callers' },
  delegations: { full: 6400, quick: 1600, help: 'delegations over all concurrent callers' },
  'tree-runs': { full: 10_000, quick: 2000, help: 'runs in each tree cancelled or collected' },
  'tree-depth': { full: 4, quick: 4, help: 'levels below the root of the wide tree (10 children per run, the rest at the bottom)' },
  'chain-depth': { full: 1000, quick: 200, help: 'levels below the root of the chain-ish tree (a chain, the other runs as leaves along it)' },
  'await-runs': { full: 500, quick: 100, help: 'runs awaited one at a time by 1 waiter' },
  waiters: { full: 1000, quick: 1000, help: 'waiters on one run, and runs awaited at once' },
  'rebuild-events': { full: 1_000_000, quick: 100_000, help: 'events in the log rebuild() replays (runs with steps)' },
} satisfies SizeTable;

export type OrchestrationSizes = Record<keyof typeof ORCHESTRATION_SIZES, number>;
