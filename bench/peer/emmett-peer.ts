/**
 * The store section's workload on Emmett's PostgreSQL event store, durable, on this machine's
 * PostgreSQL, and how many times faster Runtree's embedded store did it.
 */
import { repeat } from '../support/repeat.js';
import type { BenchContext } from '../support/section.js';
import type { SectionRun } from '../support/section-run.js';
import { createBenchDatabase, type PostgresDurability } from './bench-database.js';
import { measureEmmettReadAll, openEmmettStore, runEmmettAppendScenario, type EmmettAppendScenario, type EmmettStore } from './emmett-scenarios.js';
import { packageVersion } from './package-version.js';
import { peerSizes, type PeerSizes } from './peer-sizes.js';
import { runtreeOverPeer, type ComparedWorkload } from './runtree-ratios.js';

const AT_LEAST_TWICE = { kind: 'atLeast', value: 2 } as const;

function comparedWorkloads(sizes: PeerSizes): ComparedWorkload[] {
  return [
    { runtreeKey: 'store.appendOneWriter', peerKey: 'peer.appendOneWriter', ratioKey: 'peer.runtreeRatioOneWriter', workload: 'durable single-event appends (1 writer)', target: AT_LEAST_TWICE },
    {
      runtreeKey: 'store.appendConcurrent',
      peerKey: 'peer.appendConcurrent',
      ratioKey: 'peer.runtreeRatioConcurrent',
      workload: `durable single-event appends (${sizes.concurrentWriters} writers)`,
      target: AT_LEAST_TWICE,
    },
    { runtreeKey: 'store.appendBatched', peerKey: 'peer.appendBatched', ratioKey: 'peer.runtreeRatioBatched', workload: `appends of ${sizes.batchSize} events per call` },
    { runtreeKey: 'store.readAll', peerKey: 'peer.readAll', ratioKey: 'peer.runtreeRatioReadAll', workload: 'reading the whole log' },
  ];
}

/** Emmett's figures keep the keys they had before the section had other peers (`peer.appendOneWriter`, …). */
export async function measureEmmettPeer(context: BenchContext, run: SectionRun): Promise<void> {
  const sizes = peerSizes(context.quick);
  const database = await createBenchDatabase();
  try {
    context.progress(`Emmett on PostgreSQL ${database.durability.serverVersion}, database ${database.name}`);
    run.notes.push(...describeEmmett(database.name, database.durability, sizes));
    const emmett = await openEmmettStore(database.connectionString);
    try {
      await measureEmmett(context, emmett, sizes, run);
    } finally {
      await emmett.close();
      const { idleErrors } = emmett.pgPool;
      if (idleErrors.length > 0) run.notes.push(`Emmett: the pool's idle connections reported ${idleErrors.length} error(s), the first: ${idleErrors[0].message}`);
    }
  } finally {
    await database.drop();
  }
  const { ratios, missing } = runtreeOverPeer('Emmett', comparedWorkloads(sizes), new Map([...context.figures, ...run.figures.map((figure) => [figure.key, figure] as const)]));
  run.figures.push(...ratios);
  if (missing.length > 0) run.notes.push(`Runtree ÷ Emmett not computed for ${missing.join(', ')}: not measured in this run.`);
}

async function measureEmmett(context: BenchContext, emmett: EmmettStore, sizes: PeerSizes, run: SectionRun): Promise<void> {
  const { runs, warmups, progress } = context;
  const appendRuns = (scenario: Omit<EmmettAppendScenario, 'eventBytes'>) =>
    repeat(runs, warmups, async () => {
      await emmett.truncate();
      return runEmmettAppendScenario(emmett.store, { ...scenario, eventBytes: sizes.eventBytes });
    });

  progress(`Emmett: 1 writer, ${sizes.singleWriterEvents} single-event appends`);
  run.add({ key: 'appendOneWriter', label: 'Emmett append, 1 writer', unit: 'events/s', samples: await appendRuns({ writers: 1, eventsPerWriter: sizes.singleWriterEvents, eventsPerCall: 1 }) });

  const eventsPerWriter = Math.ceil(sizes.concurrentEvents / sizes.concurrentWriters);
  progress(`Emmett: ${sizes.concurrentWriters} writers x ${eventsPerWriter} single-event appends`);
  run.add({
    key: 'appendConcurrent',
    label: `Emmett append, ${sizes.concurrentWriters} writers`,
    unit: 'events/s',
    samples: await appendRuns({ writers: sizes.concurrentWriters, eventsPerWriter, eventsPerCall: 1 }),
  });

  progress(`Emmett: 1 writer, ${sizes.batchedEvents} events in calls of ${sizes.batchSize}`);
  run.add({
    key: 'appendBatched',
    label: `Emmett append, ${sizes.batchSize} events/call`,
    unit: 'events/s',
    samples: await appendRuns({ writers: 1, eventsPerWriter: sizes.batchedEvents, eventsPerCall: sizes.batchSize }),
  });

  progress(`Emmett: reading a log of ${sizes.batchedEvents} events`);
  // The last batched run left exactly that log.
  run.add({ key: 'readAll', label: `Emmett read, ${sizes.batchedEvents} events`, unit: 'events/s', samples: await repeat(runs, warmups, () => measureEmmettReadAll(emmett.pool, sizes.batchedEvents)) });
}

function describeEmmett(databaseName: string, durability: PostgresDurability, sizes: PeerSizes): string[] {
  return [
    `Emmett: ${packageVersion('@event-driven-io/emmett-postgresql')} (@event-driven-io/emmett-postgresql) on PostgreSQL ${durability.serverVersion} on this machine:` +
      ` fsync=${durability.fsync}, synchronous_commit=${durability.synchronousCommit}, wal_sync_method=${durability.walSyncMethod}` +
      ' (with fsync and synchronous_commit on, each commit waits for its WAL flush: durable, like Runtree with synchronous=FULL).',
    `Emmett: database ${databaseName}, created for this run and dropped after; its tables are emptied before each run. One node-postgres pool of 10 connections serves all writers.`,
    `Emmett: same events and calls as the store section (${sizes.eventBytes}-byte events, exact expected versions, fresh streams), fewer of them` +
      ` (${sizes.singleWriterEvents} single, ${sizes.concurrentEvents} concurrent, ${sizes.batchedEvents} batched): rates are compared, not totals.`,
    'Emmett: read is the whole log in one readMessagesBatch query (Emmett has no readAll; its consumers page through the log with this call).',
    "Emmett: its SQLite store (@event-driven-io/emmett-sqlite) is not measured: it does not install beside the PostgreSQL one (it pins emmett 0.42.4 where emmett-postgresql pins 0.42.0) and it needs the native sqlite3 package.",
  ];
}
