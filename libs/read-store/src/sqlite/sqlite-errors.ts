import { ReadStoreUnavailableError } from '../port/errors.js';

/** SQLite's codes for a database that cannot take the work now (not a bug in the statement). */
const unavailableCodes = /^SQLITE_(BUSY|LOCKED|IOERR|FULL|READONLY|CANTOPEN|CORRUPT|NOTADB|PROTOCOL|NOMEM)/;

/** A driver error as the read store's own: unavailable, or rethrown as the bug it is. */
export function asReadStoreError(error: unknown, file: string): unknown {
  if (error instanceof ReadStoreUnavailableError) return error;
  const code = error instanceof Error && 'code' in error ? String(error.code) : '';
  if (unavailableCodes.test(code) || (error instanceof TypeError && /database connection is not open/.test(error.message))) {
    return new ReadStoreUnavailableError(`The SQLite read store at ${file} failed: ${(error as Error).message}`, { cause: error });
  }
  return error;
}
