import { describe, expect, it } from '@jest/globals';
import type { JsonValue } from '@runtree/event-store';
import { currentSchemaVersion, type DomainEvent } from '../events/event-registry.js';
import { eventHash } from '../events/hash-chain.js';
import { deriveEventId, envelope, type CommandContext } from './event-envelope.js';

const context: CommandContext = { commandId: 'command-1', correlationId: 'correlation-1', causationId: 'cause-1', occurredAt: '2025-01-01T00:00:00.000Z' };
const events: DomainEvent[] = [
  { type: 'StepCancelled', data: { stepId: 'a', reason: 'r' } },
  { type: 'StepCancelled', data: { stepId: 'b', reason: 'r' } },
  { type: 'RunCompleted', data: { output: 1 } },
];
const STREAM = 'run-1';
const FIRST_REVISION = 7n;
const PREV_HASH = 'hash-of-revision-6';

type Metadata = { readonly [key: string]: JsonValue };
const metadataOf = (event: { metadata?: JsonValue }): Metadata => event.metadata as Metadata;

describe('deriveEventId', () => {
  const id = deriveEventId('seed', STREAM, 'RunCompleted', 0);

  it('is a UUID v5, the same for the same seed, stream, type and index', () => {
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(deriveEventId('seed', STREAM, 'RunCompleted', 0)).toBe(id);
  });

  it.each<[string, [string, string, string, number]]>([
    ['seed', ['other-seed', STREAM, 'RunCompleted', 0]],
    ['stream', ['seed', 'run-2', 'RunCompleted', 0]],
    ['type', ['seed', STREAM, 'RunFailed', 0]],
    ['index', ['seed', STREAM, 'RunCompleted', 1]],
  ])('differs when the %s differs', (_name, args) => {
    expect(deriveEventId(...args)).not.toBe(id);
  });
});

describe('envelope', () => {
  const result = envelope(STREAM, FIRST_REVISION, PREV_HASH, events, context);

  it('keeps the events in order with their type and data', () => {
    expect(result.events.map(({ type, data }) => ({ type, data }))).toEqual(events);
  });

  it('derives each id from the command id, the stream, the type and the index in the append', () => {
    expect(result.events.map((event) => event.id)).toEqual(events.map((event, index) => deriveEventId(context.commandId, STREAM, event.type, index)));
  });

  it('derives the ids from the given seed instead of the command id when one is given', () => {
    const seeded = envelope(STREAM, FIRST_REVISION, PREV_HASH, events, context, 'link-event-id');
    expect(seeded.events.map((event) => event.id)).toEqual(events.map((event, index) => deriveEventId('link-event-id', STREAM, event.type, index)));
  });

  it('writes the command context and the current schema version into every metadata', () => {
    for (const event of result.events) {
      expect(metadataOf(event)).toMatchObject({ ...context, schemaVersion: currentSchemaVersion });
    }
  });

  it('chains the hashes: the first continues the stream, each next one follows the previous, and lastHash is the last', () => {
    const hashes = result.events.map((event) => metadataOf(event)['hash']);
    expect(result.events.map((event) => metadataOf(event)['prevHash'])).toEqual([PREV_HASH, ...hashes.slice(0, -1)]);
    expect(new Set(hashes).size).toBe(events.length);
    expect(result.lastHash).toBe(hashes.at(-1));
  });

  it('hashes each event over its stream, revision, id, type, data and metadata without the hash', () => {
    result.events.forEach((event, index) => {
      const { hash, ...unhashed } = metadataOf(event);
      expect(hash).toBe(
        eventHash(unhashed['prevHash'] as string, { streamName: STREAM, revision: FIRST_REVISION + BigInt(index), id: event.id, type: event.type, data: event.data, metadata: unhashed }),
      );
    });
  });

  it('gives the same envelope for a retried write', () => {
    expect(envelope(STREAM, FIRST_REVISION, PREV_HASH, events, context)).toEqual(result);
  });

  it('gives other hashes at another revision, with the same ids', () => {
    const later = envelope(STREAM, FIRST_REVISION + 1n, PREV_HASH, events, context);
    expect(later.events.map((event) => event.id)).toEqual(result.events.map((event) => event.id));
    expect(later.lastHash).not.toBe(result.lastHash);
  });

  it('records the trace context of a traced command in every metadata, under the hash, and nothing when untraced', () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const traced = envelope(STREAM, FIRST_REVISION, PREV_HASH, events, { ...context, traceparent, tracestate: 'vendor=1' });
    for (const event of traced.events) expect(metadataOf(event)).toMatchObject({ traceparent, tracestate: 'vendor=1' });
    expect(traced.lastHash).not.toBe(result.lastHash);
    for (const event of result.events) expect(Object.keys(metadataOf(event))).not.toContain('traceparent');
  });

  it('leaves the chain where it was for an empty append', () => {
    expect(envelope(STREAM, FIRST_REVISION, PREV_HASH, [], context)).toEqual({ events: [], lastHash: PREV_HASH });
  });
});
