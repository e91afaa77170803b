import type Database from 'better-sqlite3';

/** The probe's row is never committed; the name only makes it recognisable if a debugger ever sees it. */
const PROBE_STREAM = '$writability-probe';

class ProbeRolledBack extends Error {}

/**
 * Proves the file takes a write without keeping one: in an IMMEDIATE transaction (the write lock),
 * inserts into the log a row larger than two pages, so the file must accept writes (not read-only)
 * and find new pages (not full), then rolls it all back. Nothing is committed, so the journal is
 * untouched; no fsync, so it is cheap. Synchronous, so it never interleaves with a group commit.
 * Throws the driver's error (SQLITE_READONLY, SQLITE_FULL, ...) when the file cannot take it.
 */
export function createWritabilityProbe(db: Database.Database): () => void {
  const pageSize = Number(db.pragma('page_size', { simple: true }));
  const insert = db.prepare(
    `INSERT INTO events (stream_id, stream_name, revision, event_id, event_type, data, metadata, created_ms)
     VALUES (0, ?, 0, '', '', ?, '{}', 0)`,
  );
  const probe = db.transaction(() => {
    insert.run(PROBE_STREAM, 'x'.repeat(2 * pageSize + 1));
    throw new ProbeRolledBack();
  });
  return () => {
    try {
      probe.immediate();
    } catch (error) {
      if (!(error instanceof ProbeRolledBack)) throw error;
    }
  };
}
