import { domainError, type DomainError } from '../api/errors.js';

export function runNotFound(runId: string): DomainError {
  return domainError('not_found', `Run ${runId} not found`, { runId });
}

export function parentNotFound(parentRunId: string): DomainError {
  return domainError('parent_not_found', `Parent run ${parentRunId} not found`, { parentRunId });
}

/** A store error a query cannot recover from becomes `store_unavailable`; anything else is a bug and is rethrown. */
export function storeUnavailableOrRethrow(error: unknown): DomainError {
  if (error instanceof Error && 'code' in error && error.code === 'store_unavailable') {
    return domainError('store_unavailable', `The event store is unavailable: ${error.message}`, {});
  }
  throw error;
}
