import type Database from 'better-sqlite3';
import { EVENT_COLUMNS, type EventRow, type EventTuple } from './event-rows.js';
import type { StoredStreamRow } from './stream-row.js';

/**
 * A row to insert: what `events` holds but the position the log assigns, with the time as a number.
 * Writes bind by position: better-sqlite3 binds named parameters key by key, 3x the cost per row here.
 */
export type NewEventParams = [stream_id: bigint, stream_name: string, revision: bigint, event_id: string, event_type: string, data: string, metadata: string, created_ms: number];
type StreamParams = [last_revision: bigint, life_start: bigint, max_count: bigint | null, max_age: bigint | null, truncate_before: bigint | null, custom_metadata: string | null];

interface StreamRangeQuery {
  readonly streamId: bigint;
  readonly from: bigint;
  readonly minRevision: bigint;
  readonly minCreatedMs: bigint;
  /** -1: no limit (SQLite's convention). */
  readonly limit: number;
}

/**
 * The adapter's statements. Written out because the package's declaration files cannot name the
 * type better-sqlite3's `prepare` returns (it lives in a namespace @types/better-sqlite3 does not export).
 */
export interface Statements {
  readonly stream: Database.Statement<[string], StoredStreamRow>;
  readonly streamsIn: Database.Statement<[string], StoredStreamRow>;
  readonly insertStream: Database.Statement<[stream_name: string, ...StreamParams]>;
  readonly updateStream: Database.Statement<[...StreamParams, stream_id: bigint]>;
  readonly insertEvent: Database.Statement<NewEventParams>;
  readonly storedEventIds: Database.Statement<[string], { stream_id: bigint; event_id: string; revision: bigint }>;
  readonly streamEventsBetween: Database.Statement<[bigint, bigint, bigint], Pick<EventRow, 'event_id' | 'position'>>;
  readonly visibleForwards: Database.Statement<StreamRangeQuery, EventTuple>;
  readonly visibleBackwards: Database.Statement<StreamRangeQuery, EventTuple>;
  readonly eventsOfStreamsAfter: Database.Statement<[string, bigint, number], EventTuple>;
  readonly logAfter: Database.Statement<[bigint, number], EventTuple>;
  readonly logBefore: Database.Statement<[bigint, number], EventTuple>;
  readonly headPosition: Database.Statement<[], { position: bigint | null }>;
}

/** Every SQL statement of the adapter, prepared once per connection. */
export function prepareStatements(db: Database.Database): Statements {
  const visibleStreamEvents = `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = @streamId AND revision >= @minRevision AND created_ms >= @minCreatedMs`;
  return {
    stream: db.prepare<[string], StoredStreamRow>('SELECT * FROM streams WHERE stream_name = ?'),
    /** The heads of the streams named in a JSON array. */
    streamsIn: db.prepare<[string], StoredStreamRow>('SELECT * FROM streams WHERE stream_name IN (SELECT value FROM json_each(?))'),
    /** A new stream's row: SQLite gives it the next number (`lastInsertRowid`). */
    insertStream: db.prepare<[stream_name: string, ...StreamParams]>(
      `INSERT INTO streams (stream_name, last_revision, life_start, max_count, max_age, truncate_before, custom_metadata)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    /** By number and without the name: the name's index is written once, when the stream is created. */
    updateStream: db.prepare<[...StreamParams, stream_id: bigint]>(
      `UPDATE streams SET last_revision = ?, life_start = ?, max_count = ?, max_age = ?, truncate_before = ?, custom_metadata = ?
       WHERE stream_id = ?`,
    ),
    insertEvent: db.prepare<NewEventParams>(
      `INSERT INTO events (stream_id, stream_name, revision, event_id, event_type, data, metadata, created_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    /** Which of these (stream number, event id) pairs, a JSON array, the log already holds. */
    storedEventIds: db.prepare<[string], { stream_id: bigint; event_id: string; revision: bigint }>(
      'SELECT stream_id, event_id, revision FROM events WHERE (stream_id, event_id) IN (SELECT value ->> 0, value ->> 1 FROM json_each(?))',
    ),
    /** Ids and positions only: a repeated append is recognised by its ids, answered with its position. */
    streamEventsBetween: db.prepare<[bigint, bigint, bigint], Pick<EventRow, 'event_id' | 'position'>>(
      'SELECT event_id, position FROM events WHERE stream_id = ? AND revision BETWEEN ? AND ? ORDER BY revision',
    ),
    // Event reads return rows as arrays in `EVENT_COLUMNS` order (`EventTuple`).
    visibleForwards: db.prepare<StreamRangeQuery, EventTuple>(`${visibleStreamEvents} AND revision >= @from ORDER BY revision LIMIT @limit`).raw(true),
    visibleBackwards: db.prepare<StreamRangeQuery, EventTuple>(`${visibleStreamEvents} AND revision <= @from ORDER BY revision DESC LIMIT @limit`).raw(true),
    /**
     * Events of the streams numbered in a JSON array, strictly after a position, in log order, at most a
     * limit (-1: none); the caller hides what metadata hides. The inner query sorts positions read from
     * events_by_stream_revision alone (its rowid is the position), then only the rows kept are read. A
     * (stream_id, position) index would skip the positions before the cursor, but it cost appends
     * 10-40% more CPU for no gain at the journal's page size.
     */
    eventsOfStreamsAfter: db.prepare<[string, bigint, number], EventTuple>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE position IN (
         SELECT position FROM events WHERE stream_id IN (SELECT value FROM json_each(?)) AND position > ? ORDER BY position LIMIT ?
       ) ORDER BY position`,
    ).raw(true),
    /** Whole events of the global log, one page at a time: one scan, filtered by the caller. */
    logAfter: db.prepare<[bigint, number], EventTuple>(`SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`).raw(true),
    logBefore: db.prepare<[bigint, number], EventTuple>(`SELECT ${EVENT_COLUMNS} FROM events WHERE position < ? ORDER BY position DESC LIMIT ?`).raw(true),
    headPosition: db.prepare<[], { position: bigint | null }>('SELECT max(position) AS position FROM events'),
  };
}

