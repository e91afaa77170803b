import { NestFactory } from '@nestjs/core';
import { EVENT_STORE, Orchestrator, OrchestratorModule, ProjectionRunner, READ_STORE, type StoreOptions } from '@runtree/orchestration';
import type { ReadStore } from '@runtree/read-store';
import type { EventStore } from '@runtree/event-store';
import type { DataDir } from '../support/data-dir.js';
import { removeSqliteFiles } from '../support/sqlite-files.js';

/** Where the orchestration section runs: fresh SQLite files in the data dir, or an EventStoreDB server. */
export type BenchStore = { readonly kind: 'sqlite' } | { readonly kind: 'esdb'; readonly connectionString: string };

export interface BenchOrchestrator {
  readonly orchestrator: Orchestrator;
  readonly projection: ProjectionRunner;
  readonly store: EventStore;
  readonly readStore: ReadStore;
  close(): Promise<void>;
}

/** `OrchestratorModule.forRoot({ store })` in a Nest application context, as an app starts it, once it is ready. */
export async function startBenchOrchestrator(store: StoreOptions): Promise<BenchOrchestrator> {
  const app = await NestFactory.createApplicationContext(OrchestratorModule.forRoot({ store }), { logger: ['error', 'warn'] });
  try {
    const orchestrator = app.get(Orchestrator);
    await orchestrator.ensureReady();
    return { orchestrator, projection: app.get(ProjectionRunner), store: app.get<EventStore>(EVENT_STORE), readStore: app.get<ReadStore>(READ_STORE), close: () => app.close() };
  } catch (error) {
    await app.close();
    throw error;
  }
}

/** The store one part of the section runs on: a new SQLite file, or the one EventStoreDB. */
export interface PhaseStore {
  /** Durable writes: what the figures are measured on. */
  readonly durable: StoreOptions;
  /** The same store without fsync on SQLite, to build fast what is then measured durably (only reads or later writes are timed). */
  readonly unsynced: StoreOptions;
}

/** Runs `work` on a phase store; a SQLite file is removed afterwards, an EventStoreDB keeps its events. */
export async function inPhaseStore<T>(target: BenchStore, dataDir: DataDir, name: string, work: (store: PhaseStore) => Promise<T>): Promise<T> {
  if (target.kind === 'esdb') {
    const options: StoreOptions = { kind: 'esdb', connectionString: target.connectionString };
    return work({ durable: options, unsynced: options });
  }
  const path = dataDir.freshFile(`${name}.sqlite`);
  try {
    return await work({ durable: { kind: 'sqlite', path }, unsynced: { kind: 'sqlite', path, synchronous: 'OFF' } });
  } finally {
    removeSqliteFiles(path);
  }
}

/** Starts an orchestrator on `store`, runs `work`, then closes it. */
export async function withBenchOrchestrator<T>(store: StoreOptions, work: (bench: BenchOrchestrator) => Promise<T>): Promise<T> {
  const bench = await startBenchOrchestrator(store);
  try {
    return await work(bench);
  } finally {
    await bench.close();
  }
}
