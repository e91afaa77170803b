import { randomBytes } from 'node:crypto';
import { dumbo, endPool, rawSql, single } from '@event-driven-io/dumbo';

/** The server the peer runs on; the bench creates a database of its own on it and drops it after. */
export const POSTGRES_ADMIN_URL = process.env.RUNTREE_BENCH_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

/** The server settings that decide whether a commit waits for the disk. */
export interface PostgresDurability {
  readonly serverVersion: string;
  readonly fsync: string;
  readonly synchronousCommit: string;
  readonly walSyncMethod: string;
}

export interface BenchDatabase {
  readonly name: string;
  readonly connectionString: string;
  readonly durability: PostgresDurability;
  drop(): Promise<void>;
}

/** A fresh, empty database for one bench run; fails with a message naming the server when it cannot. */
export async function createBenchDatabase(): Promise<BenchDatabase> {
  const name = `runtree_bench_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const durability = await withAdmin(async (admin) => {
    await admin.execute.command(rawSql(`CREATE DATABASE ${name}`));
    const setting = async (parameter: string) =>
      Object.values(await single(admin.execute.query<Record<string, string>>(rawSql(`SHOW ${parameter}`))))[0] ?? 'unknown';
    return {
      serverVersion: await setting('server_version'),
      fsync: await setting('fsync'),
      synchronousCommit: await setting('synchronous_commit'),
      walSyncMethod: await setting('wal_sync_method'),
    };
  });
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    name,
    connectionString: url.toString(),
    durability,
    // FORCE: a pool connection still closing must not keep the database alive.
    drop: () => withAdmin((admin) => admin.execute.command(rawSql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))).then(() => undefined),
  };
}

async function withAdmin<T>(work: (admin: ReturnType<typeof dumbo>) => Promise<T>): Promise<T> {
  const admin = dumbo({ connectionString: POSTGRES_ADMIN_URL });
  try {
    return await work(admin);
  } catch (error) {
    const reason = error instanceof Error ? error.message || error.name : String(error);
    throw new Error(`the peer section could not use PostgreSQL at ${POSTGRES_ADMIN_URL}: ${reason} (set RUNTREE_BENCH_POSTGRES_URL to use another server)`, { cause: error });
  } finally {
    // dumbo caches pools per connection string; end this one whatever else holds it.
    await endPool({ connectionString: POSTGRES_ADMIN_URL, force: true });
  }
}
