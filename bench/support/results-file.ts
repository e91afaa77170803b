import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Compiled to dist-bench/bench/support/: three levels up is the repository root.
const RESULTS_DIR = fileURLToPath(new URL('../../../bench/results/', import.meta.url));

/** Writes `bench/results/latest.json` (git-ignored) and returns its path. */
export function writeResults(results: unknown): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const path = join(RESULTS_DIR, 'latest.json');
  // Figures may be bigints (revisions, positions): store them as strings.
  const json = JSON.stringify(results, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value), 2);
  writeFileSync(path, `${json}\n`);
  return path;
}
