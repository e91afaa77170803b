import * as E from 'fp-ts/lib/Either.js';
import type { RecordedEvent } from '@runtree/event-store';
import { decodeDomainEvent, type DomainEvent } from '../events/event-registry.js';
import { decodeAccepted } from '../events/decode-accepted.js';
import { EventMetadataCodec, type EventMetadata } from '../events/event-metadata.js';

export class CorruptEventError extends Error {
  constructor(event: RecordedEvent, reason: string) {
    super(`Event ${event.streamName}@${event.revision} (${event.type}) cannot be read: ${reason}`);
    this.name = 'CorruptEventError';
  }
}

/** A stored event as the domain sees it; an event no codec accepts is a corrupt journal, not a domain error. */
export function decodeRecordedEvent(event: RecordedEvent): { domainEvent: DomainEvent; metadata: EventMetadata } {
  const metadata = decodeAccepted(EventMetadataCodec, event.metadata);
  if (E.isLeft(metadata)) throw new CorruptEventError(event, 'metadata does not match its codec');
  const decoded = decodeDomainEvent(event.type, event.data, metadata.right.schemaVersion);
  if (E.isLeft(decoded)) throw new CorruptEventError(event, decoded.left);
  return { domainEvent: decoded.right, metadata: metadata.right };
}
