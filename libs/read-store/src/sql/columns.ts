/** Column lists, written once for every statement and both databases. */
export const runCoreColumns = [
  'run_id',
  'kind',
  'status',
  'created_at',
  'updated_at',
  'revision',
  'session_id',
  'thread_id',
  'parent_run_id',
  'relation',
  'substrate',
  'linked',
  'thread_placed_by_link',
  'depth',
  'root_run_id',
  'cancel_requested',
  'step_count',
  'active_step_count',
  'child_count',
  'active_child_count',
  'running_descendants',
  'listing_key',
] as const;

/** Columns some index holds (or filters on): updating them rewrites index entries. */
export const runIndexedColumns = ['status', 'root_run_id', 'cancel_requested'] as const;

/** What a later event of the run can change (the rest is fixed by its RunStarted). */
export const runMutableColumns = runCoreColumns.filter(
  (column) => !['run_id', 'kind', 'created_at', 'session_id', 'thread_id', 'parent_run_id', 'relation', 'substrate', 'listing_key'].includes(column),
);

/** The mutable columns no index holds: what `runCounters` updates, in this order, then `run_id`. */
export const runCounterColumns = runMutableColumns.filter((column) => !(runIndexedColumns as readonly string[]).includes(column));

export const linkCoreColumns = [
  'child_run_id',
  'parent_run_id',
  'relation',
  'substrate',
  'sequence',
  'owns_session',
  'stop_session_on_cancel',
  'placement_session_id',
  'placement_thread_id',
  'places_thread',
  'created_at',
  'visible',
  'child_session_id',
  'child_thread_id',
] as const;

export const linkColumns = [...linkCoreColumns, 'metadata', 'task', 'projected_order'] as const;

export const stepColumns = ['run_id', 'step_id', 'sequence', 'name', 'kind', 'status', 'started_at', 'updated_at', 'input', 'output', 'error'] as const;
export const sessionColumns = ['session_id', 'metadata', 'status', 'owner_run_id', 'created_at'] as const;
export const threadColumns = ['thread_id', 'session_id', 'name', 'metadata', 'status', 'created_at'] as const;

export function qualified(alias: string, columns: readonly string[], prefix = ''): string {
  return columns.map((column) => (prefix ? `${alias}.${column} AS ${prefix}${column}` : `${alias}.${column}`)).join(', ');
}
