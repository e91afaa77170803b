import { NestFactory } from '@nestjs/core';
import type { EventStore, RecordedEvent } from '@runtree/event-store';
import { EVENT_STORE, Orchestrator, OrchestratorModule, type ReadStoreOptions, type StoreOptions, type ValidationLimits } from '@runtree/orchestration';
import { wholeLog } from './replay/whole-log.js';

/** The journal and the read models an audit reads. */
export interface AuditedStores {
  readonly store: StoreOptions;
  /** Absent: the read store beside the SQLite journal. */
  readonly readStore?: ReadStoreOptions;
  /** The service's input limits (list page size, ...); absent: the defaults. */
  readonly limits?: ValidationLimits;
}

/** An orchestrator open on a store, and the store's whole log, for an audit. */
export interface LiveStore {
  readonly orchestrator: Orchestrator;
  /** Every Runtree event of the log, in commit order, read a page at a time. */
  wholeLog(): AsyncIterable<RecordedEvent>;
}

/**
 * Opens an orchestrator on the journal and its read models, caught up, for the time of `use`. It
 * does not run start-up recovery: an audit must not write to the journal it audits. (Catching up
 * the read models, if the service has not, writes only to them: they are the journal's projection.)
 */
export async function withLiveStore<T>({ store, readStore, limits }: AuditedStores, use: (live: LiveStore) => Promise<T>): Promise<T> {
  const module = OrchestratorModule.forRoot({ store, ...(readStore !== undefined ? { readStore } : {}), ...(limits !== undefined ? { limits } : {}), recoverOnStart: false });
  const app = await NestFactory.createApplicationContext(module, { logger: false });
  try {
    const orchestrator = app.get(Orchestrator);
    await orchestrator.ensureReady();
    const eventStore = app.get<EventStore>(EVENT_STORE);
    return await use({ orchestrator, wholeLog: () => wholeLog(eventStore) });
  } finally {
    await app.close();
  }
}
