import { ReadStoreUnavailableError } from '../port/errors.js';

/** SQLSTATE classes of a server that cannot do the work now: connection, resources, operator intervention, system. */
const unavailableClasses = /^(08|53|57|58)/;
const unavailableErrnos = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/** A driver error as the read store's own: unavailable, or rethrown as the bug it is. */
export function asReadStoreError(error: unknown, where: string): unknown {
  if (error instanceof ReadStoreUnavailableError) return error;
  if (!(error instanceof Error)) return error;
  const code = 'code' in error ? String(error.code) : '';
  const lostConnection = /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|not queryable|Query read timeout/i.test(error.message);
  if (unavailableClasses.test(code) || unavailableErrnos.has(code) || lostConnection) {
    return new ReadStoreUnavailableError(`The PostgreSQL read store at ${where} failed: ${error.message || code}`, { cause: error });
  }
  return error;
}
