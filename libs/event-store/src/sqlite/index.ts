export { openSqliteEventStore, type SqliteEventStoreOptions } from './open-sqlite-event-store.js';
export { SqliteEventStore } from './sqlite-event-store.js';
export type { GroupCommitStats } from './group-commit.js';
