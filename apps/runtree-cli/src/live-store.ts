import { existsSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import type { EventStore } from '@runtree/event-store';
import { EVENT_STORE, Orchestrator, OrchestratorModule, OrchestratorError, type ReadStoreOptions, type StoreOptions, type ValidationLimits } from '@runtree/orchestration';
import { loadRuntreeConfig, storeOptionsOf } from '../../runtree/src/config.js';
import { UsageError } from './cli-error.js';

/** The journal and the read models a command reads. */
export interface ChosenStores {
  readonly store: StoreOptions;
  /** Absent: the read store beside the SQLite journal. */
  readonly readStore?: ReadStoreOptions;
  /** The service's input limits (RUNTREE_LIST_PAGE_SIZE, ...) when its configuration is read; else the defaults. */
  readonly limits?: ValidationLimits;
}

/**
 * `--sqlite PATH` wins (with the read models beside it); otherwise the stores the service is
 * configured for (RUNTREE_STORE, RUNTREE_READ_STORE, ...).
 */
export function chooseStore(sqlitePath: string | undefined, env: NodeJS.ProcessEnv = process.env): ChosenStores {
  const chosen: ChosenStores = sqlitePath !== undefined ? { store: { kind: 'sqlite', path: sqlitePath } } : configuredStores(env);
  const { store } = chosen;
  // Opening a SQLite path that is not there would create an empty store: an auditor wants to hear it is missing.
  if (store.kind === 'sqlite' && store.path !== ':memory:' && !existsSync(store.path)) {
    throw new UsageError(`no SQLite store at ${store.path}`);
  }
  return chosen;
}

/** The input limits the service is configured with (defaults with `--sqlite`), without looking for the store. */
export function configuredLimits(sqlitePath: string | undefined, env: NodeJS.ProcessEnv = process.env): ValidationLimits | undefined {
  return sqlitePath !== undefined ? undefined : configuredStores(env).limits;
}

function configuredStores(env: NodeJS.ProcessEnv): ChosenStores {
  const config = loadRuntreeConfig(env);
  if (!config.ok) throw new UsageError(`bad configuration: ${config.error}`);
  return { store: storeOptionsOf(config.value), readStore: config.value.readStore, limits: config.value.limits.validation };
}

export interface LiveStore {
  readonly orchestrator: Orchestrator;
  readonly store: EventStore;
}

/**
 * Opens an orchestrator on the journal and its read models, caught up, for the time of `use`. It
 * does not run start-up recovery: an audit must not write to the journal it audits. (Catching up
 * the read models, if the service has not, writes only to them: they are the journal's projection.)
 */
export async function withLiveStore<T>({ store, readStore, limits }: ChosenStores, use: (live: LiveStore) => Promise<T>): Promise<T> {
  const module = OrchestratorModule.forRoot({ store, ...(readStore !== undefined ? { readStore } : {}), ...(limits !== undefined ? { limits } : {}), recoverOnStart: false });
  const app = await NestFactory.createApplicationContext(module, { logger: false });
  try {
    const orchestrator = app.get(Orchestrator);
    await orchestrator.ensureReady();
    return await use({ orchestrator, store: app.get<EventStore>(EVENT_STORE) });
  } finally {
    await app.close();
  }
}

/** A run the store does not know is an input error (exit 2), not a crash. */
export async function orNotFound<T>(runId: string, query: Promise<T>): Promise<T> {
  try {
    return await query;
  } catch (error) {
    if (error instanceof OrchestratorError && error.code === 'not_found') throw new UsageError(`run ${runId} not found in the store`);
    throw error;
  }
}
