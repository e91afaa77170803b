import type { Statements } from './statements.js';
import type { StoredStreamRow, StreamRow } from './stream-row.js';

/** Writes a stream's row: a new stream gets its number here, before any of its events is written. */
export function putStreamRow(sql: Statements, row: StreamRow): StoredStreamRow {
  const { stream_id } = row;
  if (stream_id === null) return { ...row, stream_id: BigInt(sql.insertStream.run(row).lastInsertRowid) };
  const stored = { ...row, stream_id };
  sql.updateStream.run(stored);
  return stored;
}
