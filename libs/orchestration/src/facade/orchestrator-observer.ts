import type { OrchestratorApi } from '../api/orchestrator-api.js';

export type OperationName = keyof OrchestratorApi;

export interface OperationFinished {
  readonly operation: OperationName;
  /** `ok`, an error code of the spec, or `internal_error` for an unexpected failure. */
  readonly outcome: string;
  readonly durationMs: number;
}

/** Sees every facade operation end (for metrics, tracing); provide it under ORCHESTRATOR_OBSERVER. */
export interface OrchestratorObserver {
  operationFinished(event: OperationFinished): void;
}

export const ORCHESTRATOR_OBSERVER = Symbol('ORCHESTRATOR_OBSERVER');
