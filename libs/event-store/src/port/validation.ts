import { InvalidRequestError } from './errors.js';
import type { EventFilter, EventToAppend, JsonValue, Position, StreamAppend, StreamMetadata } from './types.js';

// The README's request rules, checked by every adapter before it touches its database, so a caller's
// mistake is the same InvalidRequestError on every store and never a half-understood database error.
// Parameters are `unknown` because JavaScript callers and deserialised requests bypass the types.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const EXPECTED_REVISION_KEYWORDS = ['no_stream', 'any', 'stream_exists'];
const FROM_REVISION_KEYWORDS = ['start', 'end'];

export function assertStreamName(streamName: unknown): asserts streamName is string {
  if (typeof streamName !== 'string' || streamName.length === 0) {
    throw new InvalidRequestError(`streamName must be a non-empty string, got ${printable(streamName)}`);
  }
}

export function assertStreamNames(streamNames: unknown): asserts streamNames is readonly string[] {
  if (!Array.isArray(streamNames)) throw new InvalidRequestError(`streamNames must be an array, got ${printable(streamNames)}`);
  streamNames.forEach((streamName: unknown, index) => {
    if (typeof streamName !== 'string' || streamName.length === 0) {
      throw new InvalidRequestError(`streamNames[${index}] must be a non-empty string, got ${printable(streamName)}`);
    }
  });
}

export function assertEventsToAppend(events: unknown): asserts events is readonly EventToAppend[] {
  if (!Array.isArray(events) || events.length === 0) throw new InvalidRequestError('events must be a non-empty array');
  events.forEach((event: unknown, index) => {
    const field = `events[${index}]`;
    const { id, type, data, metadata } = (event ?? {}) as Partial<EventToAppend>;
    if (typeof id !== 'string' || !UUID.test(id)) throw new InvalidRequestError(`${field}.id must be a UUID, got ${printable(id)}`);
    if (typeof type !== 'string' || type.length === 0) {
      throw new InvalidRequestError(`${field}.type must be a non-empty string, got ${printable(type)}`);
    }
    assertJson(`${field}.data`, data);
    if (metadata !== undefined) assertJson(`${field}.metadata`, metadata);
  });
}

/** A multi-stream append: at least one stream, each named once, each part valid as a single append. */
export function assertStreamAppends(appends: unknown): asserts appends is readonly StreamAppend[] {
  if (!Array.isArray(appends) || appends.length === 0) throw new InvalidRequestError('appends must be a non-empty array');
  const seen = new Set<string>();
  appends.forEach((append: unknown, index) => {
    const { streamName, events, expectedRevision } = (append ?? {}) as Partial<StreamAppend>;
    if (typeof streamName !== 'string' || streamName.length === 0) {
      throw new InvalidRequestError(`appends[${index}].streamName must be a non-empty string, got ${printable(streamName)}`);
    }
    if (seen.has(streamName)) throw new InvalidRequestError(`appends[${index}].streamName ${streamName} appears twice: each stream may appear once`);
    seen.add(streamName);
    try {
      assertEventsToAppend(events);
      assertExpectedRevision(expectedRevision);
    } catch (error) {
      if (error instanceof InvalidRequestError) throw new InvalidRequestError(`appends[${index}].${error.message}`);
      throw error;
    }
  });
}

export function assertExpectedRevision(expectedRevision: unknown): void {
  assertRevision('expectedRevision', expectedRevision, EXPECTED_REVISION_KEYWORDS);
}

/** Absent means the direction's default. */
export function assertFromRevision(fromRevision: unknown): void {
  if (fromRevision !== undefined) assertRevision('fromRevision', fromRevision, FROM_REVISION_KEYWORDS);
}

/** Absent means the direction's default. */
export function assertFromPosition(fromPosition: unknown): void {
  if (fromPosition === 'start' || fromPosition === 'end') return;
  assertPosition('fromPosition', fromPosition, "'start', 'end' or a Position of non-negative bigints");
}

/** Absent means from the start of the log. */
export function assertAfterPosition(afterPosition: unknown): void {
  assertPosition('afterPosition', afterPosition, 'a Position of non-negative bigints');
}

export function assertMaxCount(maxCount: unknown): void {
  if (maxCount !== undefined && !isIntegerAtLeast(maxCount, 0)) {
    throw new InvalidRequestError(`maxCount must be a non-negative integer, got ${printable(maxCount)}`);
  }
}

/** An empty prefix list would match nothing, which is never what a caller means. */
export function assertFilter(filter: unknown): asserts filter is EventFilter | undefined {
  if (filter === undefined) return;
  if (typeof filter !== 'object' || filter === null) {
    throw new InvalidRequestError(`filter must be { streamNamePrefixes } or { eventTypePrefixes }, got ${printable(filter)}`);
  }
  const kind = 'streamNamePrefixes' in filter ? 'streamNamePrefixes' : 'eventTypePrefixes';
  const prefixes = (filter as { [key: string]: unknown })[kind];
  if (!Array.isArray(prefixes) || prefixes.length === 0 || !prefixes.every((prefix) => typeof prefix === 'string')) {
    throw new InvalidRequestError(`filter.${kind} must be a non-empty array of strings, got ${printable(prefixes)}`);
  }
}

export function assertCheckpointInterval(checkpointInterval: unknown): void {
  if (checkpointInterval !== undefined && !isIntegerAtLeast(checkpointInterval, 1)) {
    throw new InvalidRequestError(`checkpointInterval must be a positive integer, got ${printable(checkpointInterval)}`);
  }
}

export function assertStreamMetadata(metadata: StreamMetadata): void {
  const { maxCount, maxAge, truncateBefore, custom } = metadata;
  if (maxCount !== undefined && !isIntegerAtLeast(maxCount, 0)) {
    throw new InvalidRequestError(`metadata.maxCount must be a non-negative integer, got ${printable(maxCount)}`);
  }
  if (maxAge !== undefined && !isIntegerAtLeast(maxAge, 1)) {
    throw new InvalidRequestError(`metadata.maxAge must be a positive integer number of seconds, got ${printable(maxAge)}`);
  }
  if (truncateBefore !== undefined && !(typeof truncateBefore === 'bigint' && truncateBefore >= 0n)) {
    throw new InvalidRequestError(`metadata.truncateBefore must be a non-negative bigint, got ${printable(truncateBefore)}`);
  }
  if (custom === undefined) return;
  if (!isPlainObject(custom)) throw new InvalidRequestError(`metadata.custom must be a JSON object, got ${printable(custom)}`);
  assertJson('metadata.custom', custom);
  // EventStoreDB keeps its own settings ($maxCount, $tb, $acl, ...) beside custom fields in one JSON object;
  // refused on every store so metadata that works on one also works on the others.
  const reserved = Object.keys(custom).filter((key) => key.startsWith('$'));
  if (reserved.length > 0) {
    throw new InvalidRequestError(`metadata.custom may not use keys starting with $, got ${reserved.join(', ')}`);
  }
}

function assertRevision(field: string, revision: unknown, keywords: readonly string[]): void {
  if (typeof revision === 'bigint' ? revision < 0n : !keywords.includes(revision as string)) {
    const allowed = `a non-negative bigint or one of ${keywords.join(', ')}`;
    throw new InvalidRequestError(`${field} must be ${allowed}, got ${printable(revision)}`);
  }
}

/** Absent passes: every position option is optional. */
function assertPosition(field: string, position: unknown, allowed: string): void {
  if (position === undefined) return;
  const { commit, prepare } = (position ?? {}) as Partial<Position>;
  if (typeof commit !== 'bigint' || typeof prepare !== 'bigint' || commit < 0n || prepare < 0n) {
    throw new InvalidRequestError(`${field} must be ${allowed}, got ${printable(position)}`);
  }
}

function assertJson(field: string, value: unknown): void {
  if (!isJsonValue(value, new Set())) {
    throw new InvalidRequestError(`${field} must be JSON: plain objects, arrays, strings, finite numbers, booleans, null; no cycles`);
  }
}

/**
 * Stricter than "JSON.stringify does not throw": a Date, a class instance, NaN or an `undefined` field
 * would be stored as something other than what was given, and read back changed.
 */
function isJsonValue(value: unknown, ancestors: Set<object>): value is JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (!Array.isArray(value) && !isPlainObject(value)) return false;
  if (ancestors.has(value)) return false;
  ancestors.add(value);
  const valid = Object.values(value).every((child) => isJsonValue(child, ancestors));
  ancestors.delete(value);
  return valid;
}

function isPlainObject(value: unknown): value is { [key: string]: unknown } {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

function isIntegerAtLeast(value: unknown, minimum: number): value is number {
  return Number.isSafeInteger(value) && (value as number) >= minimum;
}

/** For messages: bigints and strings as the caller would recognise them. */
function printable(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'object' && value !== null) {
    try {
      return JSON.stringify(value, (_key, child: unknown) => (typeof child === 'bigint' ? `${child}n` : child)) ?? String(value);
    } catch {
      return Object.prototype.toString.call(value);
    }
  }
  return String(value);
}
