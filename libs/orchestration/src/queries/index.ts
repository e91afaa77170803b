import { CollectQueryHandler } from './collect.query.js';
import { ListChildrenQueryHandler } from './list-children.query.js';
import { ListRunsQueryHandler } from './list-runs.query.js';
import { StatusQueryHandler } from './status.query.js';

export { CollectQuery, CollectQueryHandler } from './collect.query.js';
export { ListChildrenQuery, ListChildrenQueryHandler } from './list-children.query.js';
export { ListRunsQuery, ListRunsQueryHandler } from './list-runs.query.js';
export { StatusQuery, StatusQueryHandler } from './status.query.js';
export { readJournal, toJournalEntry } from './journal.js';

/** The query handlers to register as providers of the module. */
export const queryHandlers = [CollectQueryHandler, ListChildrenQueryHandler, ListRunsQueryHandler, StatusQueryHandler];
