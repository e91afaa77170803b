import Database from 'better-sqlite3';
import { sqliteDialect } from '../../libs/read-store/src/sql/dialect.js';
import { allTables, tableDdl, tableNames } from '../../libs/read-store/src/sql/tables.js';
import { perSecond } from '../support/stats.js';
import { timedInserts } from '../support/timed-inserts.js';

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
  const tables = rowsOf(readStorePath, allTables(names));
  const target = new Database(targetPath);
  try {
    target.pragma('journal_mode = WAL');
    target.pragma('synchronous = NORMAL');
    for (const statement of tableDdl(sqliteDialect, names, 1)) target.exec(statement);
    let elapsedMs = 0;
    for (const { table, columns, rows } of tables) {
      elapsedMs += timedInserts(target, `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`, rows, ROWS_PER_TRANSACTION);
    }
    const rowCount = tables.reduce((total, { rows }) => total + rows.length, 0);
    return { eventsPerSecond: perSecond(events, elapsedMs), rowsPerEvent: rowCount / events };
  } finally {
    target.close();
  }
}

/** Every row of `tables` in the SQLite file at `path`, as arrays in column order. */
function rowsOf(path: string, tables: readonly string[]): { table: string; columns: string[]; rows: unknown[][] }[] {
  const source = new Database(path, { readonly: true });
  try {
    return tables.map((table) => {
      const select = source.prepare(`SELECT * FROM ${table}`).raw(true);
      return { table, columns: select.columns().map((column) => column.name), rows: select.all() as unknown[][] };
    });
  } finally {
    source.close();
  }
}
