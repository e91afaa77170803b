import { describe, expect, it } from '@jest/globals';
import { InvalidRequestError, StreamNotFoundError } from '../src/port/errors.js';
import { comparePositions } from '../src/port/position.js';
import type { EventToAppend } from '../src/port/types.js';
import {
  expectWrongExpectedRevision,
  idsOf,
  newEvent,
  newEvents,
  rejectionOf,
  revisionsOf,
  uniquePrefix,
  type ConformanceTarget,
} from './support.js';

export function describeAppendCases(target: ConformanceTarget): void {
  describe('append and expected revision', () => {
    it('no_stream creates a new stream whose revisions start at 0', async () => {
      const stream = uniquePrefix();
      const events = newEvents(3);
      const result = await target.store.appendToStream(stream, events, { expectedRevision: 'no_stream' });
      expect(result.nextExpectedRevision).toBe(2n);
      const read = await target.store.readStream(stream);
      expect(idsOf(read)).toEqual(idsOf(events));
      expect(revisionsOf(read)).toEqual([0n, 1n, 2n]);
    });

    it('no_stream on a stream with events is refused with its last revision', async () => {
      const stream = uniquePrefix();
      await target.store.appendToStream(stream, newEvents(2), { expectedRevision: 'no_stream' });
      await expectWrongExpectedRevision(
        target.store.appendToStream(stream, [newEvent()], { expectedRevision: 'no_stream' }),
        'no_stream',
        1n,
      );
    });

    it('any appends to a new stream and to an existing one', async () => {
      const stream = uniquePrefix();
      expect((await target.store.appendToStream(stream, [newEvent()], { expectedRevision: 'any' })).nextExpectedRevision).toBe(0n);
      expect((await target.store.appendToStream(stream, [newEvent()], { expectedRevision: 'any' })).nextExpectedRevision).toBe(1n);
    });

    it('stream_exists on a stream that never existed is refused with no_stream', async () => {
      const stream = uniquePrefix();
      await expectWrongExpectedRevision(
        target.store.appendToStream(stream, [newEvent()], { expectedRevision: 'stream_exists' }),
        'stream_exists',
        'no_stream',
      );
      await expect(target.store.readStream(stream)).rejects.toBeInstanceOf(StreamNotFoundError);
    });

    it('stream_exists appends to an existing stream', async () => {
      const stream = uniquePrefix();
      await target.store.appendToStream(stream, [newEvent()], { expectedRevision: 'no_stream' });
      const result = await target.store.appendToStream(stream, [newEvent()], { expectedRevision: 'stream_exists' });
      expect(result.nextExpectedRevision).toBe(1n);
    });

    it('an exact revision equal to the last revision appends', async () => {
      const stream = uniquePrefix();
      const first = await target.store.appendToStream(stream, newEvents(2), { expectedRevision: 'no_stream' });
      const second = await target.store.appendToStream(stream, newEvents(2), { expectedRevision: first.nextExpectedRevision });
      expect(second.nextExpectedRevision).toBe(3n);
    });

    it('an exact revision behind the stream is refused with expected and actual', async () => {
      const stream = uniquePrefix();
      await target.store.appendToStream(stream, newEvents(3), { expectedRevision: 'no_stream' });
      await expectWrongExpectedRevision(target.store.appendToStream(stream, [newEvent()], { expectedRevision: 0n }), 0n, 2n);
    });

    it('an exact revision ahead of the stream is refused', async () => {
      const stream = uniquePrefix();
      await target.store.appendToStream(stream, [newEvent()], { expectedRevision: 'no_stream' });
      await expectWrongExpectedRevision(target.store.appendToStream(stream, [newEvent()], { expectedRevision: 5n }), 5n, 0n);
    });

    it('an exact revision on a stream that never existed is refused with no_stream', async () => {
      const stream = uniquePrefix();
      await expectWrongExpectedRevision(target.store.appendToStream(stream, [newEvent()], { expectedRevision: 0n }), 0n, 'no_stream');
    });

    it('writes nothing of a refused append', async () => {
      const stream = uniquePrefix();
      const kept = await target.store.appendToStream(stream, newEvents(2), { expectedRevision: 'no_stream' });
      await expectWrongExpectedRevision(target.store.appendToStream(stream, newEvents(3), { expectedRevision: 0n }), 0n, 1n);
      expect(revisionsOf(await target.store.readStream(stream))).toEqual([0n, 1n]);
      const next = await target.store.appendToStream(stream, [newEvent()], { expectedRevision: kept.nextExpectedRevision });
      expect(next.nextExpectedRevision).toBe(2n);
    });

    it('keeps one append contiguous with increasing positions, the result carrying the last one', async () => {
      const stream = uniquePrefix();
      const result = await target.store.appendToStream(stream, newEvents(5), { expectedRevision: 'no_stream' });
      const read = await target.store.readStream(stream);
      expect(revisionsOf(read)).toEqual([0n, 1n, 2n, 3n, 4n]);
      for (let index = 1; index < read.length; index += 1) {
        expect(comparePositions(read[index - 1].position, read[index].position)).toBe(-1);
      }
      expect(read[4].position).toEqual(result.position);
    });

    it('numbers revisions without gaps across appends', async () => {
      const stream = uniquePrefix();
      let expected: bigint | 'no_stream' = 'no_stream';
      for (const size of [1, 3, 2]) {
        expected = (await target.store.appendToStream(stream, newEvents(size), { expectedRevision: expected })).nextExpectedRevision;
      }
      expect(expected).toBe(5n);
      expect(revisionsOf(await target.store.readStream(stream))).toEqual([0n, 1n, 2n, 3n, 4n, 5n]);
    });
  });

  describe('append validation', () => {
    const refusals: Array<[string, (stream: string) => [string, EventToAppend[]]]> = [
      ['an empty stream name', () => ['', [newEvent()]]],
      ['an empty list of events', (stream) => [stream, []]],
      ['an event id that is not a UUID', (stream) => [stream, [{ ...newEvent(), id: 'not-a-uuid' }]]],
      ['an event with an empty type', (stream) => [stream, [newEvent(''), newEvent()]]],
    ];

    it.each(refusals)('refuses %s with InvalidRequestError and writes nothing', async (_case, request) => {
      const stream = uniquePrefix();
      const [streamName, events] = request(stream);
      const error = await rejectionOf(target.store.appendToStream(streamName, events, { expectedRevision: 'any' }));
      expect(error).toBeInstanceOf(InvalidRequestError);
      await expect(target.store.readStream(stream)).rejects.toBeInstanceOf(StreamNotFoundError);
    });
  });
}
