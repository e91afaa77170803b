import * as E from 'fp-ts/lib/Either.js';
import { decodeDomainEvent, EventMetadataCodec, type DomainEvent, type SchemaRegistry } from '@runtree/orchestration';
import { describeDecodeErrors } from '../decode-errors.js';
import type { JournalEvent } from '../journal-file.js';
import { problemAt, type Problem } from './problem.js';

export interface DecodedEvent {
  readonly event: JournalEvent;
  readonly domainEvent: DomainEvent;
}

/** Every event's metadata and data against their codecs, older schema versions upcast first. */
export function checkCodecs(events: readonly JournalEvent[], registry: SchemaRegistry): { problems: Problem[]; decoded: DecodedEvent[] } {
  const problems: Problem[] = [];
  const decoded: DecodedEvent[] = [];
  for (const event of events) {
    const metadata = EventMetadataCodec.decode(event.line.metadata);
    if (E.isLeft(metadata)) {
      problems.push(problemAt(event, `metadata does not match its codec (${describeDecodeErrors(metadata.left)})`));
      continue;
    }
    const domainEvent = decodeDomainEvent(event.line.type, event.line.data, metadata.right.schemaVersion, registry);
    if (E.isLeft(domainEvent)) problems.push(problemAt(event, `does not decode: ${domainEvent.left}`));
    else decoded.push({ event, domainEvent: domainEvent.right });
  }
  return { problems, decoded };
}
