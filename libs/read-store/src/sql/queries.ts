import type { RunListQuery } from '../port/list-query.js';
import { linkColumns, qualified, runCoreColumns, sessionColumns, stepColumns, threadColumns } from './columns.js';
import type { Dialect } from './dialect.js';
import { toLabelColumn } from './json-columns.js';
import { tableNames, type TableNames } from './tables.js';

const live = tableNames('live');

/** A run with its payloads: the core columns, then `metadata`, `input`, `outcome`. */
function runRecordFrom(names: TableNames, alias = 'r'): string {
  return `${qualified(alias, runCoreColumns)}, p.metadata, p.input, o.outcome
    FROM ${names.runs} ${alias}
    JOIN ${names.runPayloads} p ON p.run_id = ${alias}.run_id
    LEFT JOIN ${names.runOutcomes} o ON o.run_id = ${alias}.run_id`;
}

/** A visible child's columns: its run's record, its link as `l_*`, the thread its link placed it in as `t_*`. */
const childColumns = `${qualified('r', runCoreColumns)}, p.metadata, p.input, o.outcome,
    ${qualified('l', linkColumns, 'l_')},
    ${qualified('t', threadColumns, 't_')}`;

/** What a child's link joins to: its run, payloads, outcome and the thread its link placed it in. */
const childJoins = `JOIN ${live.runs} r ON r.run_id = l.child_run_id
  JOIN ${live.runPayloads} p ON p.run_id = r.run_id
  LEFT JOIN ${live.runOutcomes} o ON o.run_id = r.run_id
  LEFT JOIN ${live.threads} t ON r.thread_placed_by_link = 1 AND t.thread_id = r.thread_id`;

const childSelect = `SELECT ${childColumns} FROM ${live.links} l ${childJoins}`;

/** The read side's queries on the live tables; `?` placeholders (PostgreSQL numbers them). */
export function buildQueries(dialect: Dialect) {
  return {
  runRecord: `SELECT ${runRecordFrom(live)} WHERE r.run_id = ?`,
  runCore: `SELECT ${qualified('r', runCoreColumns)} FROM ${live.runs} r WHERE r.run_id = ?`,
  runWithMetadata: `SELECT ${qualified('r', runCoreColumns)}, p.metadata FROM ${live.runs} r JOIN ${live.runPayloads} p ON p.run_id = r.run_id WHERE r.run_id = ?`,
  child: `${childSelect} WHERE l.child_run_id = ? AND l.visible = 1`,
  children: `${childSelect} WHERE l.parent_run_id = ? AND l.visible = 1 ORDER BY l.sequence, l.child_run_id`,
  // UNION, not UNION ALL: a cycle (which no log the deciders write contains) would end, not loop.
  // Read from the tree's ids out, never by scanning every link and looking each up in the tree.
  descendants: `WITH RECURSIVE tree(child_run_id) AS (
      SELECT child_run_id FROM ${live.links} WHERE parent_run_id = ? AND visible = 1
      UNION
      SELECT c.child_run_id FROM ${live.links} c JOIN tree ON c.parent_run_id = tree.child_run_id WHERE c.visible = 1
    )
    SELECT ${childColumns} FROM tree ${dialect.orderedJoin} ${live.links} l ON l.child_run_id = tree.child_run_id AND l.visible = 1 ${childJoins}`,
  // Ids only, pending links too, at most `?`; the recursion's queue is first in, first out, so each level comes before the next.
  descendantIds: `WITH RECURSIVE tree(child_run_id) AS (
      SELECT child_run_id FROM ${live.links} WHERE parent_run_id = ?
      UNION
      SELECT c.child_run_id FROM ${live.links} c JOIN tree ON c.parent_run_id = tree.child_run_id
    )
    SELECT child_run_id FROM tree LIMIT ?`,
  step: `SELECT ${stepColumns.join(', ')} FROM ${live.steps} WHERE run_id = ? AND step_id = ?`,
  steps: `SELECT ${stepColumns.join(', ')} FROM ${live.steps} WHERE run_id = ? ORDER BY sequence`,
  session: `SELECT ${sessionColumns.join(', ')} FROM ${live.sessions} WHERE session_id = ?`,
  thread: `SELECT ${threadColumns.join(', ')} FROM ${live.threads} WHERE thread_id = ?`,
  parentShape: `SELECT depth, root_run_id, child_count,
      (SELECT count(*) FROM ${live.links} WHERE parent_run_id = r.run_id AND visible = 0) AS pending_children
    FROM ${live.runs} r WHERE r.run_id = ?`,
  // Pending links are few: scan them (their partial index) and check each one's root, rather than walk every run of the tree.
  rootShape: `SELECT running_descendants,
      (SELECT count(*) FROM ${live.links} l
        WHERE l.visible = 0 AND EXISTS (SELECT 1 FROM ${live.runs} p WHERE p.run_id = l.parent_run_id AND p.root_run_id = r.run_id)) AS pending_descendants
    FROM ${live.runs} r WHERE r.run_id = ?`,
  pendingLinks: `SELECT parent_run_id, child_run_id FROM ${live.links} WHERE visible = 0 ORDER BY projected_order, child_run_id`,
  cancellingRuns: `SELECT run_id FROM ${live.runs} WHERE cancel_requested = 1 AND status = 'running' ORDER BY listing_key`,
  cancelledOwnersWithOpenSession: `SELECT s.session_id, s.owner_run_id
    FROM ${live.sessions} s
    JOIN ${live.runs} r ON r.run_id = s.owner_run_id
    JOIN ${live.links} l ON l.child_run_id = r.run_id AND l.parent_run_id = r.parent_run_id AND l.visible = 1
    WHERE s.status = 'open' AND s.owner_run_id IS NOT NULL AND r.status = 'cancelled' AND l.owns_session = 1 AND l.stop_session_on_cancel = 1
    ORDER BY s.session_id`,
  dumpRuns: `SELECT ${runRecordFrom(live)} ORDER BY r.run_id`,
  dumpListingOrder: `SELECT run_id FROM ${live.runs} ORDER BY listing_key DESC`,
  dumpLinks: `SELECT ${linkColumns.join(', ')} FROM ${live.links} ORDER BY child_run_id, parent_run_id`,
  dumpSteps: `SELECT ${stepColumns.join(', ')} FROM ${live.steps} ORDER BY run_id, sequence`,
  dumpSessions: `SELECT ${sessionColumns.join(', ')} FROM ${live.sessions} ORDER BY session_id`,
  dumpThreads: `SELECT ${threadColumns.join(', ')} FROM ${live.threads} ORDER BY thread_id`,
  } as const;
}

export type Queries = ReturnType<typeof buildQueries>;

const filterColumns = {
  status: 'r.status',
  kind: 'r.kind',
  parentRunId: 'r.parent_run_id',
  rootRunId: 'r.root_run_id',
  sessionId: 'r.session_id',
  threadId: 'r.thread_id',
} as const;

/**
 * The listing's query: one equality per filter given (each backed by an index on `(column, listing_key)`),
 * newest first by listing key, one row more than the page to tell whether another page follows.
 */
export function listRunsQuery(query: RunListQuery): { readonly sql: string; readonly params: readonly (string | number)[] } {
  const where: string[] = [];
  const params: (string | number)[] = [];
  for (const [key, column] of Object.entries(filterColumns) as [keyof typeof filterColumns, string][]) {
    const value = query[key];
    if (value === undefined) continue;
    where.push(`${column} = ?`);
    params.push(key === 'kind' ? toLabelColumn(value) : value);
  }
  if (query.createdAfter !== undefined) {
    where.push('r.created_at > ?');
    params.push(query.createdAfter);
  }
  if (query.createdBefore !== undefined) {
    where.push('r.created_at < ?');
    params.push(query.createdBefore);
  }
  if (query.afterKey !== undefined) {
    where.push('r.listing_key < ?');
    params.push(query.afterKey);
  }
  const { metadata, input, output } = query.include;
  const payloadColumns = [metadata ? 'p.metadata' : 'NULL AS metadata', input ? 'p.input' : 'NULL AS input', output ? 'o.outcome' : 'NULL AS outcome'].join(', ');
  const joins = [
    metadata || input ? `JOIN ${live.runPayloads} p ON p.run_id = r.run_id` : '',
    output ? `LEFT JOIN ${live.runOutcomes} o ON o.run_id = r.run_id` : '',
  ].join(' ');
  params.push(query.limit + 1);
  const sql = `SELECT ${qualified('r', runCoreColumns)}, ${payloadColumns}
    FROM ${live.runs} r ${joins}
    ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY r.listing_key DESC LIMIT ?`;
  return { sql, params };
}
