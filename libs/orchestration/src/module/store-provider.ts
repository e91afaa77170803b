import { Inject, Injectable, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { openEsdbEventStore, openSqliteEventStore, type EventStore } from '@runtree/event-store';
import { StoreRetry, storeRetryPolicy } from '../write/store-retry.js';
import type { StoreOptions } from './orchestrator-module-options.js';
import { EVENT_STORE, MODULE_OPTIONS } from './tokens.js';
import type { OrchestratorModuleOptions } from './orchestrator-module-options.js';

export function openStore(options: StoreOptions): EventStore {
  switch (options.kind) {
    case 'sqlite':
      return openSqliteEventStore({ path: options.path, ...(options.synchronous ? { synchronous: options.synchronous } : {}) });
    case 'esdb':
      return openEsdbEventStore({ connectionString: options.connectionString });
    case 'instance':
      return options.store;
  }
}

/** Closes the store the module opened, after every other provider has stopped using it. */
@Injectable()
export class OwnedStoreCloser implements OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(MODULE_OPTIONS) private readonly options: OrchestratorModuleOptions,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.options.store.kind !== 'instance') await this.store.close();
  }
}

/** The command path's retry of a failed store, from the `storeRetry` option (validated here, at start-up). */
export const storeRetryProvider: Provider = {
  provide: StoreRetry,
  useFactory: (options: OrchestratorModuleOptions) => new StoreRetry(storeRetryPolicy(options.storeRetry)),
  inject: [MODULE_OPTIONS],
};
