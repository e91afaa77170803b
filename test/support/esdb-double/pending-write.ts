// A write being received: its target, expected revision and the events so far, validated as the
// server validates them while reading the request (required metadata, UUID ids, append size).
import { MAX_APPEND_SIZE } from './errors.js';
import type { ExpectedRevision, ProposedEvent } from './model.js';
import { proposedEventOf, sizeOnDisk, type ProposedMessage } from './wire.js';

export type ProposedEventProblem =
  | { readonly kind: 'missing_metadata'; readonly property: string }
  | { readonly kind: 'invalid_id' }
  | { readonly kind: 'too_large' };

export class PendingWrite {
  private readonly proposed: ProposedEvent[] = [];
  private size = 0;

  constructor(
    readonly streamName: string,
    readonly expected: ExpectedRevision,
  ) {}

  get events(): readonly ProposedEvent[] {
    return this.proposed;
  }

  /** Adds the event, or says why the server would refuse the whole write. */
  add(message: ProposedMessage): ProposedEventProblem | undefined {
    const result = proposedEventOf(message);
    if (!result.ok) {
      return 'missingMetadata' in result
        ? { kind: 'missing_metadata', property: result.missingMetadata }
        : { kind: 'invalid_id' };
    }
    this.size += sizeOnDisk(result.event);
    if (this.size > MAX_APPEND_SIZE) return { kind: 'too_large' };
    this.proposed.push(result.event);
    return undefined;
  }
}
