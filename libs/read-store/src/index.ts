export * from './port/rows.js';
export * from './port/changes.js';
export * from './port/errors.js';
export * from './port/list-query.js';
export * from './port/read-store.js';
export { atOrAfter } from './port/positions.js';
export { openSqliteReadStore, SqliteReadStore, type SqliteReadStoreOptions } from './sqlite/sqlite-read-store.js';
export { openPostgresReadStore, PostgresReadStore, type PostgresReadStoreOptions } from './postgres/postgres-read-store.js';
