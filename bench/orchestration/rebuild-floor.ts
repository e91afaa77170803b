import Database from 'better-sqlite3';
import { sqliteDialect } from '../../libs/read-store/src/sql/dialect.js';
import { allTables, tableDdl, tableNames } from '../../libs/read-store/src/sql/tables.js';
import { perSecond } from '../support/stats.js';

/** Rows per transaction: as many as the rebuild's events per page, which hold fewer rows (a floor on the generous side). */
export const ROWS_PER_TRANSACTION = 2048;

export interface RebuildFloor {
  /** The log's events ÷ the time to insert its read models' rows alone. */
  readonly eventsPerSecond: number;
  readonly rowsPerEvent: number;
}

/**
 * The floor under rebuild(): the rows the read store at `readStorePath` holds, inserted with one plain
 * statement per row into fresh tables at `targetPath` with only the rebuild's keys (`tableDdl`), as the
 * read store writes (WAL, synchronous=NORMAL), `ROWS_PER_TRANSACTION` per transaction. Nothing is read
 * from the log, decoded or folded, and no query index is made: a rebuild into these rows cannot be faster.
 */
export function measureRebuildFloor(readStorePath: string, targetPath: string, events: number): RebuildFloor {
  const names = tableNames('live');
  const source = new Database(readStorePath, { readonly: true });
  const tables = (() => {
    try {
      return allTables(names).map((table) => {
        const select = source.prepare(`SELECT * FROM ${table}`).raw(true);
        return { table, columns: select.columns().map((column) => column.name), rows: select.all() as unknown[][] };
      });
    } finally {
      source.close();
    }
  })();
  const target = new Database(targetPath);
  try {
    target.pragma('journal_mode = WAL');
    target.pragma('synchronous = NORMAL');
    for (const statement of tableDdl(sqliteDialect, names, 1)) target.exec(statement);
    let rows = 0;
    const started = performance.now();
    for (const { table, columns, rows: tableRows } of tables) {
      const insert = target.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
      const commit = target.transaction((chunk: unknown[][]) => {
        for (const row of chunk) insert.run(row);
      });
      for (let start = 0; start < tableRows.length; start += ROWS_PER_TRANSACTION) commit(tableRows.slice(start, start + ROWS_PER_TRANSACTION));
      rows += tableRows.length;
    }
    return { eventsPerSecond: perSecond(events, performance.now() - started), rowsPerEvent: rows / events };
  } finally {
    target.close();
  }
}
