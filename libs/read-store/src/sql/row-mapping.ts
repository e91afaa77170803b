import type { JsonObject, LinkCore, LinkRow, Relation, RunRecord, RunRow, RunStatus, SessionRow, StepCore, StepRow, Substrate, ThreadRow } from '../port/rows.js';
import { fromJsonColumn, fromLabelColumn } from './json-columns.js';

/** A result row as either driver gives it: integers may come as numbers, bigints or strings. */
export type DbRow = { readonly [column: string]: unknown };

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function text(row: DbRow, column: string): string {
  return String(row[column]);
}

/** Sets `key` only when the column is not NULL, so absent fields stay absent. */
function optionalText<T extends object>(target: T, key: keyof T, row: DbRow, column: string): void {
  const value = row[column];
  if (value !== null && value !== undefined) (target as Record<keyof T, unknown>)[key] = String(value);
}

export function runRowOf(row: DbRow): RunRow {
  const run: Mutable<RunRow> = {
    runId: text(row, 'run_id'),
    kind: fromLabelColumn(row.kind),
    status: text(row, 'status') as RunStatus,
    createdAt: text(row, 'created_at'),
    updatedAt: text(row, 'updated_at'),
    revision: Number(row.revision),
    linked: Number(row.linked) === 1,
    threadPlacedByLink: Number(row.thread_placed_by_link) === 1,
    depth: Number(row.depth),
    rootRunId: text(row, 'root_run_id'),
    cancelRequested: Number(row.cancel_requested) === 1,
    stepCount: Number(row.step_count),
    activeStepCount: Number(row.active_step_count),
    childCount: Number(row.child_count),
    activeChildCount: Number(row.active_child_count),
    runningDescendants: Number(row.running_descendants),
    listingKey: Number(row.listing_key),
  };
  optionalText(run, 'sessionId', row, 'session_id');
  optionalText(run, 'threadId', row, 'thread_id');
  optionalText(run, 'parentRunId', row, 'parent_run_id');
  if (row.relation !== null && row.relation !== undefined) run.relation = text(row, 'relation') as Relation;
  if (row.substrate !== null && row.substrate !== undefined) run.substrate = text(row, 'substrate') as Substrate;
  return run;
}

/** A run row joined with its payloads (`metadata`, `input`, `outcome` columns). */
export function runRecordOf(row: DbRow): RunRecord {
  const record: Mutable<RunRecord> = { ...runRowOf(row), metadata: (fromJsonColumn(row.metadata) ?? {}) as JsonObject };
  const input = fromJsonColumn(row.input);
  if (input !== undefined) record.input = input;
  const outcome = fromJsonColumn(row.outcome);
  if (outcome !== undefined) record.outcome = outcome;
  return record;
}

export function linkCoreOf(row: DbRow, prefix = ''): LinkCore {
  const column = (name: string) => `${prefix}${name}`;
  const link: Mutable<LinkCore> = {
    childRunId: text(row, column('child_run_id')),
    parentRunId: text(row, column('parent_run_id')),
    relation: text(row, column('relation')) as Relation,
    substrate: text(row, column('substrate')) as Substrate,
    sequence: Number(row[column('sequence')]),
    ownsSession: Number(row[column('owns_session')]) === 1,
    stopSessionOnCancel: Number(row[column('stop_session_on_cancel')]) === 1,
    placesThread: Number(row[column('places_thread')]) === 1,
    createdAt: text(row, column('created_at')),
    visible: Number(row[column('visible')]) === 1,
  };
  optionalText(link, 'placementSessionId', row, column('placement_session_id'));
  optionalText(link, 'placementThreadId', row, column('placement_thread_id'));
  optionalText(link, 'childSessionId', row, column('child_session_id'));
  optionalText(link, 'childThreadId', row, column('child_thread_id'));
  return link;
}

/** A whole link; `prefix` names its columns in a join (`l_` beside the child's run). */
export function linkRowOf(row: DbRow, prefix = ''): LinkRow {
  const link: Mutable<LinkRow> = {
    ...linkCoreOf(row, prefix),
    projectedOrder: Number(row[`${prefix}projected_order`]),
    metadata: (fromJsonColumn(row[`${prefix}metadata`]) ?? {}) as JsonObject,
  };
  const task = fromJsonColumn(row[`${prefix}task`]);
  if (task !== undefined) link.task = task;
  return link;
}

export function stepCoreOf(row: DbRow): StepCore {
  return { runId: text(row, 'run_id'), stepId: text(row, 'step_id'), status: text(row, 'status') as RunStatus };
}

export function stepRowOf(row: DbRow): StepRow {
  const step: Mutable<StepRow> = {
    ...stepCoreOf(row),
    sequence: Number(row.sequence),
    name: fromLabelColumn(row.name),
    kind: fromLabelColumn(row.kind),
    startedAt: text(row, 'started_at'),
    updatedAt: text(row, 'updated_at'),
  };
  for (const key of ['input', 'output', 'error'] as const) {
    const value = fromJsonColumn(row[key]);
    if (value !== undefined) step[key] = value;
  }
  return step;
}

export function sessionRowOf(row: DbRow): SessionRow {
  const session: Mutable<SessionRow> = {
    sessionId: text(row, 'session_id'),
    metadata: (fromJsonColumn(row.metadata) ?? {}) as JsonObject,
    status: text(row, 'status') as SessionRow['status'],
    createdAt: text(row, 'created_at'),
  };
  optionalText(session, 'ownerRunId', row, 'owner_run_id');
  return session;
}

/** Thread columns, optionally prefixed (`thread_` in a child's join). */
export function threadRowOf(row: DbRow, prefix = ''): ThreadRow {
  const thread: Mutable<ThreadRow> = {
    threadId: text(row, `${prefix}thread_id`),
    sessionId: text(row, `${prefix}session_id`),
    metadata: (fromJsonColumn(row[`${prefix}metadata`]) ?? {}) as JsonObject,
    status: text(row, `${prefix}status`) as ThreadRow['status'],
    createdAt: text(row, `${prefix}created_at`),
  };
  const name = row[`${prefix}name`];
  if (name !== null && name !== undefined) thread.name = fromLabelColumn(name);
  return thread;
}
