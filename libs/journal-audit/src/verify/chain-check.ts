import type { JsonValue } from '@runtree/event-store';
import { eventHash } from '@runtree/orchestration';
import { metadataField, type JournalEvent } from '../journal-file.js';
import { eventName, problemAt, type Problem } from './problem.js';

type JsonObject = { [key: string]: JsonValue };

function metadataWithoutHash(metadata: JsonObject): JsonObject {
  const { hash: _hash, ...rest } = metadata;
  return rest;
}

/**
 * Each stream's hash chain, in file order: every event's hash matches its content (so a changed
 * event is named), and its prevHash is the hash of the event before it in the same stream (so a
 * dropped, inserted or moved event breaks the chain at the event after the gap).
 */
export function checkChains(events: readonly JournalEvent[]): Problem[] {
  const problems: Problem[] = [];
  const previous = new Map<string, JournalEvent & { statedHash: string }>();
  for (const event of events) {
    const { line } = event;
    const metadata = line.metadata;
    const prevHash = metadataField(metadata, 'prevHash');
    const hash = metadataField(metadata, 'hash');
    if (typeof prevHash !== 'string' || typeof hash !== 'string') {
      problems.push(problemAt(event, 'has no hash chain in its metadata (prevHash, hash)'));
      continue;
    }
    const before = previous.get(line.stream);
    // The first event of a stream starts the chain with ''; an export always starts at revision 0.
    const expectedPrev = before?.statedHash ?? (line.revision === '0' ? '' : undefined);
    if (expectedPrev !== undefined && prevHash !== expectedPrev) {
      const after = before === undefined ? 'the start of the stream' : `the hash of ${eventName(before)}, the event before it`;
      problems.push(problemAt(event, `chain broken: prevHash is not ${after} (an event was dropped, inserted or moved)`));
    }
    const content = { streamName: line.stream, revision: BigInt(line.revision), id: line.eventId, type: line.type, data: line.data, metadata: metadataWithoutHash(metadata as JsonObject) };
    if (eventHash(prevHash, content) !== hash) problems.push(problemAt(event, `hash does not match the event's content (changed after it was written)`));
    if (line.hash !== hash) problems.push(problemAt(event, `the line's hash differs from the hash in its metadata`));
    previous.set(line.stream, { ...event, statedHash: hash });
  }
  return problems;
}
