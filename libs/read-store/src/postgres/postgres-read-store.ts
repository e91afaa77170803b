import pg from 'pg';
import type { Position } from '@runtree/event-store';
import { newRunCount, type LoadedRows, type ProjectionCommit, type RowKeys, type StoredCheckpoint } from '../port/changes.js';
import { ReadStoreUnavailableError } from '../port/errors.js';
import { atOrAfter, positionOfColumns } from '../port/positions.js';
import type { CheckpointListener, ProjectorRole, ReadStore, TableSet } from '../port/read-store.js';
import { batchLoads } from '../sql/batch-loads.js';
import { numbered, postgresDialect } from '../sql/dialect.js';
import { ReadQueries } from '../sql/read-queries.js';
import { linkCoreOf, runRowOf, stepCoreOf, type DbRow } from '../sql/row-mapping.js';
import { allTables, queryIndexDdl, tableDdl, tableNames } from '../sql/tables.js';
import { acquireAdvisoryLock } from './advisory-lock.js';
import { writeChangesBatched } from './batched-writes.js';
import { CheckpointFeed, checkpointPayload } from './checkpoint-feed.js';
import { asReadStoreError } from './postgres-errors.js';
import { generationOf, migratePostgresSchema, setMeta } from './postgres-schema.js';

export interface PostgresReadStoreOptions {
  /** e.g. `postgresql://runtree@db:5432/runtree`. */
  readonly connectionString: string;
  /** The schema holding the tables (created if missing). Default `runtree`. */
  readonly schema?: string;
  /** Connections for queries and commits. Default 10. */
  readonly poolSize?: number;
}

const CONNECT_TIMEOUT_MS = 3000;
const STATEMENT_TIMEOUT_MS = 30_000;

type Client = pg.PoolClient;

/**
 * The read store several instances share. One of them projects at a time: it holds a session-level
 * advisory lock, so when it dies another one's blocked lock query returns and it takes over from the
 * stored checkpoint. Every commit moves the checkpoint by compare-and-set and NOTIFYs it, so each
 * instance's commands wait for their own writes without polling.
 */
export class PostgresReadStore extends ReadQueries implements ReadStore {
  readonly kind = 'postgres' as const;
  private readonly schema: string;
  private readonly config: pg.ClientConfig;
  private readonly pool: pg.Pool;
  private readonly feed: CheckpointFeed;
  private readonly where: string;
  private closed = false;

  constructor(options: PostgresReadStoreOptions) {
    super(postgresDialect);
    this.schema = options.schema ?? 'runtree';
    if (!/^[a-z_][a-z0-9_]{0,47}$/.test(this.schema)) throw new Error(`schema ${JSON.stringify(this.schema)} must be lower-case letters, digits and _ (at most 48)`);
    this.where = describeTarget(options.connectionString, this.schema);
    this.config = {
      connectionString: options.connectionString,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      options: `-c search_path=${this.schema} -c statement_timeout=${STATEMENT_TIMEOUT_MS}`,
      application_name: 'runtree',
    };
    this.pool = new pg.Pool({ ...this.config, max: options.poolSize ?? 10, idleTimeoutMillis: 30_000 });
    // An idle connection that breaks (the server restarted) must not crash the process; the next query gets a new one.
    this.pool.on('error', () => undefined);
    this.feed = new CheckpointFeed(this.config, `runtree_checkpoint_${this.schema}`, () => this.readCheckpoint('live'));
  }

  protected async all(sql: string, params: readonly unknown[]): Promise<DbRow[]> {
    return this.guard(async () => (await this.pool.query(numbered(sql), params as unknown[])).rows as DbRow[]);
  }

  async open(): Promise<void> {
    await this.withClient((client) => migratePostgresSchema(client, this.schema));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.feed.close();
    await this.pool.end().catch(() => undefined);
  }

  async checkAvailable(): Promise<void> {
    await this.all('SELECT version FROM projection_checkpoints WHERE table_set = ?', ['live']);
  }

  async acquireProjectorRole(signal: AbortSignal): Promise<ProjectorRole> {
    return this.guard(() => acquireAdvisoryLock(this.config, `runtree:projector:${this.schema}`, signal));
  }

  async exclusiveRebuild<T>(work: () => Promise<T>): Promise<T> {
    const role = await this.guard(() => acquireAdvisoryLock(this.config, `runtree:rebuild:${this.schema}`, new AbortController().signal));
    try {
      return await work();
    } finally {
      await role.release();
    }
  }

  watchCheckpoint(listener: CheckpointListener): () => void {
    return this.feed.add(listener);
  }

  async readCheckpoint(set: TableSet): Promise<StoredCheckpoint> {
    const [row] = await this.all('SELECT commit_position, prepare_position, version FROM projection_checkpoints WHERE table_set = ?', [set]);
    if (row === undefined) throw new ReadStoreUnavailableError(`The read store has no ${set} checkpoint: open() it first`);
    return { position: positionOfColumns(row.commit_position, row.prepare_position), version: Number(row.version) };
  }

  async recordedJournalId(): Promise<string | undefined> {
    const [row] = await this.all("SELECT value FROM read_store_meta WHERE key = 'journal_id'", []);
    return row === undefined ? undefined : String(row.value);
  }

  async load(set: TableSet, keys: RowKeys): Promise<LoadedRows> {
    const loads = batchLoads(set, postgresDialect);
    const [runs, links, steps] = await Promise.all([
      keys.runIds.length === 0 ? [] : this.all(loads.runs, [keys.runIds]),
      keys.links.length === 0 ? [] : this.all(loads.links, [keys.links.map((key) => key.parentRunId), keys.links.map((key) => key.childRunId)]),
      keys.steps.length === 0 ? [] : this.all(loads.steps, [keys.steps.map((key) => key.runId), keys.steps.map((key) => key.stepId)]),
    ]);
    return { runs: runs.map(runRowOf), links: links.map((row) => linkCoreOf(row)), steps: steps.map(stepCoreOf) };
  }

  async commit(set: TableSet, commit: ProjectionCommit): Promise<boolean> {
    const moved = { position: commit.to, version: commit.fromVersion + 1 };
    const committed = await this.transaction(async (client) => {
      const result = await client.query(
        'UPDATE projection_checkpoints SET commit_position = $1, prepare_position = $2, version = version + 1, run_count = run_count + $3 WHERE table_set = $4 AND version = $5',
        [String(commit.to.commit), String(commit.to.prepare), newRunCount(commit.changes), set, commit.fromVersion],
      );
      if (result.rowCount !== 1) return false;
      await writeChangesBatched(client, set, commit);
      if (set === 'live') await this.notify(client, moved);
      return true;
    });
    if (committed && set === 'live') this.feed.announce(moved);
    return committed;
  }

  async reset(set: TableSet, to: Position | 'start', options: { readonly forgetJournal?: boolean } = {}): Promise<StoredCheckpoint> {
    const checkpoint = await this.transaction(async (client) => {
      // The checkpoint row first: a projector's commit waits on it, then finds its version moved.
      const current = await client.query<{ version: string }>('SELECT version FROM projection_checkpoints WHERE table_set = $1 FOR UPDATE', [set]);
      if (set === 'live') {
        await client.query(`TRUNCATE ${allTables(tableNames('live')).join(', ')}`);
        if (options.forgetJournal) await client.query("DELETE FROM read_store_meta WHERE key = 'journal_id'");
      } else {
        for (const table of allTables(tableNames('rebuild'))) await client.query(`DROP TABLE IF EXISTS ${table}`);
        const generation = Math.max(await generationOf(client, 'generation'), await generationOf(client, 'rebuild_generation')) + 1;
        for (const statement of tableDdl(postgresDialect, tableNames('rebuild'), generation)) await client.query(statement);
        await setMeta(client, 'rebuild_generation', String(generation));
      }
      const version = Number(current.rows[0]?.version ?? 0) + 1;
      await client.query(
        `INSERT INTO projection_checkpoints (table_set, commit_position, prepare_position, version, run_count) VALUES ($1, $2, $3, $4, 0)
         ON CONFLICT (table_set) DO UPDATE SET commit_position = excluded.commit_position, prepare_position = excluded.prepare_position, version = excluded.version, run_count = 0`,
        [set, to === 'start' ? null : String(to.commit), to === 'start' ? null : String(to.prepare), version],
      );
      const reset: StoredCheckpoint = { position: to, version };
      if (set === 'live') await this.notify(client, reset);
      return reset;
    });
    if (set === 'live') this.feed.announce(checkpoint);
    return checkpoint;
  }

  async swapRebuild(): Promise<boolean> {
    const swapped = await this.transaction(async (client): Promise<StoredCheckpoint | undefined> => {
      const rows = await client.query(
        "SELECT table_set, commit_position, prepare_position, version, run_count FROM projection_checkpoints WHERE table_set IN ('live', 'rebuild') ORDER BY table_set FOR UPDATE",
      );
      const live = rows.rows.find((row) => row.table_set === 'live');
      const rebuilt = rows.rows.find((row) => row.table_set === 'rebuild');
      if (live === undefined || rebuilt === undefined) return undefined;
      const position = positionOfColumns(rebuilt.commit_position, rebuilt.prepare_position);
      if (!atOrAfter(position, positionOfColumns(live.commit_position, live.prepare_position))) return undefined;
      const liveNames = tableNames('live');
      const rebuildNames = tableNames('rebuild');
      const generation = await generationOf(client, 'rebuild_generation');
      for (const statement of queryIndexDdl(rebuildNames, generation)) await client.query(statement);
      await client.query(`DROP TABLE ${allTables(liveNames).join(', ')}`);
      for (const role of Object.keys(liveNames) as (keyof typeof liveNames)[]) await client.query(`ALTER TABLE ${rebuildNames[role]} RENAME TO ${liveNames[role]}`);
      await setMeta(client, 'generation', String(generation));
      const version = Number(live.version) + 1;
      await client.query(
        "UPDATE projection_checkpoints SET commit_position = $1, prepare_position = $2, version = $3, run_count = $4 WHERE table_set = 'live'",
        [position === 'start' ? null : String(position.commit), position === 'start' ? null : String(position.prepare), version, rebuilt.run_count],
      );
      await client.query("DELETE FROM projection_checkpoints WHERE table_set = 'rebuild'");
      const checkpoint: StoredCheckpoint = { position, version };
      await this.notify(client, checkpoint);
      return checkpoint;
    });
    if (swapped === undefined) return false;
    this.feed.announce(swapped);
    return true;
  }

  async runCount(): Promise<number> {
    const [row] = await this.all("SELECT run_count FROM projection_checkpoints WHERE table_set = 'live'", []);
    return Number(row?.run_count ?? 0);
  }

  private notify(client: Client, checkpoint: StoredCheckpoint): Promise<unknown> {
    return client.query('SELECT pg_notify($1, $2)', [`runtree_checkpoint_${this.schema}`, checkpointPayload(checkpoint)]);
  }

  private async transaction<T>(work: (client: Client) => Promise<T>): Promise<T> {
    return this.withClient(async (client) => {
      await client.query('BEGIN');
      try {
        const result = await work(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  }

  private async withClient<T>(work: (client: Client) => Promise<T>): Promise<T> {
    return this.guard(async () => {
      const client = await this.pool.connect();
      let broken: Error | undefined;
      try {
        return await work(client);
      } catch (error) {
        if (asReadStoreError(error, this.where) instanceof ReadStoreUnavailableError) broken = error as Error;
        throw error;
      } finally {
        client.release(broken);
      }
    });
  }

  private async guard<T>(work: () => Promise<T>): Promise<T> {
    if (this.closed) throw new ReadStoreUnavailableError(`The PostgreSQL read store at ${this.where} is closed`);
    try {
      return await work();
    } catch (error) {
      throw asReadStoreError(error, this.where);
    }
  }
}

/** Host, port, database and schema, without credentials: for messages. */
function describeTarget(connectionString: string, schema: string): string {
  try {
    const url = new URL(connectionString);
    return `${url.hostname}:${url.port || '5432'}${url.pathname} (schema ${schema})`;
  } catch {
    return `schema ${schema}`;
  }
}

export function openPostgresReadStore(options: PostgresReadStoreOptions): PostgresReadStore {
  return new PostgresReadStore(options);
}
