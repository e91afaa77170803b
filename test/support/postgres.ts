import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The PostgreSQL the tests create their databases in (trust auth on this machine and in CI). */
export const TEST_POSTGRES_URL = process.env.RUNTREE_TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

/** A database of a test's own, dropped when the test is done with it. */
export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

function urlOf(database: string): string {
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (error) {
    // A test that needs PostgreSQL fails when it is missing (never skips): say how to start it.
    throw new Error(
      `PostgreSQL is not reachable at ${TEST_POSTGRES_URL} (${(error as Error).message}); start it (pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start) or set RUNTREE_TEST_POSTGRES_URL`,
      { cause: error },
    );
  }
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates an empty database with a unique name. */
export async function createTestDatabase(prefix = 'runtree_test'): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await withAdmin((client) => client.query(`CREATE DATABASE ${name}`));
  return {
    name,
    url: urlOf(name),
    drop: () => withAdmin(async (client) => void (await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))),
  };
}
