/**
 * `npm run bench:store`: the disk's fsync limit and the SQLite event store's durable append
 * and read rates, measured in one run on the same disk. See `--help` for sizes.
 */
import { rmSync } from 'node:fs';
import { openSqliteEventStore } from '../libs/event-store/src/sqlite/index.js';
import { createDataDir, type DataDir } from './support/data-dir.js';
import { measureFsyncRate } from './support/fsync-rate.js';
import { describeMachine } from './support/machine.js';
import { repeat } from './support/repeat.js';
import { writeResults } from './support/results-file.js';
import { summarize } from './support/stats.js';
import { runAppendScenario, totalGroupCommit, type AppendRun, type AppendScenario } from './store/append-scenarios.js';
import { readStoreBenchConfig, USAGE, type StoreBenchConfig } from './store/config.js';
import { measureReadAll } from './store/read-all-scenario.js';
import { formatStoreReport } from './store/report.js';
import { figure, type StoreBenchResults } from './store/results.js';

async function main(): Promise<void> {
  const config = readStoreBenchConfig(process.argv.slice(2));
  if (config === undefined) {
    console.log(USAGE);
    return;
  }
  const dataDir = createDataDir('runtree-store-bench', config.dataDir);
  try {
    const results = await measure(config, dataDir);
    console.log(formatStoreReport(results));
    console.log(`\nResults written to ${writeResults('store', results)}`);
  } finally {
    if (config.keepData) progress(`data kept in ${dataDir.path}`);
    else dataDir.remove();
  }
}

async function measure(config: StoreBenchConfig, dataDir: DataDir): Promise<StoreBenchResults> {
  const { runs, warmups } = config;
  const machineAtStart = describeMachine();
  progress(`data dir ${dataDir.path}${config.quick ? ' (quick)' : ''}`);

  progress(`raw fsync: ${config.eventBytes}-byte writes for ${config.fsyncMs} ms per run`);
  const fsyncRuns = await repeat(runs, warmups, () =>
    measureFsyncRate({ directory: dataDir.path, durationMs: config.fsyncMs, writeBytes: config.eventBytes }),
  );
  const fsync = summarize(fsyncRuns).median;

  const appendRuns = (name: string, scenario: Omit<AppendScenario, 'path' | 'eventBytes'>) =>
    repeat(runs, warmups, () => inFreshStore(dataDir, name, (path) => runAppendScenario({ ...scenario, path, eventBytes: config.eventBytes })));

  progress(`append: 1 writer, ${config.singleWriterEvents} single-event appends`);
  const oneWriter = await appendRuns('one-writer', { writers: 1, eventsPerWriter: config.singleWriterEvents, eventsPerCall: 1 });

  const eventsPerWriter = Math.ceil(config.concurrentEvents / config.concurrentWriters);
  progress(`append: ${config.concurrentWriters} writers x ${eventsPerWriter} single-event appends`);
  const concurrent = await appendRuns('concurrent', { writers: config.concurrentWriters, eventsPerWriter, eventsPerCall: 1 });

  progress(`append: 1 writer, ${config.batchedEvents} events in calls of ${config.batchSize}`);
  const batched = await appendRuns('batched', { writers: 1, eventsPerWriter: config.batchedEvents, eventsPerCall: config.batchSize });

  progress(`readAll: whole log of ${config.batchedEvents} events`);
  const { readAll, durability } = await measureReadAllOverBatchedLog(config, dataDir);

  const rate = (appendRunsOf: readonly AppendRun[]) => summarize(appendRunsOf.map((run) => run.eventsPerSecond));
  return {
    benchmark: 'store',
    finishedAt: new Date().toISOString(),
    machine: { atStart: machineAtStart, atEnd: describeMachine() },
    config: { ...config, dataDir: dataDir.path },
    durability,
    figures: {
      rawFsync: figure(`raw fsync, ${config.eventBytes} B writes`, 'writes/s', summarize(fsyncRuns), fsync),
      appendOneWriter: figure('append, 1 writer', 'events/s', rate(oneWriter), fsync),
      appendConcurrent: figure(`append, ${config.concurrentWriters} writers`, 'events/s', rate(concurrent), fsync),
      appendBatched: figure(`append, ${config.batchSize} events/call`, 'events/s', rate(batched), fsync),
      appendBatchedCalls: figure(
        `append, ${config.batchSize} events/call`,
        'calls/s',
        summarize(batched.map((run) => run.appendCallsPerSecond)),
        fsync,
      ),
      readAll: figure(`readAll, ${config.batchedEvents} events`, 'events/s', readAll),
    },
    groupCommit: { oneWriter: totalGroupCommit(oneWriter), concurrent: totalGroupCommit(concurrent) },
  };
}

/** Writes one batched log, then reads it whole `runs` times (after the warm-ups) from one open store. */
async function measureReadAllOverBatchedLog(config: StoreBenchConfig, dataDir: DataDir) {
  const path = dataDir.freshFile('read-all.sqlite');
  await runAppendScenario({ path, writers: 1, eventsPerWriter: config.batchedEvents, eventsPerCall: config.batchSize, eventBytes: config.eventBytes });
  const store = openSqliteEventStore({ path });
  try {
    const readAll = summarize(await repeat(config.runs, config.warmups, () => measureReadAll(store, config.batchedEvents)));
    return { readAll, durability: store.durability() };
  } finally {
    await store.close();
    removeStoreFiles(path);
  }
}

/** Each run gets a new store file, removed afterwards so runs do not fill the disk. */
async function inFreshStore<T>(dataDir: DataDir, name: string, run: (path: string) => Promise<T>): Promise<T> {
  const path = dataDir.freshFile(`${name}.sqlite`);
  try {
    return await run(path);
  } finally {
    removeStoreFiles(path);
  }
}

function removeStoreFiles(path: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
}

function progress(message: string): void {
  // stderr, so stdout carries only the report.
  console.error(`[bench:store] ${message}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
