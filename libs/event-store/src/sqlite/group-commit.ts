import type Database from 'better-sqlite3';
import { EventStoreError } from '../port/errors.js';
import { asEventStoreError } from './store-unavailable.js';

export interface GroupCommitStats {
  /** Transactions begun: one per batch, so one fsync per batch. */
  readonly transactions: number;
  /** Write requests handled (appends, metadata changes, deletes), whether accepted or refused. */
  readonly writes: number;
}

interface PendingWrite {
  readonly work: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

type Outcome = { readonly value: unknown } | { readonly error: EventStoreError };

/**
 * Group commit: writes submitted in the same turn of the event loop run in ONE transaction
 * (one fsync), each inside its own savepoint so a refused write (wrong expected revision)
 * rolls back alone and its neighbours still commit. A storage failure fails the whole batch:
 * nothing of it is written and every caller gets `StoreUnavailableError`; one met by COMMIT itself
 * (after every write ran) is also reported to `onCommitFailed`.
 */
export class GroupCommit {
  private queue: PendingWrite[] = [];
  private scheduled: NodeJS.Immediate | undefined;
  private transactions = 0;
  private writes = 0;
  private readonly inSavepoint: (work: () => unknown) => unknown;
  private readonly runBatch: (batch: readonly PendingWrite[]) => Outcome[];
  private readonly file: string;
  /** Set once the batch's writes have run: a failure after it is the COMMIT's. */
  private committing = false;

  constructor(
    db: Database.Database,
    private readonly onCommitted: () => void,
    private readonly onCommitFailed: (error: EventStoreError) => void,
  ) {
    // better-sqlite3 turns a transaction function called inside another into a savepoint.
    this.inSavepoint = db.transaction((work: () => unknown) => work());
    const batch = db.transaction((writes: readonly PendingWrite[]) => {
      const outcomes = writes.map((write) => this.runOne(write));
      this.committing = true;
      return outcomes;
    });
    this.runBatch = (writes) => batch.immediate(writes);
    this.file = db.name;
  }

  submit<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      this.scheduled ??= setImmediate(() => this.flush());
    });
  }

  /** Writes everything queued now, synchronously. */
  flush(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    this.transactions += 1;
    this.writes += batch.length;
    let outcomes: Outcome[];
    this.committing = false;
    try {
      outcomes = this.runBatch(batch);
    } catch (error) {
      const unavailable = asEventStoreError(error, this.file);
      if (this.committing) this.onCommitFailed(unavailable);
      for (const write of batch) write.reject(unavailable);
      return;
    }
    outcomes.forEach((outcome, index) => {
      if ('error' in outcome) batch[index].reject(outcome.error);
      else batch[index].resolve(outcome.value);
    });
    if (outcomes.some((outcome) => !('error' in outcome))) this.onCommitted();
  }

  stats(): GroupCommitStats {
    return { transactions: this.transactions, writes: this.writes };
  }

  private runOne(write: PendingWrite): Outcome {
    try {
      return { value: this.inSavepoint(write.work) };
    } catch (error) {
      // A refusal is this caller's answer; anything else is the storage failing: abort the batch.
      if (error instanceof EventStoreError) return { error };
      throw error;
    }
  }
}
