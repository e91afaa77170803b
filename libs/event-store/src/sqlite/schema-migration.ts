import type Database from 'better-sqlite3';
import { EVENT_INDEXES, eventsTable, streamsTable } from './journal-tables.js';

/**
 * Brings a journal of the first layout (streams and event indexes keyed by stream name) to the
 * numbered one, inside the caller's write transaction: all of it or nothing. Streams are numbered
 * in the order of their first event; positions, revisions and ids are kept as they are, and so is
 * the log's sequence, so no position is ever handed out twice.
 */
export function migrateFromNameKeyedLayout(db: Database.Database): void {
  const count = (table: string) => Number(db.prepare<[], { n: bigint }>(`SELECT count(*) AS n FROM ${table}`).get()?.n);
  const sequence = db.prepare<[], { seq: bigint }>("SELECT seq FROM sqlite_sequence WHERE name = 'events'").get()?.seq ?? 0n;
  db.exec(`
${streamsTable('numbered_streams')}
INSERT INTO numbered_streams (stream_name, last_revision, life_start, max_count, max_age, truncate_before, custom_metadata)
  SELECT s.stream_name, s.last_revision, s.life_start, s.max_count, s.max_age, s.truncate_before, s.custom_metadata FROM streams s
  ORDER BY (SELECT e.position FROM events e WHERE e.stream_name = s.stream_name ORDER BY e.revision LIMIT 1), s.stream_name;
${eventsTable('numbered_events')}
INSERT INTO numbered_events (position, stream_id, stream_name, revision, event_id, event_type, data, metadata, created_ms)
  SELECT e.position, s.stream_id, e.stream_name, e.revision, e.event_id, e.event_type, e.data, e.metadata, e.created_ms
  FROM events e JOIN numbered_streams s ON s.stream_name = e.stream_name ORDER BY e.position;
`);
  const events = count('events');
  const copied = count('numbered_events');
  // Every append writes its stream's row: an event without one means the file was edited by hand.
  if (copied !== events) throw new Error(`cannot migrate the journal: ${events - copied} of its ${events} events have no row in streams`);
  db.exec(`
DROP TABLE events;
DROP TABLE streams;
ALTER TABLE numbered_events RENAME TO events;
ALTER TABLE numbered_streams RENAME TO streams;
${EVENT_INDEXES}
`);
  db.prepare("UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = 'events'").run(sequence);
}
