import { positionToString, type EventStore, type RecordedEvent } from '@runtree/event-store';
import type { JournalEntry } from '../api/model.js';
import { runStream } from '../streams/stream-names.js';

/**
 * The events of these runs' streams, read from the store (the journal is not copied), in global
 * commit order. A run whose stream an admin deleted has an empty journal.
 */
export async function readJournal(store: EventStore, runIds: readonly string[]): Promise<JournalEntry[]> {
  const events = await store.readStreams(runIds.map(runStream));
  return events.map(toJournalEntry);
}

export function toJournalEntry(event: RecordedEvent): JournalEntry {
  return {
    eventId: event.id,
    type: event.type,
    streamName: event.streamName,
    revision: event.revision.toString(),
    position: positionToString(event.position),
    data: event.data,
    metadata: event.metadata,
    created: event.created.toISOString(),
  };
}
