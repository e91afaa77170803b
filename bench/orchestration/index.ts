/**
 * The orchestration section: the `Orchestrator` facade inside a Nest application context
 * (`OrchestratorModule.forRoot`), durable writes, on fresh SQLite files (or an EventStoreDB server).
 */
// Not part of the package's API, but the one way the module opens a store from its options.
import { openStore } from '../../libs/orchestration/src/module/store-provider.js';
import { SqliteReadStore } from '@runtree/read-store';
import { formatNumber } from '../support/table.js';
import { inFreshSqliteFile, removeSqliteFiles } from '../support/sqlite-files.js';
import { measureFsyncRate } from '../support/fsync-rate.js';
import { repeat } from '../support/repeat.js';
import type { BenchContext, BenchSection } from '../support/section.js';
import { SectionRun } from '../support/section-run.js';
import { resolveSizes } from '../support/sizes.js';
import { awaitManyRuns, awaitManyWaitersOnOneRun, awaitOneWaiter, type Latencies } from './await-scenarios.js';
import { fillWithAgentWork } from './agent-log.js';
import { inPhaseStore, withBenchOrchestrator, type BenchStore } from './bench-orchestrator.js';
import { measureRebuildFloor, ROWS_PER_TRANSACTION } from './rebuild-floor.js';
import { measureRebuild } from './rebuild-scenarios.js';
import { ORCHESTRATION_SIZES, type OrchestrationSizes } from './sizes.js';
import { measureSpawnFloor, spawnRowsOf } from './spawn-floor.js';
import { measureSpawns, type SpawnRun } from './spawn-scenario.js';
import { terminalAppendClock } from './terminal-append-clock.js';
import { buildTree, buildTrees, measureCancel, measureCollect } from './tree-scenarios.js';
import { chainTree, treeRuns, wideTree } from './tree-shapes.js';

const FSYNC_PROBE_MS = 1000;
/** Spawns the floor writes at most: the first of those the 1-caller runs made. */
const SPAWN_FLOOR_SPAWNS = 2000;

const rateOf = (spawns: SpawnRun) => spawns.perSecond;
const cpuOf = (spawns: SpawnRun) => spawns.cpuMicrosPerSpawn;

type FsyncReference = { readonly name: string; readonly median: number };

/** The section on `target`; its figures' keys start with `orchestration.` (SQLite) or `orchestrationEsdb.`. */
export function orchestrationBench(target: BenchStore): BenchSection {
  return async (context) => {
    const sizes = resolveSizes(ORCHESTRATION_SIZES, context);
    const run = new SectionRun(context, target.kind === 'sqlite' ? 'orchestration' : 'orchestrationEsdb');
    const fsync = rawFsyncRate(context, run.notes);

    await run.phase('spawns', () => measureSpawnFigures(context, target, sizes, fsync, run));
    await run.phase('trees', () => measureTreeFigures(context, target, sizes, run));
    await run.phase('await', () => measureAwaitFigures(context, target, sizes, run));
    await run.phase('rebuild', () => measureRebuildFigures(context, target, sizes, run));

    run.notes.push(...sizeNotes(context, sizes, target));
    return {
      name: target.kind === 'sqlite' ? 'orchestration: SQLite (durable: WAL, synchronous=FULL)' : 'orchestration: EventStoreDB (EVENTSTORE_CONNECTION_STRING)',
      figures: run.figures,
      notes: run.notes,
      failures: run.failures,
    };
  };
}

/** The store section's raw fsync rate, or a short probe of our own when it did not run. */
function rawFsyncRate(context: BenchContext, notes: string[]): FsyncReference {
  const measured = context.figures.get('store.rawFsync');
  if (measured !== undefined) return { name: 'raw fsync', median: measured.median };
  const median = measureFsyncRate({ directory: context.dataDir.path, durationMs: FSYNC_PROBE_MS, writeBytes: 300 });
  notes.push(`The store section did not run: raw fsync measured here once (${formatNumber(median)} writes/s over ${FSYNC_PROBE_MS} ms).`);
  return { name: 'raw fsync', median };
}

async function measureSpawnFigures(context: BenchContext, target: BenchStore, sizes: OrchestrationSizes, fsync: FsyncReference, run: SectionRun) {
  const { runs, warmups, progress } = context;
  const durationMs = sizes['spawn-ms'];
  await inPhaseStore(target, context.dataDir, 'spawns', (store) =>
    withBenchOrchestrator(store.durable, async ({ orchestrator }) => {
      progress(`spawn: 1 caller, ${durationMs} ms per run`);
      const sequential = await repeat(runs, warmups, () => measureSpawns(orchestrator, { operation: 'spawn', callers: 1, durationMs }));
      run.add({ key: 'spawnSequential', label: 'spawn, 1 caller', unit: 'spawns/s', samples: sequential.map(rateOf), ratioTo: fsync, target: { kind: 'atLeast', value: 0.5, of: 'ratio' } });
      if (store.durable.kind === 'sqlite') await addSpawnFloor(context, store.durable.path, fsync, run);

      progress(`spawn: ${sizes.callers} callers, ${durationMs} ms per run`);
      const concurrent = await repeat(runs, warmups, () => measureSpawns(orchestrator, { operation: 'spawn', callers: sizes.callers, durationMs }));
      run.add({ key: 'spawnConcurrent', label: `spawn, ${sizes.callers} callers`, unit: 'spawns/s', samples: concurrent.map(rateOf), ratioTo: fsync, target: { kind: 'atLeast', value: 10_000 } });
      run.add({ key: 'spawnConcurrentCpu', label: `spawn, ${sizes.callers} callers: CPU per spawn`, unit: 'µs', samples: concurrent.map(cpuOf) });

      progress(`delegate: ${sizes.callers} callers, ${durationMs} ms per run`);
      const delegations = await repeat(runs, warmups, () => measureSpawns(orchestrator, { operation: 'delegate', callers: sizes.callers, durationMs }));
      run.add({ key: 'delegateConcurrent', label: `delegate, ${sizes.callers} callers`, unit: 'delegations/s', samples: delegations.map(rateOf), ratioTo: fsync });
    }),
  );
}

/** The floor under the 1-caller spawn, from the spawns just made (see measureSpawnFloor). */
async function addSpawnFloor(context: BenchContext, journalPath: string, fsync: FsyncReference, run: SectionRun) {
  const spawns = spawnRowsOf(journalPath, SPAWN_FLOOR_SPAWNS);
  const floor = await repeat(context.runs, context.warmups, () => inFreshSqliteFile(context.dataDir, 'spawn-floor', async (targetPath) => measureSpawnFloor(spawns, targetPath)));
  run.add({ key: 'spawnSequentialFloor', label: "floor: a spawn's rows written alone, 1 caller", unit: 'spawns/s', samples: floor, ratioTo: fsync });
  run.notes.push(
    `Spawn floor: the first ${formatNumber(spawns.length)} spawns of the 1-caller runs, each written as the facade must before it answers: its events and stream rows in`,
    'one journal commit (synchronous=FULL), then its read-model rows and the checkpoint in one read-store commit, into fresh files with plain statements,',
    'nothing read, decoded, hashed or folded: no spawn that answers once its read models hold it (read-your-writes) is faster on this disk.',
  );
}

async function measureTreeFigures(context: BenchContext, target: BenchStore, sizes: OrchestrationSizes, run: SectionRun) {
  const { runs, warmups, progress } = context;
  const wide = wideTree(sizes['tree-runs'], sizes['tree-depth']);
  const chain = chainTree(sizes['tree-runs'], sizes['chain-depth']);
  await inPhaseStore(target, context.dataDir, 'trees', async (store) => {
    progress(`trees: building 1 + 2 x ${runs + warmups} trees of ${sizes['tree-runs']} runs (${sizes.callers} spawns at a time)`);
    const roots = await withBenchOrchestrator(store.unsynced, async ({ orchestrator }) => ({
      collected: await buildTree(orchestrator, wide, sizes.callers),
      wide: await buildTrees(orchestrator, wide, runs + warmups, sizes.callers),
      chain: await buildTrees(orchestrator, chain, runs + warmups, sizes.callers),
    }));
    await withBenchOrchestrator(store.durable, async ({ orchestrator }) => {
      progress(`collect: tree of ${treeRuns(wide)} runs, depth ${sizes['tree-depth']}`);
      const collect = await repeat(runs, warmups, () => measureCollect(orchestrator, roots.collected, wide));
      run.add({ key: 'collectTree', label: `collect, ${treeRuns(wide)}-run tree + journal`, unit: 'ms', samples: collect, target: { kind: 'atMost', value: 100 } });

      progress(`cancel: trees of ${treeRuns(wide)} runs, depth ${sizes['tree-depth']}`);
      const wideRoots = roots.wide.values();
      const cancelWide = await repeat(runs, warmups, () => measureCancel(orchestrator, wideRoots.next().value!, wide));
      run.add({ key: 'cancelWideTree', label: `cancel, ${treeRuns(wide)} runs, depth ${sizes['tree-depth']}`, unit: 'ms', samples: cancelWide });

      progress(`cancel: trees of ${treeRuns(chain)} runs, depth ${sizes['chain-depth']}`);
      const chainRoots = roots.chain.values();
      const cancelChain = await repeat(runs, warmups, () => measureCancel(orchestrator, chainRoots.next().value!, chain));
      run.add({ key: 'cancelChainTree', label: `cancel, ${treeRuns(chain)} runs, depth ${sizes['chain-depth']}`, unit: 'ms', samples: cancelChain });
    });
  });
}

async function measureAwaitFigures(context: BenchContext, target: BenchStore, sizes: OrchestrationSizes, run: SectionRun) {
  const { runs, warmups, progress } = context;
  await inPhaseStore(target, context.dataDir, 'await', async (store) => {
    // The module gets the store through a clock that notes when each terminal append resolved.
    const clock = terminalAppendClock(openStore(store.durable));
    try {
      await withBenchOrchestrator({ kind: 'instance', store: clock.store }, async ({ orchestrator }) => {
        const bench = { orchestrator, clock };
        const addLatencies = (key: string, label: string, samples: readonly Latencies[], p99AtMostMs: number) => {
          run.add({ key: `${key}P50`, label: `${label}, p50`, unit: 'ms', samples: samples.map((latency) => latency.p50) });
          run.add({ key: `${key}P99`, label: `${label}, p99`, unit: 'ms', samples: samples.map((latency) => latency.p99), target: { kind: 'atMost', value: p99AtMostMs } });
        };
        progress(`await: 1 waiter, ${sizes['await-runs']} runs one after the other`);
        addLatencies('awaitOneWaiter', 'await wake-up, 1 waiter', await repeat(runs, warmups, () => awaitOneWaiter(bench, sizes['await-runs'])), 1);
        progress(`await: ${sizes.waiters} waiters on one run`);
        addLatencies('awaitWaitersOneRun', `await wake-up, ${sizes.waiters} waiters on 1 run`, await repeat(runs, warmups, () => awaitManyWaitersOnOneRun(bench, sizes.waiters)), 2);
        progress(`await: ${sizes['awaited-runs']} runs awaited at once, ${sizes['await-runs']} completed one after the other`);
        const manyRuns = await repeat(runs, warmups, () => awaitManyRuns(bench, sizes['awaited-runs'], sizes['await-runs'], sizes.callers));
        addLatencies('awaitManyRuns', `await wake-up, ${sizes['awaited-runs']} runs awaited`, manyRuns, 2);
      });
    } finally {
      await clock.store.close();
    }
  });
}

async function measureRebuildFigures(context: BenchContext, target: BenchStore, sizes: OrchestrationSizes, run: SectionRun) {
  const { runs, warmups, progress } = context;
  await inPhaseStore(target, context.dataDir, 'rebuild', async (store) => {
    progress(`rebuild: writing a log of ${sizes['rebuild-events']} events through the facade (${sizes.callers} callers)`);
    const events = await withBenchOrchestrator(store.unsynced, (bench) => fillWithAgentWork(bench.orchestrator, bench.store, sizes['rebuild-events'], sizes.callers));
    await withBenchOrchestrator(store.durable, async (bench) => {
      const runCount = await bench.readStore.runCount();
      progress(`rebuild: ${events} events, ${runCount} runs`);
      const rebuild = await repeat(runs, warmups, () => measureRebuild(bench, events, runCount));
      run.add({ key: 'rebuild', label: `rebuild(), ${formatNumber(events)} events`, unit: 'events/s', samples: rebuild, target: { kind: 'atLeast', value: 400_000 } });
      if (!(bench.readStore instanceof SqliteReadStore)) return;
      const readStorePath = bench.readStore.path;
      let rowsPerEvent = 0;
      const floor = await repeat(runs, warmups, async () => {
        const targetPath = context.dataDir.freshFile('rebuild-floor.sqlite');
        try {
          const measured = measureRebuildFloor(readStorePath, targetPath, events);
          rowsPerEvent = measured.rowsPerEvent;
          return measured.eventsPerSecond;
        } finally {
          removeSqliteFiles(targetPath);
        }
      });
      run.add({ key: 'rebuildFloor', label: 'floor: its rows inserted alone', unit: 'events/s', samples: floor });
      run.notes.push(
        `Rebuild floor: the ${rowsPerEvent.toFixed(2)} read-model rows per event of the rebuilt tables, inserted with a plain statement per row into`,
        `fresh tables with only the rebuild's keys, ${formatNumber(ROWS_PER_TRANSACTION)} per transaction, nothing read from the log, decoded or folded: no rebuild into these rows is faster.`,
      );
    });
  });
}

function sizeNotes(context: BenchContext, sizes: OrchestrationSizes, target: BenchStore): string[] {
  const unsynced = target.kind === 'sqlite' ? ' with synchronous=OFF to build them fast, then the store is reopened durable (cold caches)' : '';
  return [
    `Sizes: ${Object.entries(sizes).map(([flag, value]) => `${flag} ${value}`).join(', ')}.`,
    ...(context.quick ? ['Quick sizes: the targets are set for 10,000-run trees, 1,000 awaited runs and a 1,000,000-event log; met/missed is only indicative here.'] : []),
    `Spawns and delegations: each of the callers has its own parent run; every call returns once durable and in the read models.`,
    `Trees and the rebuild log are written through the facade before the clock starts${unsynced}.`,
    'Each cancel gets its own tree whose runs are all running; collect includes descendants, steps and the whole tree\'s journal.',
    'Await latency runs from the resolution of the terminal event\'s append to the waiter\'s resolution, p50/p99 over each run\'s',
    'waiters. "1 waiter": runs awaited one at a time. "on 1 run": that many waiters on one run (one shared watch).',
    `"runs awaited": that many runs awaited at once (a watch each), ${sizes['await-runs']} of them completed one after the other, timed.`,
    'rebuild(): the log is agent-like work (a root and 4 spawned children, 2 steps per run, every run completed), replayed into',
    'fresh read-store tables that are then swapped in. The read models live in the read store, not the heap: the service\'s heap',
    'and RSS over a growing history are the history section\'s figures.',
    ...(target.kind === 'esdb' ? ["EventStoreDB keeps every phase's events: rebuild() replays all of Runtree's events on the server, and counts them all."] : []),
  ];
}
