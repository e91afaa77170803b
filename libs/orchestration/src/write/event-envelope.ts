import type { EventToAppend, JsonValue } from '@runtree/event-store';
import type { DomainEvent } from '../events/event-registry.js';
import { currentSchemaVersion } from '../events/event-registry.js';
import { eventHash } from '../events/hash-chain.js';
import type { EventMetadata } from '../events/event-metadata.js';
import type { TraceContext } from '../tracing/trace-context.js';
import { nameBasedUuid } from './name-based-uuid.js';

/** Namespace of Runtree's derived event ids (UUID v5). */
const eventIdFor = nameBasedUuid('4f0f6f7e-6a8e-4e8b-9c55-2b1f3d0c7a11');

export interface CommandContext extends TraceContext {
  readonly commandId: string;
  readonly correlationId: string;
  readonly causationId: string;
  readonly occurredAt: string;
}

/**
 * Event ids derive from a seed (the command id, or the link event's id for the writes that create
 * a child), the stream, the type and the index, so a retried write carries the same ids and the
 * store answers it as an idempotent success.
 */
export function deriveEventId(seed: string, streamName: string, type: string, index: number): string {
  return eventIdFor(`${seed}|${streamName}|${type}|${index}`);
}

export interface Envelope {
  readonly events: EventToAppend[];
  readonly lastHash: string;
}

/** Gives events their ids and hash-chained metadata, continuing the stream's chain. */
export function envelope(
  streamName: string,
  firstRevision: bigint,
  prevHash: string,
  events: readonly DomainEvent[],
  context: CommandContext,
  idSeed: string = context.commandId,
): Envelope {
  let hash = prevHash;
  const enveloped = events.map((event, index): EventToAppend => {
    const id = deriveEventId(idSeed, streamName, event.type, index);
    const data = event.data as JsonValue;
    const unhashed: Omit<EventMetadata, 'hash'> = {
      commandId: context.commandId,
      correlationId: context.correlationId,
      causationId: context.causationId,
      schemaVersion: currentSchemaVersion,
      occurredAt: context.occurredAt,
      prevHash: hash,
      // The trace of the command that wrote it, so work that follows from the event joins that trace.
      ...(context.traceparent !== undefined ? { traceparent: context.traceparent } : {}),
      ...(context.tracestate !== undefined ? { tracestate: context.tracestate } : {}),
    };
    hash = eventHash(hash, { streamName, revision: firstRevision + BigInt(index), id, type: event.type, data, metadata: unhashed });
    const metadata: EventMetadata = { ...unhashed, hash };
    return { id, type: event.type, data, metadata: metadata as unknown as JsonValue };
  });
  return { events: enveloped, lastHash: hash };
}
