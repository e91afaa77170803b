import { ReadStoreUnavailableError } from '../port/errors.js';

/** SQLSTATE classes of a server that cannot do the work now: connection, resources, operator intervention, system. */
const unavailableClasses = /^(08|53|57|58)/;
const unavailableErrnos = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/**
 * A driver error as the read store's own: unavailable, or rethrown as the bug it is. Read by shape,
 * not `instanceof Error`: errors from Node's sockets may come from another realm (a VM context).
 */
export function asReadStoreError(error: unknown, where: string): unknown {
  if (error instanceof ReadStoreUnavailableError) return error;
  if (typeof error !== 'object' || error === null) return error;
  const { code, message } = error as { code?: unknown; message?: unknown };
  const codeText = code === undefined ? '' : String(code);
  const messageText = typeof message === 'string' ? message : '';
  const lostConnection = /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|not queryable|Query read timeout/i.test(messageText);
  if (unavailableClasses.test(codeText) || unavailableErrnos.has(codeText) || lostConnection) {
    return new ReadStoreUnavailableError(`The PostgreSQL read store at ${where} failed: ${messageText || codeText}`, { cause: error });
  }
  return error;
}
