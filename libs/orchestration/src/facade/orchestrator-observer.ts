import type { OrchestratorApi } from '../api/orchestrator-api.js';

export type OperationName = keyof OrchestratorApi;

export interface OperationFinished {
  readonly operation: OperationName;
  /** `ok`, an error code of the spec, or `internal_error` for an unexpected failure. */
  readonly outcome: string;
  readonly durationMs: number;
}

/** The event store calls that are timed: appends, and reads of streams or of the global log. */
export type StoreCall = 'append' | 'read';

export interface StoreCallFinished {
  readonly call: StoreCall;
  /** `ok`, or the store error's code (`unavailable`, `wrong_expected_version`, ...). */
  readonly outcome: string;
  readonly durationMs: number;
}

/** Sees every facade operation end (for metrics, tracing); provide it under ORCHESTRATOR_OBSERVER. */
export interface OrchestratorObserver {
  operationFinished(event: OperationFinished): void;
  /** Every append and read the orchestrator makes on the event store, subscriptions aside. */
  storeCallFinished?(event: StoreCallFinished): void;
}

export const ORCHESTRATOR_OBSERVER = Symbol('ORCHESTRATOR_OBSERVER');
