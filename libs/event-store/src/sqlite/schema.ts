import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { EVENT_INDEXES, eventsTable, streamsTable } from './journal-tables.js';
import { migrateFromNameKeyedLayout } from './schema-migration.js';

export type SynchronousMode = 'FULL' | 'NORMAL' | 'OFF';

/**
 * The layout this code writes, kept in `PRAGMA user_version`. 0 is the first layout (streams and the
 * event indexes keyed by stream name): opening such a journal migrates it (schema-migration.ts).
 */
export const SCHEMA_VERSION = 1;

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
    prepareSchema(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Creates the tables of a new journal or brings an older one to SCHEMA_VERSION, in one write transaction. */
function prepareSchema(db: Database.Database): void {
  const prepare = db.transaction(() => {
    const version = Number(db.pragma('user_version', { simple: true }));
    if (version > SCHEMA_VERSION) {
      throw new Error(`the journal's schema is version ${version}, newer than this Runtree's (${SCHEMA_VERSION}): upgrade Runtree to open it`);
    }
    if (version === SCHEMA_VERSION) return;
    const hasEvents = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'events'").get() !== undefined;
    if (hasEvents) migrateFromNameKeyedLayout(db);
    else db.exec(`${eventsTable('events')}\n${streamsTable('streams')}\n${EVENT_INDEXES}`);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  });
  // Read first: an up-to-date journal (every start but the first) takes no write lock.
  if (Number(db.pragma('user_version', { simple: true })) === SCHEMA_VERSION) return;
  prepare.immediate();
}

const SYNCHRONOUS_NAMES: Record<string, SynchronousMode | 'EXTRA'> = { '0': 'OFF', '1': 'NORMAL', '2': 'FULL', '3': 'EXTRA' };

/** What SQLite actually applies on this connection, read back rather than assumed. */
export function readDurabilitySettings(db: Database.Database): { journalMode: string; synchronous: SynchronousMode | 'EXTRA' } {
  const journalMode = String(db.pragma('journal_mode', { simple: true }));
  const synchronous = SYNCHRONOUS_NAMES[String(db.pragma('synchronous', { simple: true }))];
  return { journalMode, synchronous };
}
