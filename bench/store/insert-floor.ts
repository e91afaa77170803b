import type { EventToAppend } from '../../libs/event-store/src/port/types.js';
import { openDatabase } from '../../libs/event-store/src/sqlite/schema.js';
import { perSecond } from '../support/stats.js';
import { timedInserts } from '../support/timed-inserts.js';

export interface InsertFloorScenario {
  readonly path: string;
  /** One stream's events, in order: they get revisions 0, 1, 2… */
  readonly events: readonly EventToAppend[];
  readonly eventsPerTransaction: number;
}

/**
 * The floor under the batched append: the same events inserted into the event store's own table and
 * indexes (a fresh file, `synchronous=FULL`) with one plain statement per row, `eventsPerTransaction`
 * per transaction, and nothing else: no revision check, idempotency lookup, envelope, hash chain or
 * group commit. No change to the store's code can beat it on this schema. Events/s.
 */
export function measureInsertFloor({ path, events, eventsPerTransaction }: InsertFloorScenario): number {
  const db = openDatabase(path, 'FULL');
  try {
    const createdMs = BigInt(Date.now());
    const rows = events.map((event, revision) => ({
      stream_id: 1n,
      stream_name: 'bench-floor',
      revision: BigInt(revision),
      event_id: event.id,
      event_type: event.type,
      data: JSON.stringify(event.data),
      metadata: '{}',
      created_ms: createdMs,
    }));
    const sql =
      'INSERT INTO events (stream_id, stream_name, revision, event_id, event_type, data, metadata, created_ms) VALUES (@stream_id, @stream_name, @revision, @event_id, @event_type, @data, @metadata, @created_ms)';
    return perSecond(rows.length, timedInserts(db, sql, rows, eventsPerTransaction));
  } finally {
    db.close();
  }
}
