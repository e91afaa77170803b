import type { SqliteEventStore } from '../../libs/event-store/src/sqlite/index.js';
import { perSecond } from '../support/stats.js';

/** One `readAll` of the whole log, forwards from the start; events per second. */
export async function measureReadAll(store: SqliteEventStore, expectedEvents: number): Promise<number> {
  const started = performance.now();
  const events = await store.readAll();
  const elapsed = performance.now() - started;
  // A short read would flatter the figure: refuse it.
  if (events.length !== expectedEvents) throw new Error(`readAll returned ${events.length} events, expected ${expectedEvents}`);
  return perSecond(events.length, elapsed);
}
