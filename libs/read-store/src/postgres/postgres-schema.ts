import type pg from 'pg';
import { ReadStoreSchemaError } from '../port/errors.js';
import { postgresDialect } from '../sql/dialect.js';
import { allTables, metaTables, SCHEMA_VERSION, tableNames, tableSetDdl } from '../sql/tables.js';

type Queryable = Pick<pg.ClientBase, 'query'>;

export async function metaValue(client: Queryable, key: string): Promise<string | undefined> {
  const result = await client.query<{ value: string }>('SELECT value FROM read_store_meta WHERE key = $1', [key]);
  return result.rows[0]?.value;
}

export async function setMeta(client: Queryable, key: string, value: string): Promise<void> {
  await client.query('INSERT INTO read_store_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, value]);
}

export async function generationOf(client: Queryable, key: 'generation' | 'rebuild_generation'): Promise<number> {
  return Number((await metaValue(client, key)) ?? 0);
}

/**
 * Creates the schema, or brings an older one to this build's version, in one transaction under a
 * lock, so instances starting together do it once. Read models are a projection: an older schema's
 * tables are dropped and made anew at this version, and the projection replays the journal into
 * them. A newer schema is refused.
 */
export async function migratePostgresSchema(client: Queryable, schema: string): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`runtree:migrate:${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    for (const statement of metaTables(postgresDialect)) await client.query(statement);
    const found = await metaValue(client, 'schema_version');
    const version = found === undefined ? undefined : Number(found);
    if (version !== undefined && version > SCHEMA_VERSION) {
      throw new ReadStoreSchemaError(`The read store's schema is version ${version}; this build knows up to ${SCHEMA_VERSION}. Use a newer Runtree, or a new schema.`);
    }
    if (version !== SCHEMA_VERSION) {
      const generation = (await generationOf(client, 'generation')) + 1;
      for (const set of ['live', 'rebuild'] as const) for (const table of allTables(tableNames(set))) await client.query(`DROP TABLE IF EXISTS ${table}`);
      await client.query("DELETE FROM projection_checkpoints WHERE table_set = 'rebuild'");
      await client.query("DELETE FROM read_store_meta WHERE key = 'journal_id'");
      for (const statement of tableSetDdl(postgresDialect, tableNames('live'), generation)) await client.query(statement);
      await client.query(
        `INSERT INTO projection_checkpoints (table_set, commit_position, prepare_position, version, run_count) VALUES ('live', NULL, NULL, 0, 0)
         ON CONFLICT (table_set) DO UPDATE SET commit_position = NULL, prepare_position = NULL, version = projection_checkpoints.version + 1, run_count = 0`,
      );
      await setMeta(client, 'generation', String(generation));
      await setMeta(client, 'schema_version', String(SCHEMA_VERSION));
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
