import type Database from 'better-sqlite3';
import { ReadStoreSchemaError } from '../port/errors.js';
import { sqliteDialect } from '../sql/dialect.js';
import { allTables, metaTables, SCHEMA_VERSION, tableNames, tableSetDdl } from '../sql/tables.js';

function metaValue(db: Database.Database, key: string): string | undefined {
  const row = db.prepare('SELECT value FROM read_store_meta WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value;
}

export function setMeta(db: Database.Database, key: string, value: string): void {
  db.prepare('INSERT INTO read_store_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
}

export function generationOf(db: Database.Database, key: 'generation' | 'rebuild_generation'): number {
  return Number(metaValue(db, key) ?? 0);
}

/** Creates the live tables at `generation` with their checkpoint at the start. */
function createLiveSet(db: Database.Database, generation: number): void {
  for (const statement of tableSetDdl(sqliteDialect, tableNames('live'), generation)) db.exec(statement);
  db.prepare(
    `INSERT INTO projection_checkpoints (table_set, commit_position, prepare_position, version, run_count) VALUES ('live', NULL, NULL, 0, 0)
     ON CONFLICT (table_set) DO UPDATE SET commit_position = NULL, prepare_position = NULL, version = projection_checkpoints.version + 1, run_count = 0`,
  ).run();
  setMeta(db, 'generation', String(generation));
}

/**
 * Creates the schema, or brings an older one to this build's version. Read models are a projection
 * of the journal, so an older schema is dropped and its tables made anew at this version: the
 * projection then replays the journal into them. A newer schema is refused: this build cannot read it.
 */
export function migrateSqliteSchema(db: Database.Database): void {
  db.transaction(() => {
    for (const statement of metaTables(sqliteDialect)) db.exec(statement);
    const found = metaValue(db, 'schema_version');
    const version = found === undefined ? undefined : Number(found);
    if (version === SCHEMA_VERSION) return;
    if (version !== undefined && version > SCHEMA_VERSION) {
      throw new ReadStoreSchemaError(`The read store's schema is version ${version}; this build knows up to ${SCHEMA_VERSION}. Use a newer Runtree, or a new read store.`);
    }
    const generation = generationOf(db, 'generation') + 1;
    for (const set of ['live', 'rebuild'] as const) for (const table of allTables(tableNames(set))) db.exec(`DROP TABLE IF EXISTS ${table}`);
    db.prepare("DELETE FROM projection_checkpoints WHERE table_set = 'rebuild'").run();
    db.prepare("DELETE FROM read_store_meta WHERE key = 'journal_id'").run();
    createLiveSet(db, generation);
    setMeta(db, 'schema_version', String(SCHEMA_VERSION));
  })();
}
