import { existsSync } from 'node:fs';
import type { AuditedStores } from '@runtree/journal-audit';
import { OrchestratorError, type ValidationLimits } from '@runtree/orchestration';
import { loadRuntreeConfig, storeOptionsOf } from '../../runtree/src/config.js';
import { UsageError } from './cli-error.js';

/**
 * `--sqlite PATH` wins (with the read models beside it); otherwise the stores the service is
 * configured for (RUNTREE_STORE, RUNTREE_READ_STORE, ...).
 */
export function chooseStore(sqlitePath: string | undefined, env: NodeJS.ProcessEnv = process.env): AuditedStores {
  const chosen: AuditedStores = sqlitePath !== undefined ? { store: { kind: 'sqlite', path: sqlitePath } } : configuredStores(env);
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

function configuredStores(env: NodeJS.ProcessEnv): AuditedStores {
  const config = loadRuntreeConfig(env);
  if (!config.ok) throw new UsageError(`bad configuration: ${config.error}`);
  return { store: storeOptionsOf(config.value), readStore: config.value.readStore, limits: config.value.limits.validation };
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
