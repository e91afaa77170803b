import { InvalidRequestError } from '../port/errors.js';
import type { EventFilter, EventToAppend, JsonValue, Position, StreamMetadata } from '../port/types.js';

// Checks the README's validation rules before anything reaches the server, so a caller's mistake
// is an InvalidRequestError and never a half-understood server or client error.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function assertStreamName(streamName: unknown): asserts streamName is string {
  if (typeof streamName !== 'string' || streamName.length === 0) {
    throw new InvalidRequestError('A stream name must be a non-empty string');
  }
}

export function assertEvents(events: readonly EventToAppend[]): void {
  if (!Array.isArray(events) || events.length === 0) throw new InvalidRequestError('An append needs at least one event');
  for (const event of events) {
    if (typeof event.id !== 'string' || !UUID.test(event.id)) throw new InvalidRequestError(`Event id ${String(event.id)} is not a UUID`);
    if (typeof event.type !== 'string' || event.type.length === 0) throw new InvalidRequestError(`Event ${event.id} has no type`);
    if (!isJsonValue(event.data)) throw new InvalidRequestError(`Event ${event.id} data is not JSON`);
    if (event.metadata !== undefined && !isJsonValue(event.metadata)) throw new InvalidRequestError(`Event ${event.id} metadata is not JSON`);
  }
}

export function isJsonValue(value: unknown): value is JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJsonValue);
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.values(value).every(isJsonValue);
  }
  return false;
}

export function assertMaxCount(maxCount: number | undefined): void {
  if (maxCount !== undefined && !(Number.isSafeInteger(maxCount) && maxCount >= 0)) {
    throw new InvalidRequestError(`maxCount must be a non-negative integer, got ${String(maxCount)}`);
  }
}

export function assertRevision(name: string, revision: unknown, keywords: readonly string[]): void {
  if (typeof revision === 'bigint' ? revision < 0n : !keywords.includes(revision as string)) {
    throw new InvalidRequestError(`${name} must be a non-negative bigint or one of ${keywords.join(', ')}, got ${String(revision)}`);
  }
}

export function assertPosition(name: string, position: unknown): void {
  if (position === undefined || position === 'start' || position === 'end') return;
  const { commit, prepare } = (position ?? {}) as Partial<Position>;
  if (typeof commit !== 'bigint' || typeof prepare !== 'bigint' || commit < 0n || prepare < 0n) {
    throw new InvalidRequestError(`${name} must be a Position with non-negative bigints, 'start' or 'end'`);
  }
}

export function assertFilter(filter: EventFilter | undefined): void {
  if (filter === undefined) return;
  const prefixes = 'streamNamePrefixes' in filter ? filter.streamNamePrefixes : filter.eventTypePrefixes;
  if (!Array.isArray(prefixes) || prefixes.length === 0 || !prefixes.every((prefix) => typeof prefix === 'string')) {
    throw new InvalidRequestError('A filter needs a non-empty list of string prefixes');
  }
}

export function assertCheckpointInterval(interval: number | undefined): void {
  if (interval !== undefined && !(Number.isSafeInteger(interval) && interval > 0)) {
    throw new InvalidRequestError(`checkpointInterval must be a positive integer, got ${String(interval)}`);
  }
}

export function assertStreamMetadata(metadata: StreamMetadata): void {
  const { maxCount, maxAge, truncateBefore, custom } = metadata;
  if (maxCount !== undefined && !(Number.isSafeInteger(maxCount) && maxCount >= 0)) {
    throw new InvalidRequestError(`Stream metadata maxCount must be a non-negative integer, got ${String(maxCount)}`);
  }
  if (maxAge !== undefined && !(Number.isSafeInteger(maxAge) && maxAge > 0)) {
    throw new InvalidRequestError(`Stream metadata maxAge must be a positive number of seconds, got ${String(maxAge)}`);
  }
  if (truncateBefore !== undefined && !(typeof truncateBefore === 'bigint' && truncateBefore >= 0n)) {
    throw new InvalidRequestError('Stream metadata truncateBefore must be a non-negative bigint');
  }
  if (custom !== undefined && !isJsonValue(custom)) throw new InvalidRequestError('Stream metadata custom fields must be JSON');
  const reserved = Object.keys(custom ?? {}).filter((key) => RESERVED_METADATA_KEYS.includes(key));
  if (reserved.length > 0) throw new InvalidRequestError(`Stream metadata custom fields may not use ${reserved.join(', ')}`);
}

/** EventStoreDB's own keys in a `$metadata` event; custom fields sit beside them. */
export const METADATA_KEYS = { maxCount: '$maxCount', maxAge: '$maxAge', truncateBefore: '$tb' } as const;
const RESERVED_METADATA_KEYS: readonly string[] = Object.values(METADATA_KEYS);
