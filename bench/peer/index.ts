/**
 * The peer section: the store section's workload on Emmett's PostgreSQL event store, durable,
 * on this machine's PostgreSQL, and how many times faster Runtree's embedded store did it.
 */
import { readFileSync } from 'node:fs';
import { repeat } from '../support/repeat.js';
import type { BenchContext, BenchFigure, BenchSection } from '../support/section.js';
import { summarize } from '../support/stats.js';
import { createBenchDatabase, type PostgresDurability } from './bench-database.js';
import { measureEmmettReadAll, openEmmettStore, runEmmettAppendScenario, type EmmettAppendScenario, type EmmettStore } from './emmett-scenarios.js';
import { peerSizes, type PeerSizes } from './peer-sizes.js';
import { runtreeOverEmmett, type ComparedWorkload } from './runtree-ratios.js';

const AT_LEAST_TWICE = { kind: 'atLeast', value: 2 } as const;

function comparedWorkloads(sizes: PeerSizes): ComparedWorkload[] {
  return [
    { runtreeKey: 'store.appendOneWriter', emmettKey: 'peer.appendOneWriter', ratioKey: 'peer.runtreeRatioOneWriter', workload: 'durable single-event appends (1 writer)', target: AT_LEAST_TWICE },
    {
      runtreeKey: 'store.appendConcurrent',
      emmettKey: 'peer.appendConcurrent',
      ratioKey: 'peer.runtreeRatioConcurrent',
      workload: `durable single-event appends (${sizes.concurrentWriters} writers)`,
      target: AT_LEAST_TWICE,
    },
    { runtreeKey: 'store.appendBatched', emmettKey: 'peer.appendBatched', ratioKey: 'peer.runtreeRatioBatched', workload: `appends of ${sizes.batchSize} events per call` },
    { runtreeKey: 'store.readAll', emmettKey: 'peer.readAll', ratioKey: 'peer.runtreeRatioReadAll', workload: 'reading the whole log' },
  ];
}

export const peerBench: BenchSection = async (context) => {
  const sizes = peerSizes(context.quick);
  const database = await createBenchDatabase();
  context.progress(`peer: Emmett on PostgreSQL ${database.durability.serverVersion}, database ${database.name}`);
  try {
    const emmett = await openEmmettStore(database.connectionString);
    let emmettFigures: BenchFigure[];
    try {
      emmettFigures = await measureEmmett(context, emmett, sizes);
    } finally {
      await emmett.close();
    }
    const { ratios, missing } = runtreeOverEmmett(comparedWorkloads(sizes), new Map([...context.figures, ...emmettFigures.map((figure) => [figure.key, figure] as const)]));
    return {
      name: 'peer: Emmett',
      figures: [...emmettFigures, ...ratios],
      notes: [
        ...describePeer(database.name, database.durability, sizes),
        ...(missing.length === 0 ? [] : [`Runtree ÷ Emmett not computed for ${missing.join(', ')}: the store section did not measure ${missing.length === 1 ? 'it' : 'them'} in this run.`]),
      ],
    };
  } finally {
    await database.drop();
  }
};

async function measureEmmett(context: BenchContext, emmett: EmmettStore, sizes: PeerSizes): Promise<BenchFigure[]> {
  const { runs, warmups, progress } = context;
  const appendRuns = (scenario: Omit<EmmettAppendScenario, 'eventBytes'>) =>
    repeat(runs, warmups, async () => {
      await emmett.truncate();
      return runEmmettAppendScenario(emmett.store, { ...scenario, eventBytes: sizes.eventBytes });
    });

  progress(`peer: 1 writer, ${sizes.singleWriterEvents} single-event appends`);
  const oneWriter = await appendRuns({ writers: 1, eventsPerWriter: sizes.singleWriterEvents, eventsPerCall: 1 });

  const eventsPerWriter = Math.ceil(sizes.concurrentEvents / sizes.concurrentWriters);
  progress(`peer: ${sizes.concurrentWriters} writers x ${eventsPerWriter} single-event appends`);
  const concurrent = await appendRuns({ writers: sizes.concurrentWriters, eventsPerWriter, eventsPerCall: 1 });

  progress(`peer: 1 writer, ${sizes.batchedEvents} events in calls of ${sizes.batchSize}`);
  const batched = await appendRuns({ writers: 1, eventsPerWriter: sizes.batchedEvents, eventsPerCall: sizes.batchSize });

  progress(`peer: reading a log of ${sizes.batchedEvents} events`);
  // The last batched run left exactly that log.
  const readAll = await repeat(runs, warmups, () => measureEmmettReadAll(emmett.pool, sizes.batchedEvents));

  return [
    { key: 'peer.appendOneWriter', label: 'Emmett append, 1 writer', unit: 'events/s', ...summarize(oneWriter) },
    { key: 'peer.appendConcurrent', label: `Emmett append, ${sizes.concurrentWriters} writers`, unit: 'events/s', ...summarize(concurrent) },
    { key: 'peer.appendBatched', label: `Emmett append, ${sizes.batchSize} events/call`, unit: 'events/s', ...summarize(batched) },
    { key: 'peer.readAll', label: `Emmett read, ${sizes.batchedEvents} events`, unit: 'events/s', ...summarize(readAll) },
  ];
}

function describePeer(databaseName: string, durability: PostgresDurability, sizes: PeerSizes): string[] {
  return [
    `Emmett ${packageVersion('@event-driven-io/emmett-postgresql')} (@event-driven-io/emmett-postgresql) on PostgreSQL ${durability.serverVersion} on this machine:` +
      ` fsync=${durability.fsync}, synchronous_commit=${durability.synchronousCommit}, wal_sync_method=${durability.walSyncMethod}` +
      ' (with fsync and synchronous_commit on, each commit waits for its WAL flush: durable, like Runtree with synchronous=FULL).',
    `Database ${databaseName}, created for this run and dropped after; its tables are emptied before each run. Emmett's default pool (node-postgres, 10 connections) serves all writers.`,
    `Same events and calls as the store section (${sizes.eventBytes}-byte events, exact expected versions, fresh streams), fewer of them` +
      ` (${sizes.singleWriterEvents} single, ${sizes.concurrentEvents} concurrent, ${sizes.batchedEvents} batched): rates are compared, not totals.`,
    'Emmett read: the whole log in one readMessagesBatch query (Emmett has no readAll; its consumers page through the log with this call).',
    "Emmett's SQLite store (@event-driven-io/emmett-sqlite) is not measured: it does not install beside the PostgreSQL one (it pins emmett 0.42.4 where emmett-postgresql pins 0.42.0) and it needs the native sqlite3 package.",
  ];
}

/** The installed version of a package, read from its package.json beside its resolved entry point. */
function packageVersion(name: string): string {
  const entry = import.meta.resolve(name);
  const manifest = JSON.parse(readFileSync(new URL('../package.json', entry), 'utf8')) as { version?: string };
  return manifest.version ?? 'unknown';
}
