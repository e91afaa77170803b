import { linkColumns, runCoreColumns, runCounterColumns, runMutableColumns, sessionColumns, stepColumns, threadColumns } from './columns.js';
import type { TableSet } from '../port/read-store.js';
import { tableNames, type TableNames } from './tables.js';

const placeholders = (count: number): string => Array.from({ length: count }, () => '?').join(', ');
const updateFromExcluded = (columns: readonly string[]): string => columns.map((column) => `${column} = excluded.${column}`).join(', ');

/** One row's statement of each kind the projection writes, `?` placeholders (PostgreSQL batches rows into them). */
function buildWriteStatements(names: TableNames) {
  return {
    upsertRun: {
      head: `INSERT INTO ${names.runs} (${runCoreColumns.join(', ')}) VALUES`,
      row: `(${placeholders(runCoreColumns.length)})`,
      tail: `ON CONFLICT (run_id) DO UPDATE SET ${updateFromExcluded(runMutableColumns)}`,
    },
    updateRunCounters: `UPDATE ${names.runs} SET ${runCounterColumns.map((column) => `${column} = ?`).join(', ')} WHERE run_id = ?`,
    insertRunPayload: { head: `INSERT INTO ${names.runPayloads} (run_id, metadata, input) VALUES`, row: '(?, ?, ?)', tail: 'ON CONFLICT (run_id) DO NOTHING' },
    insertRunOutcome: { head: `INSERT INTO ${names.runOutcomes} (run_id, outcome) VALUES`, row: '(?, ?)', tail: 'ON CONFLICT (run_id) DO NOTHING' },
    upsertLink: {
      head: `INSERT INTO ${names.links} (${linkColumns.join(', ')}) VALUES`,
      row: `(${placeholders(linkColumns.length)})`,
      tail: `ON CONFLICT (parent_run_id, child_run_id) DO UPDATE SET ${updateFromExcluded(linkColumns.filter((column) => column !== 'child_run_id' && column !== 'parent_run_id'))}`,
    },
    insertStep: {
      head: `INSERT INTO ${names.steps} (${stepColumns.join(', ')}) VALUES`,
      row: `(${placeholders(stepColumns.length)})`,
      tail: 'ON CONFLICT (run_id, step_id) DO NOTHING',
    },
    upsertSession: {
      head: `INSERT INTO ${names.sessions} (${sessionColumns.join(', ')}) VALUES`,
      row: `(${placeholders(sessionColumns.length)})`,
      tail: `ON CONFLICT (session_id) DO UPDATE SET ${updateFromExcluded(sessionColumns.filter((column) => column !== 'session_id'))}`,
    },
    upsertThread: {
      head: `INSERT INTO ${names.threads} (${threadColumns.join(', ')}) VALUES`,
      row: `(${placeholders(threadColumns.length)})`,
      tail: `ON CONFLICT (thread_id) DO UPDATE SET ${updateFromExcluded(threadColumns.filter((column) => column !== 'thread_id'))}`,
    },
    attachLink: `UPDATE ${names.links} SET visible = 1, child_session_id = ?, child_thread_id = ? WHERE parent_run_id = ? AND child_run_id = ?`,
    finishStep: `UPDATE ${names.steps} SET status = ?, updated_at = ?, output = ?, error = ? WHERE run_id = ? AND step_id = ?`,
    closeSession: `UPDATE ${names.sessions} SET status = 'closed' WHERE session_id = ? AND status = 'open'`,
    closeThread: `UPDATE ${names.threads} SET status = 'closed' WHERE thread_id = ? AND status = 'open'`,
  };
}

export type WriteStatements = ReturnType<typeof buildWriteStatements>;

const built = new Map<TableSet, WriteStatements>();

/** The statements of a table set, built once. */
export function writeStatements(set: TableSet): WriteStatements {
  let statements = built.get(set);
  if (statements === undefined) {
    statements = buildWriteStatements(tableNames(set));
    built.set(set, statements);
  }
  return statements;
}

/** A multi-row INSERT's parts: `head` then `row` once per row, comma-separated, then `tail`. */
export interface RowsStatement {
  readonly head: string;
  readonly row: string;
  readonly tail: string;
}

const singleRows = new WeakMap<RowsStatement, string>();

/** The one-row statement, built once: a new string each time would be hashed and compared whole by the statement cache. */
export function singleRow(statement: RowsStatement): string {
  let sql = singleRows.get(statement);
  if (sql === undefined) {
    sql = `${statement.head} ${statement.row} ${statement.tail}`;
    singleRows.set(statement, sql);
  }
  return sql;
}
