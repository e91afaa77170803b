import Database from 'better-sqlite3';
import { siblingReadStorePath } from '@runtree/orchestration';
import { openDatabase } from '../../libs/event-store/src/sqlite/schema.js';
import { migrateSqliteSchema } from '../../libs/read-store/src/sqlite/sqlite-schema.js';
import { perSecond } from '../support/stats.js';

type Row = Record<string, unknown>;

/** One spawn's rows: its events and the streams they touch (journal), and its read-model rows. */
export interface SpawnRows {
  readonly events: readonly Row[];
  readonly streams: readonly Row[];
  /** The parent's stream row, one of `streams`: it exists before the spawn. */
  readonly parentStream: Row;
  readonly child: { readonly run: Row; readonly payload: Row | undefined; readonly link: Row };
  readonly parent: Row;
}

/**
 * The floor under a spawn with one caller: `spawns` (see spawnRowsOf) written one spawn after the
 * other into fresh files at `targetPath`, each as the facade must before it answers: its events and
 * stream rows committed as the journal commits (the journal's own `openDatabase`: WAL,
 * synchronous=FULL, one fsync), then its read-model rows and the checkpoint committed as the read
 * store commits (WAL, NORMAL, its own schema with every query index). Plain statements: nothing is
 * read, decoded, hashed, decided or folded, so no spawn that answers after its read models hold it
 * is faster on this disk. Spawns per second.
 */
export function measureSpawnFloor(spawns: readonly SpawnRows[], targetPath: string): number {
  const journal = openDatabase(targetPath, 'FULL');
  const readStore = freshReadStore(siblingReadStorePath(targetPath));
  try {
    const journalRows = rowWriter(journal);
    const readModelRows = rowWriter(readStore);
    const writeJournal = journalWriter(journal, journalRows);
    const writeReadModels = readModelWriter(readStore, readModelRows);
    // The parents exist before the clock starts, as they do before the bench's spawns.
    for (const spawn of new Map(spawns.map((spawn) => [spawn.parent.run_id, spawn])).values()) {
      journalRows.upsert('streams', 'stream_id', spawn.parentStream);
      readModelRows.upsert('runs', 'run_id', spawn.parent);
    }
    const started = performance.now();
    for (const spawn of spawns) {
      writeJournal.immediate(spawn);
      writeReadModels(spawn);
    }
    return perSecond(spawns.length, performance.now() - started);
  } finally {
    journal.close();
    readStore.close();
  }
}

/**
 * The rows of the first `spawns` spawns (or all there are) in the journal at `journalPath` and the
 * read store beside it: from each ChildSpawned to its child's RunStarted (one atomic append).
 */
export function spawnRowsOf(journalPath: string, spawns: number): SpawnRows[] {
  const journal = new Database(journalPath, { readonly: true });
  const readStore = new Database(siblingReadStorePath(journalPath), { readonly: true });
  try {
    journal.defaultSafeIntegers(true);
    const streamRow = journal.prepare('SELECT * FROM streams WHERE stream_id = ?');
    const runRow = readStore.prepare('SELECT * FROM runs WHERE run_id = ?');
    const payloadRow = readStore.prepare('SELECT * FROM run_payloads WHERE run_id = ?');
    const linkRow = readStore.prepare('SELECT * FROM links WHERE child_run_id = ?');
    const taken: SpawnRows[] = [];
    let group: Row[] | undefined;
    for (const event of journal.prepare('SELECT * FROM events ORDER BY position').iterate() as Iterable<Row>) {
      if (event.event_type === 'ChildSpawned') group = [];
      if (group === undefined) continue;
      group.push(event);
      if (event.event_type !== 'RunStarted') continue;
      const childRunId = String(event.stream_name).slice('run-'.length);
      const link = linkRow.get(childRunId) as Row;
      const streams = [...new Set(group.map((row) => row.stream_id))].map((id) => streamRow.get(id) as Row);
      taken.push({
        events: group,
        streams,
        parentStream: streams.find((stream) => stream.stream_id === group?.[0].stream_id) as Row,
        child: { run: runRow.get(childRunId) as Row, payload: payloadRow.get(childRunId) as Row | undefined, link },
        parent: runRow.get(link.parent_run_id) as Row,
      });
      group = undefined;
      if (taken.length === spawns) break;
    }
    if (taken.length === 0) throw new Error('the journal holds no spawn to write again');
    return taken;
  } finally {
    journal.close();
    readStore.close();
  }
}

/** A new read-store file, opened as the read store opens its own and with its schema. */
function freshReadStore(path: string): Database.Database {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  migrateSqliteSchema(db);
  return db;
}

/** One transaction: the spawn's events inserted, its streams' heads upserted. */
function journalWriter(db: Database.Database, rows: RowWriter) {
  return db.transaction((spawn: SpawnRows) => {
    for (const event of spawn.events) rows.insert('events', event);
    for (const stream of spawn.streams) rows.upsert('streams', 'stream_id', stream);
  });
}

/** One transaction: the child's rows inserted, the parent's counters and the checkpoint updated. */
function readModelWriter(db: Database.Database, rows: RowWriter) {
  const updateParent = db.prepare('UPDATE runs SET updated_at = ?, revision = ?, child_count = ?, active_child_count = ?, running_descendants = ? WHERE run_id = ?');
  const updateCheckpoint = db.prepare("UPDATE projection_checkpoints SET commit_position = ?, prepare_position = ?, version = version + 1, run_count = run_count + 1 WHERE table_set = 'live'");
  return db.transaction((spawn: SpawnRows) => {
    const { run, payload, link } = spawn.child;
    rows.insert('runs', run);
    if (payload !== undefined) rows.insert('run_payloads', payload);
    rows.insert('links', link);
    const { parent } = spawn;
    updateParent.run(parent.updated_at, parent.revision, parent.child_count, parent.active_child_count, parent.running_descendants, parent.run_id);
    const position = spawn.events[spawn.events.length - 1].position;
    updateCheckpoint.run(position, position);
  });
}

interface RowWriter {
  insert(table: string, row: Row): void;
  upsert(table: string, key: string, row: Row): void;
}

/** Plain INSERTs (and upserts on `key`) of whole rows into `db`, each statement prepared once. */
function rowWriter(db: Database.Database): RowWriter {
  const statements = new Map<string, Database.Statement>();
  const run = (sql: string, row: Row) => {
    let statement = statements.get(sql);
    if (statement === undefined) statements.set(sql, (statement = db.prepare(sql)));
    statement.run(...Object.values(row));
  };
  const insertSql = (table: string, columns: readonly string[]) => `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
  return {
    insert: (table, row) => run(insertSql(table, Object.keys(row)), row),
    upsert: (table, key, row) => {
      const columns = Object.keys(row);
      const updates = columns.filter((column) => column !== key).map((column) => `${column} = excluded.${column}`);
      run(`${insertSql(table, columns)} ON CONFLICT (${key}) DO UPDATE SET ${updates.join(', ')}`, row);
    },
  };
}
