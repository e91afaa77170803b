import { comparePositions, positionToString, StreamNotFoundError, type EventStore, type RecordedEvent } from '@runtree/event-store';
import type { JournalEntry } from '../api/model.js';
import { runStream } from '../streams/stream-names.js';

/** The events of these runs' streams, read from the store (the journal is not copied), in global commit order. */
export async function readJournal(store: EventStore, runIds: readonly string[]): Promise<JournalEntry[]> {
  const streams = await Promise.all(runIds.map((runId) => readRunStream(store, runId)));
  const events = streams.length === 1 ? streams[0] : streams.flat().sort((a, b) => comparePositions(a.position, b.position));
  return events.map(toJournalEntry);
}

async function readRunStream(store: EventStore, runId: string): Promise<RecordedEvent[]> {
  try {
    return await store.readStream(runStream(runId));
  } catch (error) {
    // A run the read models know always has a stream, unless an admin deleted it: its journal is empty.
    if (error instanceof StreamNotFoundError) return [];
    throw error;
  }
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
