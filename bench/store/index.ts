/**
 * The store section: the disk's fsync limit and the SQLite event store's durable append and read
 * rates, measured on the same disk, each as a ratio to the raw fsync rate.
 */
import { openSqliteEventStore } from '../../libs/event-store/src/sqlite/index.js';
import { benchFigure } from '../support/figure.js';
import { measureFsyncRate } from '../support/fsync-rate.js';
import { repeat } from '../support/repeat.js';
import type { BenchContext, BenchSection, BenchSectionResult } from '../support/section.js';
import { resolveSizes } from '../support/sizes.js';
import { inFreshSqliteFile, removeSqliteFiles } from '../support/sqlite-files.js';
import { summarize } from '../support/stats.js';
import { runAppendScenario, totalGroupCommit, type AppendRun, type AppendScenario } from './append-scenarios.js';
import { makeEvents } from './bench-events.js';
import { groupCommitNotes } from './group-commit-notes.js';
import { measureInsertFloor } from './insert-floor.js';
import { measureReadAll } from './read-all-scenario.js';
import { STORE_SIZES, type StoreSizes } from './sizes.js';

export const storeBench: BenchSection = async (context) => {
  const sizes = resolveSizes(STORE_SIZES, context);
  const { runs, warmups, dataDir, progress } = context;

  progress(`raw fsync: ${sizes['event-bytes']}-byte writes for ${sizes['fsync-ms']} ms per run`);
  const fsyncRuns = await repeat(runs, warmups, () =>
    measureFsyncRate({ directory: dataDir.path, durationMs: sizes['fsync-ms'], writeBytes: sizes['event-bytes'] }),
  );
  const rawFsync = benchFigure({ key: 'store.rawFsync', label: `raw fsync, ${sizes['event-bytes']} B writes`, unit: 'writes/s', samples: fsyncRuns });
  const ratioTo = { name: 'raw fsync', median: rawFsync.median };

  const appendRuns = (name: string, scenario: Omit<AppendScenario, 'path' | 'eventBytes'>) =>
    repeat(runs, warmups, () => inFreshSqliteFile(dataDir, name, (path) => runAppendScenario({ ...scenario, path, eventBytes: sizes['event-bytes'] })));

  progress(`append: 1 writer, ${sizes['single-events']} single-event appends`);
  const oneWriter = await appendRuns('one-writer', { writers: 1, eventsPerWriter: sizes['single-events'], eventsPerCall: 1 });

  const eventsPerWriter = Math.ceil(sizes['concurrent-events'] / sizes.writers);
  progress(`append: ${sizes.writers} writers x ${eventsPerWriter} single-event appends`);
  const concurrent = await appendRuns('concurrent', { writers: sizes.writers, eventsPerWriter, eventsPerCall: 1 });

  progress(`append: 1 writer, ${sizes['batched-events']} events in calls of ${sizes['batch-size']}`);
  const batched = await appendRuns('batched', { writers: 1, eventsPerWriter: sizes['batched-events'], eventsPerCall: sizes['batch-size'] });

  progress(`floor: ${sizes['batched-events']} plain inserts into the same table, ${sizes['batch-size']} per transaction`);
  const floorEvents = makeEvents('bench-floor', sizes['batched-events'], sizes['event-bytes']);
  const floor = await repeat(runs, warmups, () =>
    inFreshSqliteFile(dataDir, 'floor', async (path) => measureInsertFloor({ path, events: floorEvents, eventsPerTransaction: sizes['batch-size'] })),
  );

  progress(`readAll: whole log of ${sizes['batched-events']} events`);
  const { readAllRuns, durability } = await measureReadAllOverBatchedLog(context, sizes);

  const eventRates = (appendRunsOf: readonly AppendRun[]) => appendRunsOf.map((run) => run.eventsPerSecond);
  const figures = [
    rawFsync,
    benchFigure({ key: 'store.appendOneWriter', label: 'append, 1 writer', unit: 'events/s', samples: eventRates(oneWriter), ratioTo }),
    benchFigure({ key: 'store.appendConcurrent', label: `append, ${sizes.writers} writers`, unit: 'events/s', samples: eventRates(concurrent), ratioTo }),
    benchFigure({ key: 'store.appendBatched', label: `append, ${sizes['batch-size']} events/call`, unit: 'events/s', samples: eventRates(batched), ratioTo, target: { kind: 'atLeast', value: 150_000 } }),
    benchFigure({
      key: 'store.appendBatchedCalls',
      label: `append, ${sizes['batch-size']} events/call`,
      unit: 'calls/s',
      samples: batched.map((run) => run.appendCallsPerSecond),
      ratioTo,
    }),
    benchFigure({
      key: 'store.appendBatchedCpu',
      label: `append, ${sizes['batch-size']} events/call: CPU per event`,
      unit: 'µs',
      samples: batched.map((run) => run.cpuMicrosPerEvent),
    }),
    benchFigure({
      key: 'store.insertFloor',
      label: `floor: plain inserts, ${sizes['batch-size']}/transaction`,
      unit: 'events/s',
      samples: floor,
      ratioTo,
    }),
    benchFigure({ key: 'store.readAll', label: `readAll, ${sizes['batched-events']} events`, unit: 'events/s', samples: readAllRuns, ratioTo }),
  ];
  const ratioOf = (appendRunsOf: readonly AppendRun[]) => summarize(eventRates(appendRunsOf)).median / rawFsync.median;
  return {
    name: `store: SQLite (journal_mode=${durability.journalMode}, synchronous=${durability.synchronous})`,
    figures,
    notes: [
      `Sizes: ${Object.entries(sizes).map(([flag, value]) => `${flag} ${value}`).join(', ')}.`,
      ...groupCommitNotes(
        { label: 'append, 1 writer', stats: totalGroupCommit(oneWriter), ratioToFsync: ratioOf(oneWriter) },
        { label: `append, ${sizes.writers} writers`, stats: totalGroupCommit(concurrent), ratioToFsync: ratioOf(concurrent) },
        sizes.writers,
      ),
      `Floor: the batched append's events inserted with a plain statement per row into the store's own table and indexes, ${sizes['batch-size']} per durable`,
      `transaction, nothing else (no revision check, idempotency lookup, envelope, hash chain or group commit): the batched append reaches`,
      `${Math.round((100 * summarize(eventRates(batched)).median) / summarize(floor).median)}% of it. No change to the store's code can beat the floor on this schema.`,
    ],
  } satisfies BenchSectionResult;
};

/** Writes one batched log, then reads it whole `runs` times (after the warm-ups) from one open store. */
async function measureReadAllOverBatchedLog(context: BenchContext, sizes: StoreSizes) {
  const path = context.dataDir.freshFile('read-all.sqlite');
  try {
    await runAppendScenario({ path, writers: 1, eventsPerWriter: sizes['batched-events'], eventsPerCall: sizes['batch-size'], eventBytes: sizes['event-bytes'] });
    const store = openSqliteEventStore({ path });
    try {
      const readAllRuns = await repeat(context.runs, context.warmups, () => measureReadAll(store, sizes['batched-events']));
      return { readAllRuns, durability: store.durability() };
    } finally {
      await store.close();
    }
  } finally {
    removeSqliteFiles(path);
  }
}
