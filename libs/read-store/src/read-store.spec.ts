import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { Position } from '@runtree/event-store';
import Database from 'better-sqlite3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createTestDatabase } from '../../../test/support/postgres.js';
import { noChanges, type ReadModelChanges, type StoredCheckpoint } from './port/changes.js';
import { ReadStoreSchemaError } from './port/errors.js';
import type { ReadStore } from './port/read-store.js';
import type { RunRow } from './port/rows.js';
import { openPostgresReadStore } from './postgres/postgres-read-store.js';
import { openSqliteReadStore } from './sqlite/sqlite-read-store.js';

interface Opened {
  readonly store: ReadStore;
  /** Runs SQL on the database behind the store, as another program would. */
  exec(sql: string): Promise<void>;
  /** A second store on the same database (another process). */
  another(): ReadStore;
  /** The indexes of the live tables, by name without their generation, sorted. */
  liveIndexes(): Promise<string[]>;
  dispose(): Promise<void>;
}

const adapters: readonly { readonly name: string; open(): Promise<Opened> }[] = [
  {
    name: 'sqlite',
    async open() {
      const directory = await mkdtemp(join(tmpdir(), 'runtree-read-store-'));
      const path = join(directory, 'read.db');
      return {
        store: openSqliteReadStore({ path }),
        exec: async (sql) => {
          const db = new Database(path);
          db.exec(sql);
          db.close();
        },
        another: () => openSqliteReadStore({ path }),
        liveIndexes: async () => {
          const db = new Database(path, { readonly: true });
          const rows = db.prepare("SELECT name, tbl_name AS tableName FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'").all();
          db.close();
          return liveIndexNames(rows as IndexRow[]);
        },
        dispose: () => rm(directory, { recursive: true, force: true }),
      };
    },
  },
  {
    name: 'postgres',
    async open() {
      const database = await createTestDatabase();
      return {
        store: openPostgresReadStore({ connectionString: database.url }),
        exec: async (sql) => {
          const client = new pg.Client({ connectionString: database.url, options: '-c search_path=runtree' });
          await client.connect();
          await client.query(sql);
          await client.end();
        },
        another: () => openPostgresReadStore({ connectionString: database.url }),
        liveIndexes: async () => {
          const client = new pg.Client({ connectionString: database.url });
          await client.connect();
          const result = await client.query<IndexRow>("SELECT indexname AS name, tablename AS \"tableName\" FROM pg_indexes WHERE schemaname = 'runtree'");
          await client.end();
          return liveIndexNames(result.rows);
        },
        dispose: () => database.drop(),
      };
    },
  },
];

interface IndexRow {
  readonly name: string;
  readonly tableName: string;
}

const liveIndexNames = (rows: readonly IndexRow[]): string[] =>
  rows.filter((row) => !row.tableName.startsWith('rebuild_') && row.tableName !== 'read_store_meta' && row.tableName !== 'projection_checkpoints')
    .map((row) => row.name.replace(/_g\d+$/, '').replace(/^rebuild_/, '')) // PostgreSQL's implicit key name keeps its table's old name
    .sort();

const at = (n: number): Position => ({ commit: BigInt(n), prepare: BigInt(n) });

let lastListingKey = 0;

/** A new run row; each gets the next listing key unless `extra` gives one. */
function run(runId: string, extra: Partial<RunRow> = {}): RunRow {
  return {
    listingKey: ++lastListingKey,
    runId,
    kind: 'k',
    status: 'running',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    revision: 0,
    linked: false,
    threadPlacedByLink: false,
    depth: 0,
    rootRunId: runId,
    cancelRequested: false,
    stepCount: 0,
    activeStepCount: 0,
    childCount: 0,
    activeChildCount: 0,
    runningDescendants: 0,
    ...extra,
  };
}

/** A spawn link; `visible: false` is a pending one (its child not started yet). */
function link(parentRunId: string, childRunId: string, sequence: number, visible = true) {
  return {
    parentRunId, childRunId, relation: 'spawned' as const, substrate: 'run' as const, sequence, ownsSession: false, stopSessionOnCancel: false,
    placesThread: false, createdAt: '2026-01-01T00:00:00.000Z', visible, projectedOrder: sequence, metadata: {},
  };
}

function starting(...runIds: string[]): ReadModelChanges {
  return { ...noChanges, runs: runIds.map((runId) => run(runId)), runPayloads: runIds.map((runId) => ({ runId, metadata: { of: runId }, input: { big: 'x'.repeat(10) } })) };
}

describe.each(adapters)('ReadStore [$name]', (adapter) => {
  let opened: Opened;
  let store: ReadStore;
  const others: ReadStore[] = [];

  beforeEach(async () => {
    opened = await adapter.open();
    store = opened.store;
    await store.open();
  });

  afterEach(async () => {
    for (const other of others.splice(0)) await other.close();
    await store.close();
    await opened.dispose();
  });

  it('opens an empty schema at the start of the log, and opening again changes nothing', async () => {
    expect(await store.readCheckpoint('live')).toEqual({ position: 'start', version: 0 });
    await store.open();
    expect(await store.readCheckpoint('live')).toEqual({ position: 'start', version: 0 });
    expect(await store.runCount()).toBe(0);
  });

  it('commits rows with their checkpoint, and refuses a commit whose checkpoint moved (writing nothing)', async () => {
    const heard: StoredCheckpoint[] = [];
    store.watchCheckpoint({ moved: (checkpoint) => heard.push(checkpoint), interrupted: () => undefined });
    expect(await store.commit('live', { changes: starting('a', 'b'), fromVersion: 0, to: at(2), journalId: 'first' })).toBe(true);
    expect(await store.readCheckpoint('live')).toEqual({ position: at(2), version: 1 });
    expect(await store.runCount()).toBe(2);
    expect(await store.run('a')).toMatchObject({ runId: 'a', metadata: { of: 'a' }, input: { big: 'xxxxxxxxxx' } });

    expect(await store.commit('live', { changes: starting('c'), fromVersion: 0, to: at(3) })).toBe(false);
    expect(await store.run('c')).toBeUndefined();
    expect(await store.readCheckpoint('live')).toEqual({ position: at(2), version: 1 });
    expect(heard).toContainEqual({ position: at(2), version: 1 });
    expect(await store.recordedJournalId()).toBe('first');
  });

  it('resets the live tables to a position, forgetting the journal only when asked', async () => {
    await store.commit('live', { changes: starting('a'), fromVersion: 0, to: at(1), journalId: 'first' });
    expect(await store.reset('live', at(9))).toEqual({ position: at(9), version: 2 });
    expect([await store.run('a'), await store.runCount(), await store.recordedJournalId()]).toEqual([undefined, 0, 'first']);
    await store.reset('live', 'start', { forgetJournal: true });
    expect(await store.recordedJournalId()).toBeUndefined();
  });

  it('swaps rebuilt tables in only once they have caught up, and rebuilds again after that', async () => {
    await store.commit('live', { changes: starting('old'), fromVersion: 0, to: at(5) });
    for (const round of [1, 2]) {
      const rebuilding = await store.reset('rebuild', 'start');
      const built = await store.commit('rebuild', { changes: starting(`rebuilt-${round}`), fromVersion: rebuilding.version, to: at(4) });
      expect(built).toBe(true);
      expect(await store.swapRebuild()).toBe(false);
      expect(await store.run(`rebuilt-${round}`)).toBeUndefined();
      expect(await store.commit('rebuild', { changes: noChanges, fromVersion: rebuilding.version + 1, to: at(5) })).toBe(true);
      expect(await store.swapRebuild()).toBe(true);
      expect(await store.run(`rebuilt-${round}`)).toBeDefined();
      expect(await store.runCount()).toBe(1);
      expect((await store.readCheckpoint('live')).position).toEqual(at(5));
    }
    expect(await store.run('old')).toBeUndefined();
  });

  it('swaps rebuilt tables in with every index a new store has (the rebuild adds the query indexes once, before the swap)', async () => {
    const fresh = await opened.liveIndexes();
    expect(fresh).toEqual(expect.arrayContaining(['runs_by_id', 'runs_by_status', 'links_children', 'steps_in_order', 'sessions_owned_open']));
    const rebuilding = await store.reset('rebuild', 'start');
    await store.commit('rebuild', { changes: starting('a'), fromVersion: rebuilding.version, to: at(1) });
    expect(await store.swapRebuild()).toBe(true);
    expect(await opened.liveIndexes()).toEqual(fresh);
    expect(await store.listRuns({ status: 'running', limit: 10, include: { metadata: false, input: false, output: false } })).toMatchObject({ runs: [{ runId: 'a' }] });
  });

  it('loads the rows a batch names, runs, links and steps, and nothing for keys it does not hold', async () => {
    const step = (runId: string, stepId: string) => ({ runId, stepId, status: 'running' as const, sequence: 0, name: stepId, kind: 'tool', startedAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' });
    const changes = { ...starting('p', 'c1', 'c2'), links: [link('p', 'c1', 0), link('p', 'c2', 1)], steps: [step('c1', 's1'), step('c2', 's1')] };
    await store.commit('live', { changes, fromVersion: 0, to: at(1) });
    const loaded = await store.load('live', {
      runIds: ['c2', 'p', 'unknown'],
      links: [{ parentRunId: 'p', childRunId: 'c2' }, { parentRunId: 'c1', childRunId: 'c2' }],
      steps: [{ runId: 'c1', stepId: 's1' }, { runId: 'c1', stepId: 'other' }],
    });
    expect({
      runs: loaded.runs.map((row) => row.runId).sort(),
      links: loaded.links.map(({ parentRunId, childRunId, sequence, visible }) => ({ parentRunId, childRunId, sequence, visible })),
      steps: loaded.steps,
    }).toEqual({ runs: ['c2', 'p'], links: [{ parentRunId: 'p', childRunId: 'c2', sequence: 1, visible: true }], steps: [{ runId: 'c1', stepId: 's1', status: 'running' }] });
    expect(await store.load('live', { runIds: [], links: [], steps: [] })).toEqual({ runs: [], links: [], steps: [] });
  });

  it('gives a run’s descendants’ ids level by level, pending links too, as many as asked', async () => {
    // Written deepest first, so an answer in the order written would put a level after the one below it.
    const links = [link('b', 'b1', 3), link('a1', 'a11', 4), link('a', 'a1', 2, false), link('p', 'a', 0), link('p', 'b', 1), link('other', 'x', 5)];
    await store.commit('live', { changes: { ...starting('p', 'a', 'b', 'b1', 'a11', 'other', 'x'), links }, fromVersion: 0, to: at(1) });
    const levels = (ids: string[]) => [ids.slice(0, 2).sort(), ids.slice(2, 4).sort(), ids.slice(4)];
    expect(levels(await store.descendantIds('p', 100))).toEqual([['a', 'b'], ['a1', 'b1'], ['a11']]);
    const firstThree = await store.descendantIds('p', 3);
    expect(firstThree).toHaveLength(3);
    expect(firstThree.slice(0, 2).sort()).toEqual(['a', 'b']);
    expect(await store.descendantIds('x', 100)).toEqual([]);
    expect(await store.descendantIds('unknown', 100)).toEqual([]);
  });

  it('lists newest first by the listing key each run was given, whatever order its rows were written in', async () => {
    const keys = { b: 30, c: 10, a: 20 };
    const runIds = Object.keys(keys) as (keyof typeof keys)[];
    const changes = { ...starting(...runIds), runs: runIds.map((runId) => run(runId, { listingKey: keys[runId] })) };
    await store.commit('live', { changes, fromVersion: 0, to: at(30) });
    const none = { metadata: false, input: false, output: false };
    const first = await store.listRuns({ limit: 2, include: none });
    expect({ runs: first.runs.map((listed) => [listed.runId, listed.listingKey]), more: first.more }).toEqual({ runs: [['b', 30], ['a', 20]], more: true });
    const next = await store.listRuns({ limit: 2, afterKey: 20, include: none });
    expect({ runs: next.runs.map((listed) => listed.runId), more: next.more }).toEqual({ runs: ['c'], more: false });
  });

  it('refuses a schema newer than this build, naming both versions', async () => {
    await store.close();
    await opened.exec("UPDATE read_store_meta SET value = '99' WHERE key = 'schema_version'");
    store = opened.another();
    await expect(store.open()).rejects.toThrow(ReadStoreSchemaError);
    await expect(store.open()).rejects.toThrow(/version 99; this build knows up to 2/);
  });

  it('remakes the tables of an older schema empty, at the start of the log, for the projection to replay', async () => {
    await store.commit('live', { changes: starting('a'), fromVersion: 0, to: at(1), journalId: 'first' });
    await store.close();
    await opened.exec("UPDATE read_store_meta SET value = '0' WHERE key = 'schema_version'");
    store = opened.another();
    await store.open();
    expect((await store.readCheckpoint('live')).position).toBe('start');
    expect([await store.run('a'), await store.recordedJournalId()]).toEqual([undefined, undefined]);
  });
});

// SQLite is one process per file: its moves are told in-process. PostgreSQL is shared by instances.
describe('ReadStore [postgres, shared]', () => {
  let opened: Opened;
  let store: ReadStore;
  const others: ReadStore[] = [];

  beforeEach(async () => {
    opened = await adapters.find((adapter) => adapter.name === 'postgres')!.open();
    store = opened.store;
    await store.open();
  });

  afterEach(async () => {
    for (const other of others.splice(0)) await other.close();
    await store.close();
    await opened.dispose();
  });

  it('tells another process sharing it of each checkpoint move', async () => {
    const reader = opened.another();
    others.push(reader);
    await reader.open();
    const heard: StoredCheckpoint[] = [];
    const told = new Promise<void>((resolve) =>
      reader.watchCheckpoint({ moved: (checkpoint) => (heard.push(checkpoint), checkpoint.version === 1 && resolve()), interrupted: () => undefined }),
    );
    // Told by notification, or by the read of the checkpoint the feed makes when it connects: either way, told.
    await store.commit('live', { changes: starting('a'), fromVersion: 0, to: at(1) });
    await told;
    expect(heard.at(-1)).toEqual({ position: at(1), version: 1 });
  });


  it('gives the projector role to one instance at a time, and to the next when it is released', async () => {
    const other = opened.another();
    others.push(other);
    const first = await store.acquireProjectorRole(new AbortController().signal);
    let secondGranted = false;
    const second = other.acquireProjectorRole(new AbortController().signal).then((role) => ((secondGranted = true), role));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(secondGranted).toBe(false);
    await first.release();
    const role = await second;
    expect(secondGranted).toBe(true);
    await role.release();
  });

  it('stops waiting for the projector role when the wait is aborted', async () => {
    const other = opened.another();
    others.push(other);
    const held = await store.acquireProjectorRole(new AbortController().signal);
    const abort = new AbortController();
    const waiting = other.acquireProjectorRole(abort.signal);
    setTimeout(() => abort.abort(), 100);
    await expect(waiting).rejects.toThrow();
    await held.release();
  });
});
