import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { openPostgresReadStore, openSqliteReadStore, type ReadStore } from '@runtree/read-store';
import type { OrchestratorModuleOptions, ReadStoreOptions, StoreOptions } from './orchestrator-module-options.js';
import { MODULE_OPTIONS, READ_STORE } from './tokens.js';

/** The read store's file beside a SQLite journal: `runtree.db` → `runtree.read.db`. */
export function siblingReadStorePath(journalPath: string): string {
  if (journalPath === ':memory:') return journalPath;
  const extension = /\.(db|sqlite3?)$/.exec(journalPath);
  return extension ? `${journalPath.slice(0, extension.index)}.read${extension[0]}` : `${journalPath}.read.db`;
}

/** The read store the options name, or the default for the journal store. */
export function readStoreOptionsFor(options: { readonly store: StoreOptions; readonly readStore?: ReadStoreOptions }): ReadStoreOptions {
  if (options.readStore !== undefined) return options.readStore;
  return { kind: 'sqlite', path: options.store.kind === 'sqlite' ? siblingReadStorePath(options.store.path) : ':memory:' };
}

export function openReadStore(options: ReadStoreOptions): ReadStore {
  switch (options.kind) {
    case 'sqlite':
      return openSqliteReadStore({ path: options.path });
    case 'postgres':
      return openPostgresReadStore({ connectionString: options.connectionString, ...(options.schema !== undefined ? { schema: options.schema } : {}) });
    case 'instance':
      return options.store;
  }
}

/** Closes the read store the module opened, after every other provider has stopped using it. */
@Injectable()
export class OwnedReadStoreCloser implements OnApplicationShutdown {
  constructor(
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(MODULE_OPTIONS) private readonly options: OrchestratorModuleOptions,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    if (readStoreOptionsFor(this.options).kind !== 'instance') await this.readStore.close();
  }
}
