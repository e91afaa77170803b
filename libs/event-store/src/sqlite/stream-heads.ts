import type { Statements } from './statements.js';
import type { StoredStreamRow } from './stream-row.js';

/** The heads of those of the streams that have a row, in one query however many are named (a cancel's commit names hundreds). */
export function headsOf(sql: Statements, streamNames: readonly string[]): StoredStreamRow[] {
  if (streamNames.length !== 1) return sql.streamsIn.all(JSON.stringify(streamNames));
  const head = sql.stream.get(streamNames[0]);
  return head === undefined ? [] : [head];
}
