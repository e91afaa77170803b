import { EventStoreError, StoreUnavailableError } from '../port/errors.js';

/** Typed errors pass through; anything else (SQLite I/O, a closed connection) means the store cannot serve. */
export function asEventStoreError(error: unknown): EventStoreError {
  if (error instanceof EventStoreError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new StoreUnavailableError(`SQLite event store unavailable: ${message}`, { cause: error });
}
