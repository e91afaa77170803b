import type { EventFilter, RecordedEvent } from '../port/types.js';

// Client-side filtering of `$all` reads: the 6.2.1 client sends filters only on subscriptions.

export function isSystemEvent(event: RecordedEvent): boolean {
  return event.type.startsWith('$');
}

/** What `readAll` returns: user events that match the filter, if any. */
export function isWanted(event: RecordedEvent, filter: EventFilter | undefined): boolean {
  if (isSystemEvent(event)) return false;
  if (filter === undefined) return true;
  const [field, prefixes] =
    'streamNamePrefixes' in filter ? [event.streamName, filter.streamNamePrefixes] : [event.type, filter.eventTypePrefixes];
  return prefixes.some((prefix) => field.startsWith(prefix));
}
