import { domainError, type DomainError } from '../api/errors.js';

export function runNotFound(runId: string): DomainError {
  return domainError('not_found', `Run ${runId} not found`, { runId });
}

export function parentNotFound(parentRunId: string): DomainError {
  return domainError('parent_not_found', `Parent run ${parentRunId} not found`, { parentRunId });
}
