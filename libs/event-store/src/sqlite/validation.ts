import { InvalidRequestError } from '../port/errors.js';
import type { EventToAppend, ExpectedRevision, StreamMetadata } from '../port/types.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function assertStreamName(streamName: string): void {
  if (typeof streamName !== 'string' || streamName.length === 0) {
    throw new InvalidRequestError('A stream name must be a non-empty string');
  }
}

export function assertExpectedRevision(expected: ExpectedRevision): void {
  if (typeof expected === 'bigint' ? expected < 0n : !['no_stream', 'any', 'stream_exists'].includes(expected)) {
    throw new InvalidRequestError(`Not an expected revision: ${String(expected)}`);
  }
}

export function assertMaxCount(maxCount: number | undefined): void {
  if (maxCount !== undefined && !(Number.isSafeInteger(maxCount) && maxCount >= 0)) {
    throw new InvalidRequestError(`maxCount must be a non-negative integer, got ${maxCount}`);
  }
}

/** Throws before anything is written; also proves each payload serialises to JSON. */
export function assertEventsToAppend(events: readonly EventToAppend[]): void {
  if (!Array.isArray(events) || events.length === 0) {
    throw new InvalidRequestError('An append needs at least one event');
  }
  for (const event of events) {
    if (typeof event.id !== 'string' || !UUID.test(event.id)) {
      throw new InvalidRequestError(`Event id is not a UUID: ${String(event.id)}`);
    }
    if (typeof event.type !== 'string' || event.type.length === 0) {
      throw new InvalidRequestError(`Event ${event.id} has no type`);
    }
    assertJson(event.data, `data of event ${event.id}`);
    if (event.metadata !== undefined) assertJson(event.metadata, `metadata of event ${event.id}`);
  }
}

export function assertStreamMetadata(metadata: StreamMetadata): void {
  const { maxCount, maxAge, truncateBefore, custom } = metadata;
  if (maxCount !== undefined && !(Number.isSafeInteger(maxCount) && maxCount >= 0)) {
    throw new InvalidRequestError(`Stream metadata maxCount must be a non-negative integer, got ${maxCount}`);
  }
  if (maxAge !== undefined && !(Number.isSafeInteger(maxAge) && maxAge > 0)) {
    throw new InvalidRequestError(`Stream metadata maxAge must be a positive number of seconds, got ${maxAge}`);
  }
  if (truncateBefore !== undefined && !(typeof truncateBefore === 'bigint' && truncateBefore >= 0n)) {
    throw new InvalidRequestError(`Stream metadata truncateBefore must be a non-negative bigint`);
  }
  if (custom !== undefined) assertJson(custom, 'custom stream metadata');
}

function assertJson(value: unknown, what: string): void {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new InvalidRequestError(`The ${what} is not JSON: ${(error as Error).message}`);
  }
  if (text === undefined) throw new InvalidRequestError(`The ${what} is not JSON`);
}
