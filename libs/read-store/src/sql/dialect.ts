/** The little that differs between the two databases' SQL; everything else is written once. */
export interface Dialect {
  readonly name: 'sqlite' | 'postgres';
  /** A join the planner must take in the written order (SQLite's CROSS JOIN); PostgreSQL plans joins well alone. */
  readonly orderedJoin: string;
  /** A run's listing key: assigned on insert, increasing. */
  readonly listingKeyColumn: string;
  readonly bigint: string;
}

export const sqliteDialect: Dialect = { name: 'sqlite', orderedJoin: 'CROSS JOIN', listingKeyColumn: 'listing_key INTEGER PRIMARY KEY', bigint: 'INTEGER' };
export const postgresDialect: Dialect = { name: 'postgres', orderedJoin: 'JOIN', listingKeyColumn: 'listing_key BIGINT PRIMARY KEY', bigint: 'BIGINT' };

/** `?` placeholders as PostgreSQL's `$1, $2, ...` (the SQL here holds no `?` in literals). */
export function numbered(sql: string): string {
  let index = 0;
  return sql.replace(/\?/g, () => `$${++index}`);
}
