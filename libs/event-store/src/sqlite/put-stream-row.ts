import type { Statements } from './statements.js';
import type { StoredStreamRow, StreamRow } from './stream-row.js';

/** Writes a stream's row: a new stream gets its number here, before any of its events is written. */
export function putStreamRow(sql: Statements, row: StreamRow): StoredStreamRow {
  const { stream_id } = row;
  const params = [row.last_revision, row.life_start, row.max_count, row.max_age, row.truncate_before, row.custom_metadata] as const;
  if (stream_id === null) return { ...row, stream_id: BigInt(sql.insertStream.run(row.stream_name, ...params).lastInsertRowid) };
  sql.updateStream.run(...params, stream_id);
  return { ...row, stream_id };
}
