import Database from 'better-sqlite3';

/** How long the store's connection waits for the lock before its COMMIT fails: short, so the tests stay quick. */
const COMMIT_WAIT_MS = 50;

/**
 * Makes every COMMIT on the store's connection `db` fail while every write before it succeeds, as a
 * failing fsync or a full disk under the WAL would; a test cannot cause those (it runs as root, on
 * a disk it may not fill). How: the connection leaves WAL for a rollback journal, where COMMIT needs
 * the file to itself, and another connection holds a read transaction open, so COMMIT gives up
 * with SQLITE_BUSY after `COMMIT_WAIT_MS`. BEGIN IMMEDIATE and the writes only need the write lock,
 * which a reader does not hold, so the store's writability probe (a write rolled back) still passes.
 * `db` must be the file's only connection and idle. `release` ends the reader and restores WAL and
 * the wait, so commits succeed again.
 */
export function failCommits(db: Database.Database): { release(): void } {
  const busyTimeout = db.pragma('busy_timeout', { simple: true });
  db.pragma('journal_mode = DELETE');
  db.pragma(`busy_timeout = ${COMMIT_WAIT_MS}`);
  const reader = new Database(db.name);
  reader.exec('BEGIN');
  reader.prepare('SELECT count(*) FROM events').get();
  return {
    release: () => {
      reader.exec('COMMIT');
      reader.close();
      db.pragma('journal_mode = WAL');
      db.pragma(`busy_timeout = ${String(busyTimeout)}`);
    },
  };
}
