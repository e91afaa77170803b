import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export type SynchronousMode = 'FULL' | 'NORMAL' | 'OFF';

/**
 * `events` is the global log: its autoincrement `position` is the Position (never reused, so
 * positions only grow). `streams` holds what an append must check quickly: the head and the
 * stream's metadata (the `$metadata` events in `$$<stream>` stay the record, as on EventStoreDB).
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  position     INTEGER PRIMARY KEY AUTOINCREMENT,
  stream_name  TEXT    NOT NULL,
  revision     INTEGER NOT NULL,
  event_id     TEXT    NOT NULL,
  event_type   TEXT    NOT NULL,
  data         TEXT    NOT NULL,
  metadata     TEXT    NOT NULL,
  created_ms   INTEGER NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS events_by_stream_revision ON events (stream_name, revision);
CREATE INDEX IF NOT EXISTS events_by_stream_event_id ON events (stream_name, event_id);
CREATE TABLE IF NOT EXISTS streams (
  stream_name     TEXT    PRIMARY KEY,
  last_revision   INTEGER NOT NULL,
  life_start      INTEGER NOT NULL,
  max_count       INTEGER,
  max_age         INTEGER,
  truncate_before INTEGER,
  custom_metadata TEXT
) WITHOUT ROWID;
`;

/** Waiting this long for another process's write lock before reporting the store unavailable. */
const BUSY_TIMEOUT_MS = 5000;

export function openDatabase(path: string, synchronous: SynchronousMode): Database.Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { timeout: BUSY_TIMEOUT_MS });
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${synchronous}`);
    // Each write of a group commit runs in a savepoint: its statement journal stays in memory, not in a temp file.
    db.pragma('temp_store = MEMORY');
    // Revisions and positions are 64-bit: read every integer as a bigint.
    db.defaultSafeIntegers(true);
    db.exec(SCHEMA);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

const SYNCHRONOUS_NAMES: Record<string, SynchronousMode | 'EXTRA'> = { '0': 'OFF', '1': 'NORMAL', '2': 'FULL', '3': 'EXTRA' };

/** What SQLite actually applies on this connection, read back rather than assumed. */
export function readDurabilitySettings(db: Database.Database): { journalMode: string; synchronous: SynchronousMode | 'EXTRA' } {
  const journalMode = String(db.pragma('journal_mode', { simple: true }));
  const synchronous = SYNCHRONOUS_NAMES[String(db.pragma('synchronous', { simple: true }))];
  return { journalMode, synchronous };
}
