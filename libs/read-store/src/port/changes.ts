import type { Position } from '@runtree/event-store';
import type {
  LinkCore,
  LinkRow,
  RunOutcomeRow,
  RunPayloadRow,
  RunRow,
  SessionRow,
  StepCore,
  StepFinish,
  StepRow,
  ThreadRow,
} from './rows.js';

/** The rows a batch of events touches, to load before folding the batch. */
export interface RowKeys {
  readonly runIds: readonly string[];
  /** Links by parent and child (a child id may be linked by two parents that raced to spawn it). */
  readonly links: readonly { readonly parentRunId: string; readonly childRunId: string }[];
  readonly steps: readonly { readonly runId: string; readonly stepId: string }[];
}

export interface LoadedRows {
  readonly runs: readonly RunRow[];
  readonly links: readonly LinkCore[];
  readonly steps: readonly StepCore[];
}

/**
 * What one batch of events changes, as sets (the working set merged what happened to one row
 * within the batch), applied in one transaction with the checkpoint move.
 */
export interface ReadModelChanges {
  /** Inserted or updated whole: new runs, and runs whose indexed fields (status, root, cancel requested) changed. */
  readonly runs: readonly RunRow[];
  /** Runs whose other fields only changed (counters, revision, time): updated without touching the indexes. */
  readonly runCounters: readonly RunRow[];
  readonly runPayloads: readonly RunPayloadRow[];
  readonly runOutcomes: readonly RunOutcomeRow[];
  /** Inserted (or replaced) whole. */
  readonly links: readonly LinkRow[];
  /** Existing links made visible (their child started). */
  readonly attachedLinks: readonly Pick<LinkCore, 'parentRunId' | 'childRunId' | 'childSessionId' | 'childThreadId'>[];
  readonly steps: readonly StepRow[];
  readonly finishedSteps: readonly StepFinish[];
  /** Inserted or replaced whole. */
  readonly sessions: readonly SessionRow[];
  /** Closed if open. */
  readonly closedSessions: readonly string[];
  readonly threads: readonly ThreadRow[];
  readonly closedThreads: readonly string[];
}

export const noChanges: ReadModelChanges = Object.freeze({
  runs: [],
  runCounters: [],
  runPayloads: [],
  runOutcomes: [],
  links: [],
  attachedLinks: [],
  steps: [],
  finishedSteps: [],
  sessions: [],
  closedSessions: [],
  threads: [],
  closedThreads: [],
});

/** Where a table set's projection stands. `version` grows with every move, reset and swap. */
export interface StoredCheckpoint {
  readonly position: Position | 'start';
  readonly version: number;
}

/** One batch: its changes, and the checkpoint move they cover (compare-and-set on `fromVersion`). */
export interface ProjectionCommit {
  readonly changes: ReadModelChanges;
  readonly fromVersion: number;
  readonly to: Position;
  /** The id of the first event of the journal, recorded once so a read store is never used with another journal. */
  readonly journalId?: string;
}

/** The number of runs a batch adds: each new run gets its payload row, exactly once. */
export function newRunCount(changes: ReadModelChanges): number {
  return changes.runPayloads.length;
}
