import { existsSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import type { EventStore } from '@runtree/event-store';
import { EVENT_STORE, Orchestrator, OrchestratorModule, OrchestratorError, type StoreOptions } from '@runtree/orchestration';
import { loadRuntreeConfig, storeOptionsOf } from '../../runtree/src/config.js';
import { UsageError } from './cli-error.js';

/** `--sqlite PATH` wins; otherwise the store the service is configured for (RUNTREE_STORE, ...). */
export function chooseStore(sqlitePath: string | undefined, env: NodeJS.ProcessEnv = process.env): StoreOptions {
  const options: StoreOptions = sqlitePath !== undefined ? { kind: 'sqlite', path: sqlitePath } : configuredStore(env);
  // Opening a SQLite path that is not there would create an empty store: an auditor wants to hear it is missing.
  if (options.kind === 'sqlite' && options.path !== ':memory:' && !existsSync(options.path)) {
    throw new UsageError(`no SQLite store at ${options.path}`);
  }
  return options;
}

function configuredStore(env: NodeJS.ProcessEnv): StoreOptions {
  const config = loadRuntreeConfig(env);
  if (!config.ok) throw new UsageError(`bad configuration: ${config.error}`);
  return storeOptionsOf(config.value);
}

export interface LiveStore {
  readonly orchestrator: Orchestrator;
  readonly store: EventStore;
}

/**
 * Opens an orchestrator on the store, read models caught up, for the time of `use`. It does not
 * run start-up recovery: an audit must not write to the store it audits.
 */
export async function withLiveStore<T>(options: StoreOptions, use: (live: LiveStore) => Promise<T>): Promise<T> {
  const app = await NestFactory.createApplicationContext(OrchestratorModule.forRoot({ store: options, recoverOnStart: false }), { logger: false });
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
