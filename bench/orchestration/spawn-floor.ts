import Database from 'better-sqlite3';
import { siblingReadStorePath } from '@runtree/orchestration';
import { EVENT_INDEXES, eventsTable, streamsTable } from '../../libs/event-store/src/sqlite/journal-tables.js';
import { sqliteDialect } from '../../libs/read-store/src/sql/dialect.js';
import { metaTables, tableNames, tableSetDdl } from '../../libs/read-store/src/sql/tables.js';
import { perSecond } from '../support/stats.js';

type Row = Record<string, unknown>;

/** One spawn's rows: its events and the streams they touch (journal), and its read-model rows. */
interface SpawnRows {
  readonly events: readonly Row[];
  readonly streams: readonly Row[];
  readonly child: { readonly run: Row; readonly payload: Row | undefined; readonly link: Row };
  readonly parent: Row;
}

/**
 * The floor under a spawn with one caller: the first `spawns` spawns' own rows (or all there are), from the journal at
 * `journalPath` and the read store beside it, written one spawn after the other into fresh files,
 * each spawn as the facade must before it answers: its events and stream rows committed as the
 * journal commits (WAL, synchronous=FULL: one fsync), then its read-model rows and the checkpoint
 * committed as the read store commits (WAL, NORMAL, every query index). Plain statements: nothing
 * is read, decoded, hashed, decided or folded, so no spawn that answers after its read models
 * hold it is faster on this disk.
 */
export function measureSpawnFloor(journalPath: string, targetPath: string, spawns: number): { readonly spawnsPerSecond: number; readonly spawns: number } {
  const taken = spawnRowsOf(journalPath, spawns);
  const journal = freshJournal(targetPath);
  const readStore = freshReadStore(siblingReadStorePath(targetPath));
  try {
    const writeJournal = journalWriter(journal);
    const writeReadModels = readModelWriter(readStore);
    // The parents exist before the clock starts, as they do before the bench's spawns.
    const parents = new Map(taken.map((spawn) => [spawn.parent.run_id, spawn]));
    for (const spawn of parents.values()) {
      upsert(journal, 'streams', 'stream_id', spawn.streams.filter((stream) => !spawn.events.some((event) => event.stream_id === stream.stream_id && event.revision === 0n)));
      upsert(readStore, 'runs', 'run_id', [spawn.parent]);
    }
    const started = performance.now();
    for (const spawn of taken) {
      writeJournal.immediate(spawn);
      writeReadModels(spawn);
    }
    return { spawnsPerSecond: perSecond(taken.length, performance.now() - started), spawns: taken.length };
  } finally {
    journal.close();
    readStore.close();
  }
}

/** The first `spawns` spawns of the journal: from each ChildSpawned to its child's RunStarted (one atomic append). */
function spawnRowsOf(journalPath: string, spawns: number): SpawnRows[] {
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
      const streamIds = [...new Set(group.map((row) => row.stream_id))];
      taken.push({
        events: group,
        streams: streamIds.map((id) => streamRow.get(id) as Row),
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

function freshJournal(path: string): Database.Database {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`${eventsTable('events')}\n${streamsTable('streams')}\n${EVENT_INDEXES}`);
  return db;
}

function freshReadStore(path: string): Database.Database {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  for (const statement of [...metaTables(sqliteDialect), ...tableSetDdl(sqliteDialect, tableNames('live'), 1)]) db.exec(statement);
  db.exec("INSERT INTO projection_checkpoints (table_set, commit_position, prepare_position, version, run_count) VALUES ('live', NULL, NULL, 0, 0)");
  return db;
}

/** One transaction: the spawn's events inserted, its streams' heads upserted. */
function journalWriter(db: Database.Database) {
  return db.transaction((spawn: SpawnRows) => {
    insert(db, 'events', spawn.events);
    upsert(db, 'streams', 'stream_id', spawn.streams);
  });
}

/** One transaction: the child's rows inserted, the parent's counters and the checkpoint updated. */
function readModelWriter(db: Database.Database) {
  const updateParent = db.prepare('UPDATE runs SET updated_at = ?, revision = ?, child_count = ?, active_child_count = ?, running_descendants = ? WHERE run_id = ?');
  const updateCheckpoint = db.prepare("UPDATE projection_checkpoints SET commit_position = ?, prepare_position = ?, version = version + 1, run_count = run_count + 1 WHERE table_set = 'live'");
  return db.transaction((spawn: SpawnRows) => {
    const { run, payload, link } = spawn.child;
    insert(db, 'runs', [run]);
    if (payload !== undefined) insert(db, 'run_payloads', [payload]);
    insert(db, 'links', [link]);
    const { parent } = spawn;
    updateParent.run(parent.updated_at, parent.revision, parent.child_count, parent.active_child_count, parent.running_descendants, parent.run_id);
    const position = spawn.events[spawn.events.length - 1].position;
    updateCheckpoint.run(position, position);
  });
}

const statements = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/** The statement for `sql` on `db`, prepared once. */
function prepared(db: Database.Database, sql: string): Database.Statement {
  let cache = statements.get(db);
  if (cache === undefined) statements.set(db, (cache = new Map()));
  let statement = cache.get(sql);
  if (statement === undefined) cache.set(sql, (statement = db.prepare(sql)));
  return statement;
}

function insert(db: Database.Database, table: string, rows: readonly Row[]): void {
  for (const row of rows) {
    const columns = Object.keys(row);
    prepared(db, `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`).run(...Object.values(row));
  }
}

function upsert(db: Database.Database, table: string, key: string, rows: readonly Row[]): void {
  for (const row of rows) {
    const columns = Object.keys(row);
    const updates = columns.filter((column) => column !== key).map((column) => `${column} = excluded.${column}`);
    prepared(db, `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) ON CONFLICT (${key}) DO UPDATE SET ${updates.join(', ')}`).run(...Object.values(row));
  }
}
