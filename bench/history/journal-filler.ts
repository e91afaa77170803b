// Not part of the package's API: the SQLite adapter's own schema, statements and stream rows.
import { openDatabase } from '../../libs/event-store/src/sqlite/schema.js';
import { toPayload } from '../../libs/event-store/src/sqlite/log-writer.js';
import { putStreamRow } from '../../libs/event-store/src/sqlite/put-stream-row.js';
import { prepareStatements } from '../../libs/event-store/src/sqlite/statements.js';
import { emptyStreamRow, type StoredStreamRow } from '../../libs/event-store/src/sqlite/stream-row.js';
import type { AgentTrees, TreeAppends } from './agent-trees.js';

/** Trees per transaction: a few thousand events, so the commit is not the cost. */
const TREES_PER_BATCH = 500;

export interface JournalSize {
  readonly runs: number;
  readonly events: number;
}

export interface FilledJournal extends JournalSize {
  readonly ms: number;
}

/**
 * Appends whole trees to the SQLite journal at `path` (created if new; continued if it holds
 * events) until `enough` says so. Rows go in with the adapter's own statements, as its log writer
 * would write them, many trees per transaction and synchronous=OFF: its append path checks and
 * savepoints each append, which makes it three times slower, and only what is read back later is
 * measured. No other process may have the journal open meanwhile. `progress` hears about every
 * millionth event or so.
 */
export function fillJournal(path: string, trees: AgentTrees, enough: (written: JournalSize) => boolean, progress: (written: JournalSize) => void = () => {}): FilledJournal {
  const db = openDatabase(path, 'OFF');
  try {
    const sql = prepareStatements(db);
    const writeTree = (tree: TreeAppends) => {
      const heads = new Map<string, StoredStreamRow>();
      for (const append of tree.appends) {
        // Every stream of a generated tree is new: numbered when its first append is written.
        const head = heads.get(append.streamName) ?? putStreamRow(sql, emptyStreamRow(append.streamName));
        const current = head.last_revision;
        // The generator's own bookkeeping, checked as the store would check it.
        if (append.expectedRevision !== (current < 0n ? 'no_stream' : current)) throw new Error(`${append.streamName}: expected ${append.expectedRevision}, is at ${current}`);
        let revision = current;
        for (const event of append.events) {
          const { event_id, event_type, data, metadata } = toPayload(event);
          sql.insertEvent.run(head.stream_id, append.streamName, (revision += 1n), event_id, event_type, data, metadata, append.appendedAtMs);
        }
        heads.set(append.streamName, { ...head, last_revision: revision });
      }
      for (const head of heads.values()) putStreamRow(sql, head);
    };
    const writeBatch = db.transaction((batch: readonly TreeAppends[]) => batch.forEach(writeTree));
    const written = { runs: 0, events: 0 };
    let reported = 0;
    const started = performance.now();
    while (!enough(written)) {
      const batch: TreeAppends[] = [];
      while (batch.length < TREES_PER_BATCH && !enough(written)) {
        const tree = trees.next();
        batch.push(tree);
        written.runs += tree.runs;
        written.events += tree.events;
      }
      writeBatch(batch);
      if (written.events - reported >= 1_000_000) progress({ ...written, events: (reported = written.events) });
    }
    return { ...written, ms: performance.now() - started };
  } finally {
    db.close();
  }
}

