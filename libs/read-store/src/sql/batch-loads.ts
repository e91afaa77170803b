import type { TableSet } from '../port/read-store.js';
import { linkCoreColumns, runCoreColumns } from './columns.js';
import type { Dialect } from './dialect.js';
import { tableNames } from './tables.js';

/** The queries that load a projection batch's rows: one per kind for the whole batch, whatever its size. */
export interface BatchLoads {
  /** Keys: the run ids, bound as the dialect's `keyList` takes them. */
  readonly runs: string;
  /** Keys: (parent run id, child run id) pairs, bound as the dialect's `keyPairs` takes them. */
  readonly links: string;
  /** Keys: (run id, step id) pairs. */
  readonly steps: string;
}

const built = new Map<string, BatchLoads>();

/** The batch loads of a table set in a dialect, built once. */
export function batchLoads(set: TableSet, dialect: Dialect): BatchLoads {
  const key = `${dialect.name}:${set}`;
  let loads = built.get(key);
  if (loads === undefined) {
    const names = tableNames(set);
    loads = {
      runs: `SELECT ${runCoreColumns.join(', ')} FROM ${names.runs} WHERE run_id IN (${dialect.keyList})`,
      links: `SELECT ${linkCoreColumns.join(', ')} FROM ${names.links} WHERE (parent_run_id, child_run_id) IN (${dialect.keyPairs})`,
      steps: `SELECT run_id, step_id, status FROM ${names.steps} WHERE (run_id, step_id) IN (${dialect.keyPairs})`,
    };
    built.set(key, loads);
  }
  return loads;
}
