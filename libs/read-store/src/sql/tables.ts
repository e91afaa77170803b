import type { TableSet } from '../port/read-store.js';
import type { Dialect } from './dialect.js';

/** Table names of a set: the rebuild set's tables take the live names when it is swapped in. */
export interface TableNames {
  readonly runs: string;
  readonly runPayloads: string;
  readonly runOutcomes: string;
  readonly links: string;
  readonly steps: string;
  readonly sessions: string;
  readonly threads: string;
}

const roles = ['runs', 'runPayloads', 'runOutcomes', 'links', 'steps', 'sessions', 'threads'] as const;
const baseNames: TableNames = {
  runs: 'runs',
  runPayloads: 'run_payloads',
  runOutcomes: 'run_outcomes',
  links: 'links',
  steps: 'steps',
  sessions: 'sessions',
  threads: 'threads',
};

const rebuildNames = Object.freeze(Object.fromEntries(roles.map((role) => [role, `rebuild_${baseNames[role]}`])) as unknown as TableNames);

export function tableNames(set: TableSet): TableNames {
  return set === 'live' ? baseNames : rebuildNames;
}

export function allTables(names: TableNames): string[] {
  return roles.map((role) => names[role]);
}

/** Bumped with every change to the tables below; `open()` migrates older schemas. */
export const SCHEMA_VERSION = 2;

/** Tables every set shares: the schema's version, the recorded journal, and each set's checkpoint. */
export function metaTables(dialect: Dialect): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS read_store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS projection_checkpoints (
      table_set TEXT PRIMARY KEY,
      commit_position ${dialect.bigint},
      prepare_position ${dialect.bigint},
      version ${dialect.bigint} NOT NULL,
      run_count ${dialect.bigint} NOT NULL
    )`,
  ];
}

/**
 * One set of read-model tables with every index: what queries read. Index and key names carry the
 * generation: a rebuilt set keeps its names when renamed to the live ones, so the next rebuild needs
 * new ones. Booleans are 0/1 integers in both databases, so every query is the same text.
 */
export function tableSetDdl(dialect: Dialect, names: TableNames, generation: number): string[] {
  return [...tableDdl(dialect, names, generation), ...queryIndexDdl(names, generation)];
}

/**
 * The tables with the keys the projection loads and upserts by, and no other index: a rebuild
 * fills these, then adds `queryIndexDdl` once before it swaps them in (one sort per index instead of
 * maintaining thirteen indexes row by row).
 */
export function tableDdl(dialect: Dialect, names: TableNames, generation: number): string[] {
  const g = `g${generation}`;
  const { runs, runPayloads, runOutcomes, links, steps, sessions, threads } = names;
  return [
    `CREATE TABLE ${runs} (
      ${dialect.listingKeyColumn},
      run_id TEXT NOT NULL,
      kind TEXT NOT NULL,
      status TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      revision ${dialect.bigint} NOT NULL,
      session_id TEXT,
      thread_id TEXT,
      parent_run_id TEXT,
      relation TEXT,
      substrate TEXT,
      linked INTEGER NOT NULL,
      thread_placed_by_link INTEGER NOT NULL,
      depth INTEGER NOT NULL,
      root_run_id TEXT NOT NULL,
      cancel_requested INTEGER NOT NULL,
      step_count INTEGER NOT NULL,
      active_step_count INTEGER NOT NULL,
      child_count INTEGER NOT NULL,
      active_child_count INTEGER NOT NULL,
      running_descendants INTEGER NOT NULL
    )`,
    `CREATE UNIQUE INDEX runs_by_id_${g} ON ${runs} (run_id)`,
    `CREATE TABLE ${runPayloads} (run_id TEXT NOT NULL CONSTRAINT run_payloads_pk_${g} PRIMARY KEY, metadata TEXT NOT NULL, input TEXT)`,
    `CREATE TABLE ${runOutcomes} (run_id TEXT NOT NULL CONSTRAINT run_outcomes_pk_${g} PRIMARY KEY, outcome TEXT NOT NULL)`,
    `CREATE TABLE ${links} (
      child_run_id TEXT NOT NULL,
      parent_run_id TEXT NOT NULL,
      relation TEXT NOT NULL,
      substrate TEXT NOT NULL,
      sequence INTEGER NOT NULL,
      owns_session INTEGER NOT NULL,
      stop_session_on_cancel INTEGER NOT NULL,
      placement_session_id TEXT,
      placement_thread_id TEXT,
      places_thread INTEGER NOT NULL,
      created_at TEXT NOT NULL,
      visible INTEGER NOT NULL,
      child_session_id TEXT,
      child_thread_id TEXT,
      metadata TEXT NOT NULL,
      task TEXT,
      projected_order ${dialect.bigint} NOT NULL,
      CONSTRAINT links_pk_${g} PRIMARY KEY (parent_run_id, child_run_id)
    )`,
    `CREATE TABLE ${steps} (
      run_id TEXT NOT NULL,
      step_id TEXT NOT NULL,
      sequence INTEGER NOT NULL,
      name TEXT NOT NULL,
      kind TEXT NOT NULL,
      status TEXT NOT NULL,
      started_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      input TEXT,
      output TEXT,
      error TEXT,
      CONSTRAINT steps_pk_${g} PRIMARY KEY (run_id, step_id)
    )`,
    `CREATE TABLE ${sessions} (
      session_id TEXT NOT NULL CONSTRAINT sessions_pk_${g} PRIMARY KEY,
      metadata TEXT NOT NULL,
      status TEXT NOT NULL,
      owner_run_id TEXT,
      created_at TEXT NOT NULL
    )`,
    `CREATE TABLE ${threads} (
      thread_id TEXT NOT NULL CONSTRAINT threads_pk_${g} PRIMARY KEY,
      session_id TEXT NOT NULL,
      name TEXT,
      metadata TEXT NOT NULL,
      status TEXT NOT NULL,
      created_at TEXT NOT NULL
    )`,
  ];
}

/** The indexes only queries use (listings, children, trees, recovery's scans). */
export function queryIndexDdl(names: TableNames, generation: number): string[] {
  const g = `g${generation}`;
  const { runs, links, steps, sessions } = names;
  return [
    `CREATE INDEX runs_by_status_${g} ON ${runs} (status, listing_key)`,
    `CREATE INDEX runs_by_kind_${g} ON ${runs} (kind, listing_key)`,
    `CREATE INDEX runs_by_parent_${g} ON ${runs} (parent_run_id, listing_key)`,
    `CREATE INDEX runs_by_root_${g} ON ${runs} (root_run_id, listing_key)`,
    `CREATE INDEX runs_by_session_${g} ON ${runs} (session_id, listing_key)`,
    `CREATE INDEX runs_by_thread_${g} ON ${runs} (thread_id, listing_key)`,
    `CREATE INDEX runs_by_created_${g} ON ${runs} (created_at, listing_key)`,
    `CREATE INDEX runs_cancelling_${g} ON ${runs} (listing_key) WHERE cancel_requested = 1 AND status = 'running'`,
    `CREATE INDEX links_by_child_${g} ON ${links} (child_run_id)`,
    `CREATE INDEX links_children_${g} ON ${links} (parent_run_id, sequence) WHERE visible = 1`,
    `CREATE INDEX links_pending_${g} ON ${links} (parent_run_id) WHERE visible = 0`,
    `CREATE INDEX steps_in_order_${g} ON ${steps} (run_id, sequence)`,
    `CREATE INDEX sessions_owned_open_${g} ON ${sessions} (owner_run_id) WHERE status = 'open' AND owner_run_id IS NOT NULL`,
  ];
}
