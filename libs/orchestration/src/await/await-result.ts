import { domainError, type DomainError } from '../api/errors.js';
import type { AwaitResult, Run } from '../api/model.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The result for a run that is terminal (the caller checks). */
export function awaitResult(run: Run): AwaitResult {
  const result: Mutable<AwaitResult> = { status: run.status as AwaitResult['status'], run };
  if (run.output !== undefined) result.output = run.output;
  if (run.error !== undefined) result.error = run.error;
  if (run.cancelReason !== undefined) result.cancelReason = run.cancelReason;
  return result;
}

export function awaitTimedOut(runId: string, timeoutMs: number): DomainError {
  return domainError('timeout', `Run ${runId} is still running after ${timeoutMs} ms`, { runId, timeoutMs });
}

/** `timeout` is the code of an await that ended before the run did; `aborted` tells the two apart. */
export function awaitAborted(runId: string, timeoutMs: number): DomainError {
  return domainError('timeout', `The await of run ${runId} was abandoned by its caller before the run ended`, { runId, timeoutMs, aborted: true });
}
