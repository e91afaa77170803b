import { NestFactory } from '@nestjs/core';
import { EVENT_STORE, Orchestrator, OrchestratorModule, ProjectionRunner, type StoreOptions } from '@runtree/orchestration';
import type { EventStore } from '@runtree/event-store';
import type { DataDir } from '../support/data-dir.js';
import { removeSqliteFiles } from '../support/sqlite-files.js';

/** Where the orchestration section runs: fresh SQLite files in the data dir, or an EventStoreDB server. */
export type BenchStore = { readonly kind: 'sqlite' } | { readonly kind: 'esdb'; readonly connectionString: string };

export interface BenchOrchestrator {
  readonly orchestrator: Orchestrator;
  readonly projection: ProjectionRunner;
  readonly store: EventStore;
  close(): Promise<void>;
}

/** `OrchestratorModule.forRoot({ store })` in a Nest application context, as an app starts it, once it is ready. */
export async function startBenchOrchestrator(store: StoreOptions): Promise<BenchOrchestrator> {
  const app = await NestFactory.createApplicationContext(OrchestratorModule.forRoot({ store }), { logger: ['error', 'warn'] });
  try {
    const orchestrator = app.get(Orchestrator);
    await orchestrator.ensureReady();
    return { orchestrator, projection: app.get(ProjectionRunner), store: app.get<EventStore>(EVENT_STORE), close: () => app.close() };
  } catch (error) {
    await app.close();
    throw error;
  }
}

/** A place for one part of the section: a new SQLite file (durable unless told), or the one EventStoreDB. */
export interface PhaseStore {
  readonly options: StoreOptions;
  /** Removes the SQLite file; an EventStoreDB keeps its events. */
  remove(): void;
}

export function phaseStore(target: BenchStore, dataDir: DataDir, name: string, synchronous?: 'OFF'): PhaseStore {
  if (target.kind === 'esdb') return { options: { kind: 'esdb', connectionString: target.connectionString }, remove: () => undefined };
  const path = dataDir.freshFile(`${name}.sqlite`);
  return { options: { kind: 'sqlite', path, ...(synchronous === undefined ? {} : { synchronous }) }, remove: () => removeSqliteFiles(path) };
}

/** Starts an orchestrator on `store`, runs `work`, then closes it and removes the store's file. */
export async function withBenchOrchestrator<T>(store: PhaseStore, work: (bench: BenchOrchestrator) => Promise<T>): Promise<T> {
  try {
    const bench = await startBenchOrchestrator(store.options);
    try {
      return await work(bench);
    } finally {
      await bench.close();
    }
  } finally {
    store.remove();
  }
}
