/** The little that differs between the two databases' SQL; everything else is written once. */
export interface Dialect {
  readonly name: 'sqlite' | 'postgres';
  /** A join the planner must take in the written order (SQLite's CROSS JOIN); PostgreSQL plans joins well alone. */
  readonly orderedJoin: string;
  /** A run's listing key: assigned on insert, increasing. */
  readonly listingKeyColumn: string;
  readonly bigint: string;
  /** A list of keys bound as one parameter (SQLite: a JSON array; PostgreSQL: a text array). */
  readonly keyList: string;
  /** Pairs of keys (SQLite: one JSON array of pairs; PostgreSQL: two text arrays, firsts then seconds). */
  readonly keyPairs: string;
}

export const sqliteDialect: Dialect = {
  name: 'sqlite',
  orderedJoin: 'CROSS JOIN',
  listingKeyColumn: 'listing_key INTEGER PRIMARY KEY',
  bigint: 'INTEGER',
  keyList: 'SELECT value FROM json_each(?)',
  keyPairs: 'SELECT value ->> 0, value ->> 1 FROM json_each(?)',
};
export const postgresDialect: Dialect = {
  name: 'postgres',
  orderedJoin: 'JOIN',
  listingKeyColumn: 'listing_key BIGINT PRIMARY KEY',
  bigint: 'BIGINT',
  keyList: 'SELECT unnest(?::text[])',
  keyPairs: 'SELECT * FROM unnest(?::text[], ?::text[])',
};

/** `?` placeholders as PostgreSQL's `$1, $2, ...` (the SQL here holds no `?` in literals). */
export function numbered(sql: string): string {
  let index = 0;
  return sql.replace(/\?/g, () => `$${++index}`);
}
