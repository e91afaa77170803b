import type { JsonValue } from '@runtree/event-store';
import type { JsonObject } from './model.js';

/** Every command may carry a `commandId`: the same command sent twice appends nothing the second time. */
export interface CommandOptions {
  readonly commandId?: string;
  readonly correlationId?: string;
  readonly causationId?: string;
}

export interface StartRunOptions extends CommandOptions {
  readonly runId?: string;
  readonly kind?: string;
  readonly input?: JsonValue;
  readonly metadata?: JsonObject;
  readonly sessionId?: string;
  readonly threadId?: string;
}

export type SessionTarget = 'inherit' | 'none' | string | { readonly open: { readonly metadata?: JsonObject }; readonly stopOnCancel?: boolean };
export type ThreadTarget = 'inherit' | 'none' | string | { readonly threadId: string } | { readonly start: { readonly name?: string; readonly metadata?: JsonObject } };

export interface SpawnOptions extends CommandOptions {
  readonly runId?: string;
  readonly kind?: string;
  readonly input?: JsonValue;
  readonly metadata?: JsonObject;
  readonly session?: SessionTarget;
  readonly thread?: ThreadTarget;
}

/** `input` is refused: the task is the input. */
export type DelegateOptions = Omit<SpawnOptions, 'input'>;

export interface CollectOptions {
  readonly includeSteps?: boolean;
  readonly includeJournal?: boolean;
  readonly includeDescendants?: boolean;
}

export interface OpenSessionOptions extends CommandOptions {
  readonly sessionId?: string;
  readonly metadata?: JsonObject;
}

export interface StartThreadOptions extends CommandOptions {
  readonly threadId?: string;
  readonly name?: string;
  readonly metadata?: JsonObject;
}

export interface StartStepOptions extends CommandOptions {
  readonly stepId?: string;
  readonly name?: string;
  readonly kind?: string;
  readonly input?: JsonValue;
}

/** A run id, or a run object carrying `runId`. */
export type ParentRef = string | { readonly runId: string };

/** Payloads `listRuns` can add to each run; `output` brings `error` and `cancelReason` too. */
export type ListInclude = 'metadata' | 'input' | 'output';

/** Filters of `listRuns`: every one optional, all of them must match. */
export interface ListRunsOptions {
  readonly status?: 'running' | 'completed' | 'failed' | 'cancelled';
  readonly kind?: string;
  /** Direct children of this run. */
  readonly parentRunId?: string;
  /** This root run and every descendant of it. */
  readonly rootRunId?: string;
  readonly sessionId?: string;
  readonly threadId?: string;
  /** ISO-8601 timestamps, exclusive. */
  readonly createdAfter?: string;
  readonly createdBefore?: string;
  /** Default 100, at most the `maxListLimit` validation limit. */
  readonly limit?: number;
  /** `nextCursor` of the previous page. */
  readonly cursor?: string;
  readonly include?: readonly ListInclude[];
}
