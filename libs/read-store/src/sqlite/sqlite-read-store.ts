import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Position } from '@runtree/event-store';
import { newRunCount, type LoadedRows, type ProjectionCommit, type RowKeys, type StoredCheckpoint } from '../port/changes.js';
import { ReadStoreUnavailableError } from '../port/errors.js';
import { atOrAfter, positionOfColumns } from '../port/positions.js';
import type { CheckpointListener, ProjectorRole, ReadStore, TableSet } from '../port/read-store.js';
import { batchLoads } from '../sql/batch-loads.js';
import { sqliteDialect } from '../sql/dialect.js';
import { toJsonColumn } from '../sql/json-columns.js';
import { ReadQueries } from '../sql/read-queries.js';
import { linkCoreOf, runRowOf, stepCoreOf, type DbRow } from '../sql/row-mapping.js';
import { allTables, queryIndexDdl, tableDdl, tableNames } from '../sql/tables.js';
import { linkParams, runCounterParams, runParams, sessionParams, stepFinishParams, stepParams, threadParams } from '../sql/write-params.js';
import { singleRow, writeStatements, type RowsStatement } from '../sql/write-statements.js';
import { asReadStoreError } from './sqlite-errors.js';
import { rowReader, type RowReader } from './row-reader.js';
import { WalCheckpointer } from './wal-checkpointer.js';
import { generationOf, migrateSqliteSchema, setMeta } from './sqlite-schema.js';

export interface SqliteReadStoreOptions {
  /** A file (created with its folders) or `:memory:`. */
  readonly path: string;
}

const BUSY_TIMEOUT_MS = 5000;
const WAL_KEPT_BYTES = 64 * 1024 * 1024;
/** The projector role on an embedded store: this process is its only projector, and never loses it. */
const embeddedRole: ProjectorRole = { lost: new Promise<void>(() => undefined), release: async () => undefined };

/** The entry of `sql` in `cache`, made on first use. */
function preparedOnce<T>(cache: Map<string, T>, sql: string, prepare: () => T): T {
  let entry = cache.get(sql);
  if (entry === undefined) {
    entry = prepare();
    cache.set(sql, entry);
  }
  return entry;
}

/**
 * The embedded read store: better-sqlite3, WAL, `synchronous=NORMAL`. NORMAL, not FULL: rows and
 * checkpoint commit together, so a power cut can only take the last commits away whole, and the
 * projection then replays them from the journal (which is durable). The WAL is checkpointed in a
 * worker thread (see WalCheckpointer), not inside commits, and kept bounded. One process per file.
 */
export class SqliteReadStore extends ReadQueries implements ReadStore {
  readonly kind = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly readers = new Map<string, RowReader>();
  private readonly listeners = new Set<CheckpointListener>();
  private closed = false;
  private lastRebuild: Promise<unknown> = Promise.resolve();
  private readonly checkpointer: WalCheckpointer | undefined;
  private readonly commitTransaction: (set: TableSet, commit: ProjectionCommit) => boolean;

  constructor(private readonly options: SqliteReadStoreOptions) {
    super(sqliteDialect);
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    this.db = new Database(options.path, { timeout: BUSY_TIMEOUT_MS });
    try {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      if (options.path !== ':memory:') this.db.pragma('wal_autocheckpoint = 0');
      // A WAL started over is cut back to this size: a burst of writes does not keep its disk space.
      this.db.pragma(`journal_size_limit = ${WAL_KEPT_BYTES}`);
    } catch (error) {
      this.db.close();
      throw asReadStoreError(error, options.path);
    }
    this.checkpointer = options.path === ':memory:' ? undefined : new WalCheckpointer(options.path);
    this.commitTransaction = this.db.transaction((set: TableSet, commit: ProjectionCommit): boolean => {
      const moved = this.statement(
        'UPDATE projection_checkpoints SET commit_position = ?, prepare_position = ?, version = version + 1, run_count = run_count + ? WHERE table_set = ? AND version = ?',
      ).run(commit.to.commit, commit.to.prepare, newRunCount(commit.changes), set, commit.fromVersion);
      if (moved.changes !== 1) return false;
      this.writeChanges(set, commit);
      return true;
    });
  }

  protected async all(sql: string, params: readonly unknown[]): Promise<DbRow[]> {
    return this.guard(() => this.reader(sql)(params));
  }

  get path(): string {
    return this.options.path;
  }

  async open(): Promise<void> {
    this.guard(() => migrateSqliteSchema(this.db));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.listeners.clear();
    await this.checkpointer?.close();
    this.db.close();
  }

  async checkAvailable(): Promise<void> {
    this.guard(() => this.statement('SELECT version FROM projection_checkpoints WHERE table_set = ?').get('live'));
  }

  async acquireProjectorRole(signal: AbortSignal): Promise<ProjectorRole> {
    signal.throwIfAborted();
    return embeddedRole;
  }

  /** One process per file: rebuilds queue in this process. */
  exclusiveRebuild<T>(work: () => Promise<T>): Promise<T> {
    const result = this.lastRebuild.then(work, work);
    this.lastRebuild = result.catch(() => undefined);
    return result;
  }

  watchCheckpoint(listener: CheckpointListener): () => void {
    this.listeners.add(listener);
    void this.readCheckpoint('live').then(
      (checkpoint) => this.listeners.has(listener) && listener.moved(checkpoint),
      (error: Error) => this.listeners.has(listener) && listener.interrupted(error),
    );
    return () => this.listeners.delete(listener);
  }

  async readCheckpoint(set: TableSet): Promise<StoredCheckpoint> {
    return this.guard(() => this.checkpointOf(set));
  }

  async recordedJournalId(): Promise<string | undefined> {
    return this.guard(() => (this.statement("SELECT value FROM read_store_meta WHERE key = 'journal_id'").get() as { value: string } | undefined)?.value);
  }

  async load(set: TableSet, keys: RowKeys): Promise<LoadedRows> {
    return this.guard(() => {
      const loads = batchLoads(set, sqliteDialect);
      // Raw rows, one query per kind: per-key gets in object mode cost 2-3x as much per row (a cancel's projection loads thousands).
      const rows = (statement: string, keyed: readonly unknown[]) => (keyed.length === 0 ? [] : this.reader(statement)([JSON.stringify(keyed)]));
      return {
        runs: rows(loads.runs, keys.runIds).map(runRowOf),
        links: rows(loads.links, keys.links.map((key) => [key.parentRunId, key.childRunId])).map((row) => linkCoreOf(row)),
        steps: rows(loads.steps, keys.steps.map((key) => [key.runId, key.stepId])).map(stepCoreOf),
      };
    });
  }

  async commit(set: TableSet, commit: ProjectionCommit): Promise<boolean> {
    const draining = this.checkpointer?.beforeCommit();
    if (draining !== undefined) await draining;
    const committed = this.guard(() => this.commitTransaction(set, commit));
    this.checkpointer?.committed();
    if (committed && set === 'live') this.announce({ position: commit.to, version: commit.fromVersion + 1 });
    return committed;
  }

  async reset(set: TableSet, to: Position | 'start', options: { readonly forgetJournal?: boolean } = {}): Promise<StoredCheckpoint> {
    const checkpoint = this.guard(() =>
      this.db.transaction(() => {
        if (set === 'live') {
          for (const table of allTables(tableNames('live'))) this.db.exec(`DELETE FROM ${table}`);
          if (options.forgetJournal) this.db.prepare("DELETE FROM read_store_meta WHERE key = 'journal_id'").run();
        } else {
          for (const table of allTables(tableNames('rebuild'))) this.db.exec(`DROP TABLE IF EXISTS ${table}`);
          const generation = Math.max(generationOf(this.db, 'generation'), generationOf(this.db, 'rebuild_generation')) + 1;
          for (const statement of tableDdl(sqliteDialect, tableNames('rebuild'), generation)) this.db.exec(statement);
          setMeta(this.db, 'rebuild_generation', String(generation));
        }
        const version = (this.checkpointOrUndefined(set)?.version ?? 0) + 1;
        this.db
          .prepare(
            `INSERT INTO projection_checkpoints (table_set, commit_position, prepare_position, version, run_count) VALUES (?, ?, ?, ?, 0)
             ON CONFLICT (table_set) DO UPDATE SET commit_position = excluded.commit_position, prepare_position = excluded.prepare_position, version = excluded.version, run_count = 0`,
          )
          .run(set, to === 'start' ? null : to.commit, to === 'start' ? null : to.prepare, version);
        return { position: to, version };
      })(),
    );
    if (set === 'live') this.announce(checkpoint);
    return checkpoint;
  }

  async swapRebuild(): Promise<boolean> {
    const swapped = this.guard(() =>
      this.db.transaction((): StoredCheckpoint | undefined => {
        const rebuilt = this.checkpointOrUndefined('rebuild');
        const live = this.checkpointOf('live');
        if (rebuilt === undefined || !atOrAfter(rebuilt.position, live.position)) return undefined;
        const runCount = this.runCountOf('rebuild');
        const live_ = tableNames('live');
        const rebuild = tableNames('rebuild');
        const generation = generationOf(this.db, 'rebuild_generation');
        for (const statement of queryIndexDdl(rebuild, generation)) this.db.exec(statement);
        for (const table of allTables(live_)) this.db.exec(`DROP TABLE ${table}`);
        for (const role of Object.keys(live_) as (keyof typeof live_)[]) this.db.exec(`ALTER TABLE ${rebuild[role]} RENAME TO ${live_[role]}`);
        setMeta(this.db, 'generation', String(generation));
        const position = rebuilt.position;
        const version = live.version + 1;
        this.db
          .prepare("UPDATE projection_checkpoints SET commit_position = ?, prepare_position = ?, version = ?, run_count = ? WHERE table_set = 'live'")
          .run(position === 'start' ? null : position.commit, position === 'start' ? null : position.prepare, version, runCount);
        this.db.prepare("DELETE FROM projection_checkpoints WHERE table_set = 'rebuild'").run();
        return { position, version };
      })(),
    );
    if (swapped === undefined) return false;
    // Statements prepared on the dropped tables are prepared again on first use.
    this.statements.clear();
    this.readers.clear();
    this.announce(swapped);
    return true;
  }

  async runCount(): Promise<number> {
    return this.guard(() => this.runCountOf('live'));
  }

  private writeChanges(set: TableSet, { changes, journalId }: ProjectionCommit): void {
    const sql = writeStatements(set);
    this.writeRows(sql.upsertRun, changes.runs, runParams);
    this.writeRows(sql.updateRunCounters, changes.runCounters, runCounterParams);
    this.writeRows(sql.insertRunPayload, changes.runPayloads, (row) => [row.runId, toJsonColumn(row.metadata), toJsonColumn(row.input)]);
    this.writeRows(sql.insertRunOutcome, changes.runOutcomes, (row) => [row.runId, toJsonColumn(row.outcome)]);
    this.writeRows(sql.upsertLink, changes.links, linkParams);
    this.writeRows(sql.attachLink, changes.attachedLinks, (row) => [row.childSessionId ?? null, row.childThreadId ?? null, row.parentRunId, row.childRunId]);
    this.writeRows(sql.insertStep, changes.steps, stepParams);
    this.writeRows(sql.finishStep, changes.finishedSteps, stepFinishParams);
    this.writeRows(sql.upsertSession, changes.sessions, sessionParams);
    this.writeRows(sql.closeSession, changes.closedSessions, (sessionId) => [sessionId]);
    this.writeRows(sql.upsertThread, changes.threads, threadParams);
    this.writeRows(sql.closeThread, changes.closedThreads, (threadId) => [threadId]);
    if (journalId !== undefined) this.statement("INSERT INTO read_store_meta (key, value) VALUES ('journal_id', ?) ON CONFLICT (key) DO NOTHING").run(journalId);
  }

  /** One statement run per row; a kind with no rows in the batch costs nothing (most batches touch few kinds). */
  private writeRows<T>(sql: string | RowsStatement, rows: readonly T[], params: (row: T) => readonly unknown[]): void {
    if (rows.length === 0) return;
    const statement = this.statement(typeof sql === 'string' ? sql : singleRow(sql));
    for (const row of rows) statement.run(...params(row));
  }

  private checkpointOrUndefined(set: TableSet): StoredCheckpoint | undefined {
    const statement = this.statement('SELECT commit_position, prepare_position, version FROM projection_checkpoints WHERE table_set = ?');
    const row = statement.safeIntegers(true).get(set) as { commit_position: bigint | null; prepare_position: bigint | null; version: bigint } | undefined;
    return row === undefined ? undefined : { position: positionOfColumns(row.commit_position, row.prepare_position), version: Number(row.version) };
  }

  private checkpointOf(set: TableSet): StoredCheckpoint {
    const checkpoint = this.checkpointOrUndefined(set);
    if (checkpoint === undefined) throw new ReadStoreUnavailableError(`The read store has no ${set} checkpoint: open() it first`);
    return checkpoint;
  }

  private runCountOf(set: TableSet): number {
    const row = this.statement('SELECT run_count FROM projection_checkpoints WHERE table_set = ?').get(set) as { run_count: number } | undefined;
    return Number(row?.run_count ?? 0);
  }

  private announce(checkpoint: StoredCheckpoint): void {
    for (const listener of [...this.listeners]) listener.moved(checkpoint);
  }

  private statement(sql: string): Database.Statement {
    return preparedOnce(this.statements, sql, () => this.db.prepare(sql));
  }

  private reader(sql: string): RowReader {
    return preparedOnce(this.readers, sql, () => rowReader(this.db.prepare(sql)));
  }

  private guard<T>(work: () => T): T {
    if (this.closed) throw new ReadStoreUnavailableError(`The SQLite read store at ${this.options.path} is closed`);
    try {
      return work();
    } catch (error) {
      throw asReadStoreError(error, this.options.path);
    }
  }
}

export function openSqliteReadStore(options: SqliteReadStoreOptions): SqliteReadStore {
  return new SqliteReadStore(options);
}
