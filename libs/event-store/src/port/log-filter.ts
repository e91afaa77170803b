import type { EventFilter } from './types.js';

// What a reader of the global log (`readAll`, `$all` subscriptions) sees, the same on every store.

/** System events (`$metadata`, `$streamDeleted`, ...) belong to the store, not to its users. */
export function isSystemEventType(eventType: string): boolean {
  return eventType.startsWith('$');
}

/** User events only, and with a filter only those whose stream name, or type, starts with one of its prefixes. */
export function isVisibleInGlobalLog(streamName: string, eventType: string, filter: EventFilter | undefined): boolean {
  if (isSystemEventType(eventType)) return false;
  if (filter === undefined) return true;
  const [field, prefixes] =
    'streamNamePrefixes' in filter ? [streamName, filter.streamNamePrefixes] : [eventType, filter.eventTypePrefixes];
  return prefixes.some((prefix) => field.startsWith(prefix));
}
