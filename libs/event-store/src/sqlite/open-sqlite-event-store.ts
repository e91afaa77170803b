import { openDatabase, type SynchronousMode } from './schema.js';
import { SqliteEventStore } from './sqlite-event-store.js';
import { asEventStoreError } from './store-unavailable.js';

export interface SqliteEventStoreOptions {
  /** A file path (parent directories are created) or `:memory:`. */
  readonly path: string;
  /** Default `FULL`: an acknowledged append survives a power cut. */
  readonly synchronous?: SynchronousMode;
}

export function openSqliteEventStore(options: SqliteEventStoreOptions): SqliteEventStore {
  try {
    return new SqliteEventStore(openDatabase(options.path, options.synchronous ?? 'FULL'));
  } catch (error) {
    throw asEventStoreError(error, options.path);
  }
}
