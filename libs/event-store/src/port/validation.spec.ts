import { describe, expect, it } from '@jest/globals';
import { InvalidRequestError } from './errors.js';
import type { EventToAppend } from './types.js';
import {
  assertAfterPosition,
  assertCheckpointInterval,
  assertEventsToAppend,
  assertExpectedRevision,
  assertFilter,
  assertFromPosition,
  assertFromRevision,
  assertMaxCount,
  assertStreamMetadata,
  assertStreamName,
  assertStreamNames,
} from './validation.js';

const event: EventToAppend = { id: '0b0e6d4c-3c1a-4f5e-9a39-5b2f1f3c9d10', type: 'Happened', data: { n: 1 } };
const cyclic: { self?: unknown } = {};
cyclic.self = cyclic;

// Each row breaks one rule; the message must name the field, so a caller knows what to fix.
const refusals: Array<[rule: string, check: () => void, field: string]> = [
  ['an empty stream name', () => assertStreamName(''), 'streamName'],
  ['stream names that are not a list', () => assertStreamNames('run-1'), 'streamNames'],
  ['an empty name among stream names', () => assertStreamNames(['run-1', '']), 'streamNames[1]'],
  ['no events', () => assertEventsToAppend([]), 'events'],
  ['an event id that is not a UUID', () => assertEventsToAppend([event, { ...event, id: 'nope' }]), 'events[1].id'],
  ['an empty event type', () => assertEventsToAppend([{ ...event, type: '' }]), 'events[0].type'],
  ['event data that is not JSON', () => assertEventsToAppend([{ ...event, data: { at: new Date() } as never }]), 'events[0].data'],
  ['event data that refers to itself', () => assertEventsToAppend([{ ...event, data: cyclic as never }]), 'events[0].data'],
  ['event metadata that is not JSON', () => assertEventsToAppend([{ ...event, metadata: Number.NaN }]), 'events[0].metadata'],
  ['a negative expected revision', () => assertExpectedRevision(-1n), 'expectedRevision'],
  ['an unknown expected revision keyword', () => assertExpectedRevision('start'), 'expectedRevision'],
  ['a negative fromRevision', () => assertFromRevision(-1n), 'fromRevision'],
  ['a fractional maxCount', () => assertMaxCount(1.5), 'maxCount'],
  ['a negative maxCount', () => assertMaxCount(-1), 'maxCount'],
  ['a position with a negative part', () => assertFromPosition({ commit: 1n, prepare: -1n }), 'fromPosition'],
  ['a position of numbers', () => assertFromPosition({ commit: 1, prepare: 1 }), 'fromPosition'],
  ['a keyword as afterPosition', () => assertAfterPosition('start'), 'afterPosition'],
  ['an afterPosition with a negative part', () => assertAfterPosition({ commit: -1n, prepare: 0n }), 'afterPosition'],
  ['an empty stream name prefix list', () => assertFilter({ streamNamePrefixes: [] }), 'filter.streamNamePrefixes'],
  ['an empty event type prefix list', () => assertFilter({ eventTypePrefixes: [] }), 'filter.eventTypePrefixes'],
  ['a zero checkpointInterval', () => assertCheckpointInterval(0), 'checkpointInterval'],
  ['a negative metadata maxCount', () => assertStreamMetadata({ maxCount: -1 }), 'metadata.maxCount'],
  ['a zero metadata maxAge', () => assertStreamMetadata({ maxAge: 0 }), 'metadata.maxAge'],
  ['a negative metadata truncateBefore', () => assertStreamMetadata({ truncateBefore: -1n }), 'metadata.truncateBefore'],
  ['custom metadata that is not an object', () => assertStreamMetadata({ custom: ['a'] as never }), 'metadata.custom'],
  ['custom metadata that is not JSON', () => assertStreamMetadata({ custom: { at: new Date() as never } }), 'metadata.custom'],
  ['a $ key in custom metadata', () => assertStreamMetadata({ custom: { $acl: {} } }), 'metadata.custom'],
];

const acceptances: Array<[request: string, check: () => void]> = [
  ['an event with JSON data and metadata', () => assertEventsToAppend([{ ...event, metadata: { tags: ['a'], ok: true, none: null } }])],
  ['every expected revision keyword and a revision', () => ['no_stream', 'any', 'stream_exists', 0n].forEach(assertExpectedRevision)],
  ['options left out', () => {
    const optional = [assertFromRevision, assertFromPosition, assertAfterPosition, assertMaxCount, assertFilter, assertCheckpointInterval];
    for (const assert of optional) assert(undefined);
  }],
  ['start, end and a position', () => ['start', 'end', { commit: 0n, prepare: 0n }].forEach(assertFromPosition)],
  ['a position as afterPosition', () => assertAfterPosition({ commit: 0n, prepare: 0n })],
  ['a maxCount of zero', () => assertMaxCount(0)],
  ['every stream metadata field', () => assertStreamMetadata({ maxCount: 0, maxAge: 60, truncateBefore: 3n, custom: { owner: 'x' } })],
];

describe('request validation', () => {
  it.each(refusals)('refuses %s, naming the field', (_rule, check, field) => {
    const error = thrownBy(check);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as Error).message.startsWith(`${field} `)).toBe(true);
  });

  it.each(acceptances)('accepts %s', (_request, check) => {
    expect(check).not.toThrow();
  });
});

function thrownBy(check: () => void): unknown {
  try {
    check();
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal');
}
