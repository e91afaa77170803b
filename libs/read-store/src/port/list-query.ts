import type { RunRecord, RunStatus } from './rows.js';

/** Which payloads a listing carries besides the run's core fields. */
export interface ListPayloads {
  readonly metadata: boolean;
  readonly input: boolean;
  /** Output, error or cancel reason. */
  readonly output: boolean;
}

/** A validated listing request: every filter optional, newest first. */
export interface RunListQuery {
  readonly status?: RunStatus;
  readonly kind?: string;
  /** From the run's lineage. */
  readonly parentRunId?: string;
  /** The root itself and every visible descendant. */
  readonly rootRunId?: string;
  readonly sessionId?: string;
  readonly threadId?: string;
  /** ISO-8601 in UTC (`toISOString()`), exclusive. */
  readonly createdAfter?: string;
  readonly createdBefore?: string;
  readonly limit: number;
  /** Keyset: only runs listed after this listing key (from the previous page's cursor). */
  readonly afterKey?: number;
  readonly include: ListPayloads;
}

/** A listed run: payload fields are present only when asked for. */
export type ListedRun = Omit<RunRecord, 'metadata'> & { readonly metadata?: RunRecord['metadata'] };

export interface RunListPage {
  readonly runs: readonly ListedRun[];
  /** There are more runs after the last one (its `listingKey` is the next page's `afterKey`). */
  readonly more: boolean;
}
