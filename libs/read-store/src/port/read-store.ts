import type { Position } from '@runtree/event-store';
import type { LoadedRows, ProjectionCommit, RowKeys, StoredCheckpoint } from './changes.js';
import type { RunListPage, RunListQuery } from './list-query.js';
import type { ChildRecord, JsonObject, RunRecord, RunRow, SessionRow, StepRow, ThreadRow, TreeShape } from './rows.js';

/** `live` is what readers see; `rebuild` is built beside it by `rebuild()` and swapped in when caught up. */
export type TableSet = 'live' | 'rebuild';

/** Told of every move of the live checkpoint, by this process or another one sharing the read store. */
export interface CheckpointListener {
  moved(checkpoint: StoredCheckpoint): void;
  /** The feed of moves broke (a lost connection): moves may go unseen until `moved` is called again. */
  interrupted(error: Error): void;
}

/** The right to project into a shared read store, held until released or lost. */
export interface ProjectorRole {
  /** Settles when the role is lost (the lock's connection broke): stop writing. */
  readonly lost: Promise<void>;
  release(): Promise<void>;
}

/** What start-up recovery looks for. */
export interface PendingLinkRef {
  readonly parentRunId: string;
  readonly childRunId: string;
}

export interface OwnedOpenSession {
  readonly runId: string;
  readonly sessionId: string;
}

/** Every row of the live tables, sorted, for tests that compare two read models. */
export interface ReadStoreDump {
  readonly runs: readonly RunRecord[];
  /** Run ids in listing order (newest first). */
  readonly listingOrder: readonly string[];
  readonly links: readonly unknown[];
  readonly steps: readonly StepRow[];
  readonly sessions: readonly SessionRow[];
  readonly threads: readonly ThreadRow[];
}

/**
 * The database the lineage and status read models live in. The projection loads the rows a batch
 * of events touches, folds the batch in memory and commits the changes with the checkpoint move in
 * one transaction; queries read the live tables. Every method rejects with
 * `ReadStoreUnavailableError` while the database cannot be reached.
 */
export interface ReadStore {
  readonly kind: 'sqlite' | 'postgres';
  /** Creates the schema or migrates it to this build's version; safe to call again. */
  open(): Promise<void>;
  close(): Promise<void>;
  /** Rejects while the database cannot answer (for health checks). */
  checkAvailable(): Promise<void>;

  /**
   * The projector role: at once on an embedded store; on a shared one, once no other instance holds
   * it (waiting, not polling). Rejects with an `AbortError` if `signal` aborts first.
   */
  acquireProjectorRole(signal: AbortSignal): Promise<ProjectorRole>;
  /** Runs `work` while no other caller, in this process or another, rebuilds into the `rebuild` set. */
  exclusiveRebuild<T>(work: () => Promise<T>): Promise<T>;
  /** Reports every live checkpoint move (the first report is the current checkpoint); returns the unsubscribe. */
  watchCheckpoint(listener: CheckpointListener): () => void;

  readCheckpoint(set: TableSet): Promise<StoredCheckpoint>;
  /** The id of the journal's first event, as recorded by the first commit after a reset. */
  recordedJournalId(): Promise<string | undefined>;
  load(set: TableSet, keys: RowKeys): Promise<LoadedRows>;
  /** Applies the changes and moves the checkpoint if it is still at `fromVersion`; false (nothing written) if it moved. */
  commit(set: TableSet, commit: ProjectionCommit): Promise<boolean>;
  /** Empties the set's tables and puts its checkpoint at `to` (the live set also forgets the recorded journal id if asked). */
  reset(set: TableSet, to: Position | 'start', options?: { readonly forgetJournal?: boolean }): Promise<StoredCheckpoint>;
  /** Swaps the rebuilt tables in if their checkpoint has reached the live one's; false if it is still behind. */
  swapRebuild(): Promise<boolean>;

  run(runId: string): Promise<RunRecord | undefined>;
  runCore(runId: string): Promise<RunRow | undefined>;
  /** The run's row and its metadata, without its input and outcome. */
  runWithMetadata(runId: string): Promise<(RunRow & { readonly metadata: JsonObject }) | undefined>;
  child(childRunId: string): Promise<ChildRecord | undefined>;
  children(parentRunId: string): Promise<ChildRecord[]>;
  /** Every visible descendant, depth-first pre-order, siblings by link sequence. */
  descendants(runId: string): Promise<ChildRecord[]>;
  /** The first `limit` descendants' ids, pending links too, level by level (a level's order is the store's). */
  descendantIds(runId: string, limit: number): Promise<string[]>;
  step(runId: string, stepId: string): Promise<StepRow | undefined>;
  steps(runId: string): Promise<StepRow[]>;
  session(sessionId: string): Promise<SessionRow | undefined>;
  thread(threadId: string): Promise<ThreadRow | undefined>;
  /** Undefined when the parent is unknown. Pending links count as children and running descendants. */
  treeShape(parentRunId: string): Promise<TreeShape | undefined>;
  listRuns(query: RunListQuery): Promise<RunListPage>;
  runCount(): Promise<number>;

  /** Links whose child has not started, in the order they were projected. */
  pendingLinks(): Promise<PendingLinkRef[]>;
  /** Runs whose cancel was requested and that still run. */
  cancellingRuns(): Promise<string[]>;
  /** Sessions a cancel should have closed but has not: the owner is cancelled and stops its session on cancel. */
  cancelledOwnersWithOpenSession(): Promise<OwnedOpenSession[]>;

  dump(): Promise<ReadStoreDump>;
}
