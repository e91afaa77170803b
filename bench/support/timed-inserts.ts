import type Database from 'better-sqlite3';

/**
 * Inserts `rows` with one prepared `sql` statement per row, `perTransaction` rows per transaction,
 * and nothing else; milliseconds taken. What the bench's floors time.
 */
export function timedInserts(db: Database.Database, sql: string, rows: readonly unknown[], perTransaction: number): number {
  const insert = db.prepare(sql);
  const commit = db.transaction((chunk: readonly unknown[]) => {
    for (const row of chunk) insert.run(row);
  });
  const started = performance.now();
  for (let start = 0; start < rows.length; start += perTransaction) commit(rows.slice(start, start + perTransaction));
  return performance.now() - started;
}
