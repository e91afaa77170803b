import { describe, expect, it } from '@jest/globals';
import { InvalidRequestError, StreamNotFoundError } from '../src/port/errors.js';
import { comparePositions } from '../src/port/position.js';
import type { EventStore } from '../src/port/types.js';
import { idsOf, newEvents, rejectionOf, revisionsOf, uniquePrefix, type ConformanceTarget } from './support.js';

/** A stream of ten events, revisions 0…9. */
async function tenEventStream(store: EventStore): Promise<string> {
  const stream = uniquePrefix();
  await store.appendToStream(stream, newEvents(10), { expectedRevision: 'no_stream' });
  return stream;
}

export function describeReadStreamCases(target: ConformanceTarget): void {
  describe('reading a stream', () => {
    it('reads forwards from the start by default, with every field of the event', async () => {
      const stream = uniquePrefix();
      const events = newEvents(3, 'ThingHappened');
      const result = await target.store.appendToStream(stream, events, { expectedRevision: 'no_stream' });
      const read = await target.store.readStream(stream);
      expect(idsOf(read)).toEqual(idsOf(events));
      expect(read.map((event) => [event.type, event.streamName, event.data])).toEqual(
        events.map((event) => ['ThingHappened', stream, event.data]),
      );
      expect(read[2].position).toEqual(result.position);
    });

    it('reads forwards from a revision, inclusive', async () => {
      const stream = await tenEventStream(target.store);
      expect(revisionsOf(await target.store.readStream(stream, { fromRevision: 7n }))).toEqual([7n, 8n, 9n]);
    });

    it('reads forwards at most maxCount events', async () => {
      const stream = await tenEventStream(target.store);
      expect(revisionsOf(await target.store.readStream(stream, { fromRevision: 2n, maxCount: 3 }))).toEqual([2n, 3n, 4n]);
    });

    it('reads backwards from the end by default', async () => {
      const stream = await tenEventStream(target.store);
      expect(revisionsOf(await target.store.readStream(stream, { direction: 'backwards', maxCount: 3 }))).toEqual([9n, 8n, 7n]);
    });

    it('reads backwards from a revision, inclusive, at most maxCount events', async () => {
      const stream = await tenEventStream(target.store);
      const read = await target.store.readStream(stream, { direction: 'backwards', fromRevision: 4n, maxCount: 2 });
      expect(revisionsOf(read)).toEqual([4n, 3n]);
      const toStart = await target.store.readStream(stream, { direction: 'backwards', fromRevision: 2n });
      expect(revisionsOf(toStart)).toEqual([2n, 1n, 0n]);
    });

    it('reads nothing forwards from beyond the last revision', async () => {
      const stream = await tenEventStream(target.store);
      expect(await target.store.readStream(stream, { fromRevision: 10n })).toEqual([]);
    });

    it('throws StreamNotFoundError, naming the stream, for a stream that never existed', async () => {
      const stream = uniquePrefix();
      const error = await rejectionOf(target.store.readStream(stream));
      expect(error).toBeInstanceOf(StreamNotFoundError);
      expect((error as StreamNotFoundError).streamName).toBe(stream);
      await expect(target.store.readStream(stream, { direction: 'backwards' })).rejects.toBeInstanceOf(StreamNotFoundError);
    });
  });

  describe('reading several streams at once', () => {
    it('merges the streams in global log order, each event once', async () => {
      const [first, second] = [uniquePrefix(), uniquePrefix()];
      const a = newEvents(2);
      const b = newEvents(1);
      const c = newEvents(2);
      await target.store.appendToStream(first, a, { expectedRevision: 'no_stream' });
      await target.store.appendToStream(second, b, { expectedRevision: 'no_stream' });
      await target.store.appendToStream(first, c, { expectedRevision: 1n });
      const read = await target.store.readStreams([second, first, second]);
      expect(idsOf(read)).toEqual(idsOf([...a, ...b, ...c]));
      expect(read.map((event) => event.streamName)).toEqual([first, first, second, first, first]);
      expect(read).toEqual([...(await target.store.readStream(first)), ...(await target.store.readStream(second))].sort((x, y) => comparePositions(x.position, y.position)));
    });

    it('reads nothing for streams that never existed or were deleted, and no streams at all', async () => {
      const [kept, deleted] = [await tenEventStream(target.store), await tenEventStream(target.store)];
      await target.store.deleteStream(deleted);
      const read = await target.store.readStreams([uniquePrefix(), deleted, kept]);
      expect(read.map((event) => event.streamName)).toEqual(Array(10).fill(kept));
      expect(await target.store.readStreams([])).toEqual([]);
    });

    it('hides what stream metadata hides, as readStream does', async () => {
      const stream = await tenEventStream(target.store);
      await target.store.setStreamMetadata(stream, { maxCount: 3 });
      expect(revisionsOf(await target.store.readStreams([stream]))).toEqual([7n, 8n, 9n]);
    });

    it('refuses an empty stream name, naming its place in the list', async () => {
      const error = await rejectionOf(target.store.readStreams([uniquePrefix(), '']));
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect((error as Error).message).toMatch(/^streamNames\[1\] must be a non-empty string/);
    });
  });
}
