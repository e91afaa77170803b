import type { Position, RecordedEvent } from '@runtree/event-store';
import type { ReadStore, StoredCheckpoint, TableSet } from '@runtree/read-store';
import { loadBatchRows, type ProjectedEvent } from './batch-rows.js';
import { applyEvent } from './read-model-fold.js';

export interface BatchMove {
  readonly fromVersion: number;
  readonly to: Position;
  readonly journalId?: string | undefined;
}

/**
 * Folds a batch of events on the rows it touches and commits the changes with the checkpoint move,
 * in one transaction. An event the fold cannot apply is reported and skipped: one bad event must
 * not stop the projection of everything after it. Undefined when the checkpoint had moved
 * (nothing was written).
 */
export async function projectBatch(
  readStore: ReadStore,
  set: TableSet,
  events: readonly ProjectedEvent[],
  move: BatchMove,
  skipped: (event: RecordedEvent, error: unknown) => void,
): Promise<StoredCheckpoint | undefined> {
  const rows = await loadBatchRows(events, (keys) => readStore.load(set, keys));
  for (const { recorded, event } of events) {
    try {
      applyEvent(rows, recorded, event);
    } catch (error) {
      skipped(recorded, error);
    }
  }
  const { fromVersion, to, journalId } = move;
  const committed = await readStore.commit(set, { changes: rows.changes(), fromVersion, to, ...(journalId !== undefined ? { journalId } : {}) });
  return committed ? { position: to, version: fromVersion + 1 } : undefined;
}
