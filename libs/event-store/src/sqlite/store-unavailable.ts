import { EventStoreError, StoreUnavailableError } from '../port/errors.js';

/** What a SQLite failure means for the store's operator, by the driver's error code. */
function diagnosis(code: string | undefined): string {
  if (code?.startsWith('SQLITE_READONLY')) return 'is read-only';
  if (code === 'SQLITE_FULL') return 'cannot grow: disk full';
  if (code === 'SQLITE_BUSY') return 'is locked by another connection';
  return 'is unavailable';
}

/**
 * Typed errors pass through; anything else (SQLite I/O, a read-only or full file, a closed
 * connection) means the store cannot serve, and the message names the file and the reason.
 * `file` is the database's path (`:memory:` for an in-memory store).
 */
export function asEventStoreError(error: unknown, file?: string): EventStoreError {
  if (error instanceof EventStoreError) return error;
  // Duck-typed: the driver's SqliteError may come from another realm (a test VM), failing `instanceof Error`.
  const described = (error as { message?: unknown } | null)?.message;
  const message = typeof described === 'string' ? described : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  const sqliteCode = typeof code === 'string' ? code : undefined;
  const store = file === undefined ? 'SQLite event store' : file === ':memory:' ? 'SQLite event store (in memory)' : `SQLite event store file ${file}`;
  return new StoreUnavailableError(`${store} ${diagnosis(sqliteCode)}: ${message}${sqliteCode ? ` (${sqliteCode})` : ''}`, { cause: error });
}
