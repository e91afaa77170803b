import { repeat } from '../support/repeat.js';
import type { BenchContext, BenchFigure, BenchTarget } from '../support/section.js';
import { summarize } from '../support/stats.js';
import { createParents, runSpawnLoad } from './http-spawn.js';
import { failuresFigure, type SectionPart } from './section-part.js';
import { startServiceProcess } from './service-process.js';
import type { ServiceSizes } from './service-sizes.js';

interface ParentLayout {
  /** Figure keys start `service.<key>`. */
  readonly key: string;
  readonly rateTarget: BenchTarget;
  readonly p99Target?: BenchTarget;
  readonly parents: (connections: number) => number;
  readonly describe: (connections: number) => string;
}

const LAYOUTS: readonly ParentLayout[] = [
  // Spawns append to different parent streams: the service's throughput.
  { key: 'spawnSpread', rateTarget: { kind: 'atLeast', value: 5000 }, p99Target: { kind: 'atMost', value: 25 }, parents: (connections) => connections, describe: (connections) => `${connections} parents` },
  // Every spawn appends to the same parent stream: the contended case.
  { key: 'spawnOneParent', rateTarget: { kind: 'atLeast', value: 2000 }, parents: () => 1, describe: () => 'one parent' },
];

/** HTTP spawn load on the real service in a child process, for each parent layout. */
export async function measureHttpSpawn(context: BenchContext, sizes: ServiceSizes): Promise<SectionPart> {
  const service = await startServiceProcess(context.dataDir.freshFile('service-http.sqlite'));
  try {
    const figures: BenchFigure[] = [];
    const notes: string[] = [];
    for (const layout of LAYOUTS) {
      const layoutName = layout.describe(sizes.connections);
      const parents = await createParents(service.baseUrl, layout.parents(sizes.connections));
      context.progress(`service: HTTP spawn, ${sizes.connections} connections, ${layoutName}: ${sizes.spawnWarmupSeconds} s warm-up, ${sizes.spawnRuns} x ${sizes.spawnSeconds} s`);
      await runSpawnLoad(service.baseUrl, parents, sizes.connections, sizes.spawnWarmupSeconds);
      const runs = await repeat(sizes.spawnRuns, 0, () => runSpawnLoad(service.baseUrl, parents, sizes.connections, sizes.spawnSeconds));
      const label = `HTTP spawn, ${sizes.connections} connections, ${layoutName}`;
      figures.push(
        { key: `service.${layout.key}Rate`, label, unit: 'spawns/s', ...summarize(runs.map((run) => run.spawnsPerSecond)), target: layout.rateTarget },
        { key: `service.${layout.key}P50`, label: `${label}, p50`, unit: 'ms', ...summarize(runs.map((run) => run.p50Ms)) },
        { key: `service.${layout.key}P99`, label: `${label}, p99`, unit: 'ms', ...summarize(runs.map((run) => run.p99Ms)), ...(layout.p99Target === undefined ? {} : { target: layout.p99Target }) },
        failuresFigure(`service.${layout.key}Failed`, `${label}, non-2xx or unanswered (all runs)`, runs.reduce((total, run) => total + run.failed, 0)),
      );
      runs.forEach((run, index) => {
        if (run.failed > 0) notes.push(`${label}, run ${index + 1}: ${run.failures}.`);
      });
    }
    notes.push(
      `HTTP spawn: the built service (dist-bench/apps/runtree/src/main.js) in a child process on a fresh SQLite file; autocannon in the bench process keeps ${sizes.connections} connections` +
        ` each POSTing /runs/<parent>/children with {} as soon as its previous answer arrives. Layouts: one parent per connection (spawns append to different parent streams)` +
        ` and one parent for all (every spawn appends to the same parent stream); each ${sizes.spawnWarmupSeconds} s of warm-up, then ${sizes.spawnRuns} x ${sizes.spawnSeconds} s.` +
        ' spawns/s counts 2xx answers only: a refused or lost request counts as a failure, not a fast answer. Latencies are autocannon\'s, in whole milliseconds.',
    );
    return { figures, notes };
  } finally {
    await service.stop();
  }
}
