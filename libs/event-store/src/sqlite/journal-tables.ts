/** The journal's tables, by name: a new journal and the migration of an older one create the same ones. */

/**
 * `events` is the global log: its autoincrement `position` is the Position (never reused, so
 * positions only grow). It keeps the stream's name beside its id so reads need no join.
 */
export function eventsTable(name: string): string {
  return `CREATE TABLE ${name} (
  position     INTEGER PRIMARY KEY AUTOINCREMENT,
  stream_id    INTEGER NOT NULL,
  stream_name  TEXT    NOT NULL,
  revision     INTEGER NOT NULL,
  event_id     TEXT    NOT NULL,
  event_type   TEXT    NOT NULL,
  data         TEXT    NOT NULL,
  metadata     TEXT    NOT NULL,
  created_ms   INTEGER NOT NULL
);`;
}

/**
 * `streams` holds what an append must check quickly: the head and the stream's metadata (the
 * `$metadata` events in `$$<stream>` stay the record, as on EventStoreDB). Streams are numbered in
 * the order they are created and the event indexes are keyed by that number, not by the (random)
 * name: the runs of one tree sit side by side, so appending to all of them (a cancel) writes a few
 * index pages, not one per run.
 */
export function streamsTable(name: string): string {
  return `CREATE TABLE ${name} (
  stream_id       INTEGER PRIMARY KEY,
  stream_name     TEXT    NOT NULL UNIQUE,
  last_revision   INTEGER NOT NULL,
  life_start      INTEGER NOT NULL,
  max_count       INTEGER,
  max_age         INTEGER,
  truncate_before INTEGER,
  custom_metadata TEXT
);`;
}

export const EVENT_INDEXES = `
CREATE UNIQUE INDEX events_by_stream_revision ON events (stream_id, revision);
CREATE INDEX events_by_stream_event_id ON events (stream_id, event_id);
`;
