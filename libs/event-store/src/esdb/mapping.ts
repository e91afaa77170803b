import {
  ANY,
  eventTypeFilter,
  excludeSystemEvents,
  jsonEvent,
  NO_STREAM,
  STREAM_EXISTS,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type AppendExpectedRevision,
  type EventData,
  type ExpectedRevision as ClientExpectedRevision,
  type Filter,
  type JSONType,
  type Position as ClientPosition,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { StoreUnavailableError } from '../port/errors.js';
import type { EventFilter, EventToAppend, ExpectedRevision, JsonValue, Position, RecordedEvent, StreamMetadata } from '../port/types.js';

// One-to-one translations between the port's shapes and @eventstore/db-client's. The successor client
// (@kurrent/kurrentdb-client) renames `expectedRevision` to `streamState`: that swap is confined to this file.

export function toClientExpectedRevision(expected: Exclude<ExpectedRevision, 'stream_exists'>): ClientExpectedRevision;
export function toClientExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision;
export function toClientExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'no_stream':
      return NO_STREAM;
    case 'any':
      return ANY;
    case 'stream_exists':
      return STREAM_EXISTS;
    default:
      return expected;
  }
}

const utf8 = new TextEncoder();

export function toClientEvent(event: EventToAppend): EventData {
  return jsonEvent({
    id: event.id,
    type: event.type,
    // The client's JSONType leaves out JSON primitives (null, numbers, booleans); it serialises them fine.
    data: event.data as JSONType,
    // Sent as bytes: the client drops falsy JSON metadata (false, 0, "", null) but keeps any bytes.
    metadata: event.metadata === undefined ? undefined : utf8.encode(JSON.stringify(event.metadata)),
  });
}

/** Our event, or undefined for a link whose target is gone (we never resolve links). */
export function toRecordedEvent(resolved: ResolvedEvent | AllStreamResolvedEvent): RecordedEvent | undefined {
  const event = resolved.event;
  if (!event) return undefined;
  if (!event.position) throw new StoreUnavailableError(`EventStoreDB returned event ${event.id} without a position`);
  return {
    id: event.id,
    type: event.type,
    streamName: event.streamId,
    revision: event.revision,
    position: toPosition(event.position),
    data: toJson(event.data),
    metadata: toJson(event.metadata),
    created: event.created,
  };
}

/** Non-JSON payloads (written by other tools as bytes) come back as base64 strings rather than being dropped. */
function toJson(value: unknown): JsonValue {
  if (value === undefined) return null;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  return value as JsonValue;
}

export function toPosition(position: ClientPosition): Position {
  return { commit: position.commit, prepare: position.prepare };
}

/** The server's page size for filtered reads; it sends a checkpoint every `multiplier × window` events read. */
const DEFAULT_SEARCH_WINDOW = 32;

export interface CheckpointOptions {
  /** Emit at least every this many events read. */
  readonly interval: number;
  readonly onCheckpoint: (position: Position) => void;
}

/** The server-side filter for a `$all` subscription; without a user filter it still excludes system events. */
export function toClientFilter(filter: EventFilter | undefined, checkpoint?: CheckpointOptions): Filter {
  const checkpointOptions = checkpoint && {
    maxSearchWindow: Math.min(checkpoint.interval, DEFAULT_SEARCH_WINDOW),
    checkpointInterval: Math.floor(checkpoint.interval / Math.min(checkpoint.interval, DEFAULT_SEARCH_WINDOW)),
    checkpointReached: (_subscription: unknown, position: ClientPosition) => checkpoint.onCheckpoint(toPosition(position)),
  };
  if (filter === undefined) return excludeSystemEvents(checkpointOptions);
  if ('streamNamePrefixes' in filter) return streamNameFilter({ prefixes: [...filter.streamNamePrefixes], ...checkpointOptions });
  return eventTypeFilter({ prefixes: [...filter.eventTypePrefixes], ...checkpointOptions });
}

/** EventStoreDB's own keys in a `$metadata` event; the port refuses `$` keys in custom fields, so none collide. */
const METADATA_KEYS = { maxCount: '$maxCount', maxAge: '$maxAge', truncateBefore: '$tb' } as const;

/** The JSON body of a `$metadata` event: EventStoreDB's keys, custom fields beside them. */
export function toMetadataEventData(metadata: StreamMetadata): { [key: string]: JsonValue } {
  const data: { [key: string]: JsonValue } = { ...metadata.custom };
  if (metadata.maxCount !== undefined) data[METADATA_KEYS.maxCount] = metadata.maxCount;
  if (metadata.maxAge !== undefined) data[METADATA_KEYS.maxAge] = metadata.maxAge;
  if (metadata.truncateBefore !== undefined) data[METADATA_KEYS.truncateBefore] = Number(metadata.truncateBefore);
  return data;
}

export function fromMetadataEventData(data: JsonValue): StreamMetadata {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return {};
  const { [METADATA_KEYS.maxCount]: maxCount, [METADATA_KEYS.maxAge]: maxAge, [METADATA_KEYS.truncateBefore]: truncateBefore, ...custom } = data;
  return {
    ...(typeof maxCount === 'number' && { maxCount }),
    ...(typeof maxAge === 'number' && { maxAge }),
    // A soft delete sets $tb to Int64.MaxValue, past a double's exact range; BigInt keeps what JSON gave us.
    ...(typeof truncateBefore === 'number' && { truncateBefore: BigInt(truncateBefore) }),
    ...(Object.keys(custom).length > 0 && { custom }),
  };
}
