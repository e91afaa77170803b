import { describe, expect, it } from '@jest/globals';
import { InvalidRequestError, StreamNotFoundError } from '../src/port/errors.js';
import { comparePositions } from '../src/port/position.js';
import type { EventStore, Position, ReadStreamsOptions, RecordedEvent } from '../src/port/types.js';
import { idsOf, newEvents, rejectionOf, revisionsOf, uniquePrefix, type ConformanceTarget } from './support.js';

/** A stream of ten events, revisions 0…9. */
async function tenEventStream(store: EventStore): Promise<string> {
  const stream = uniquePrefix();
  await store.appendToStream(stream, newEvents(10), { expectedRevision: 'no_stream' });
  return stream;
}

/** Streams of these lengths written in turns (a0 b0 c0 a1 b1 ...); `ids` in the order written, which is log order. */
async function interleavedStreams(store: EventStore, lengths: readonly number[]): Promise<{ names: string[]; ids: string[] }> {
  const names = lengths.map(() => uniquePrefix());
  const ids: string[] = [];
  for (let revision = 0; revision < Math.max(...lengths); revision++) {
    for (const [index, name] of names.entries()) {
      if (revision >= lengths[index]) continue;
      const [event] = newEvents(1);
      await store.appendToStream(name, [event], { expectedRevision: revision === 0 ? 'no_stream' : BigInt(revision - 1) });
      ids.push(event.id);
    }
  }
  return { names, ids };
}

/** Pages of `pageSize` events, each after the last event of the page before, until a short page. */
async function pagesOf(store: EventStore, names: readonly string[], pageSize: number): Promise<RecordedEvent[][]> {
  const pages: RecordedEvent[][] = [];
  let afterPosition: Position | undefined;
  for (;;) {
    const page = await store.readStreams(names, { afterPosition, maxCount: pageSize });
    pages.push(page);
    if (page.length < pageSize || pages.length > 100) return pages;
    afterPosition = page[page.length - 1].position;
  }
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

    it('reads only the events strictly after afterPosition', async () => {
      const { names, ids } = await interleavedStreams(target.store, [3, 2, 3]);
      const all = await target.store.readStreams(names);
      expect(idsOf(await target.store.readStreams(names, { afterPosition: all[2].position }))).toEqual(ids.slice(3));
      expect(await target.store.readStreams(names, { afterPosition: all[all.length - 1].position })).toEqual([]);
    });

    it('reads at most maxCount events, the first in global log order across the streams', async () => {
      const { names, ids } = await interleavedStreams(target.store, [3, 2, 3]);
      const all = await target.store.readStreams(names);
      expect(idsOf(await target.store.readStreams(names, { maxCount: 4 }))).toEqual(ids.slice(0, 4));
      expect(idsOf(await target.store.readStreams(names, { afterPosition: all[1].position, maxCount: 3 }))).toEqual(ids.slice(2, 5));
      expect(await target.store.readStreams(names, { maxCount: 0 })).toEqual([]);
    });

    it('walks every event exactly once, in log order, with the last position of each page as the next cursor', async () => {
      const { names } = await interleavedStreams(target.store, [5, 1, 4]);
      const pages = await pagesOf(target.store, names, 3);
      expect(pages.map((page) => page.length)).toEqual([3, 3, 3, 1]);
      expect(pages.flat()).toEqual(await target.store.readStreams(names));
    });

    it('reads nothing from missing or deleted streams in a page', async () => {
      const [kept, deleted] = [await tenEventStream(target.store), await tenEventStream(target.store)];
      await target.store.deleteStream(deleted);
      const [, second] = await target.store.readStream(kept);
      const read = await target.store.readStreams([uniquePrefix(), deleted, kept], { afterPosition: second.position, maxCount: 3 });
      expect(read.map((event) => [event.streamName, event.revision])).toEqual([[kept, 2n], [kept, 3n], [kept, 4n]]);
    });

    it('fills a page past the events that stream metadata hides', async () => {
      const hiding = await tenEventStream(target.store);
      await target.store.setStreamMetadata(hiding, { maxCount: 3 });
      const later = uniquePrefix();
      await target.store.appendToStream(later, newEvents(2), { expectedRevision: 'no_stream' });
      const read = await target.store.readStreams([hiding, later], { maxCount: 4 });
      expect(read.map((event) => [event.streamName, event.revision])).toEqual([[hiding, 7n], [hiding, 8n], [hiding, 9n], [later, 0n]]);
    });

    it('refuses a bad afterPosition or maxCount, naming the option', async () => {
      const refused: Array<[options: ReadStreamsOptions, option: string]> = [
        [{ afterPosition: 'start' as never }, 'afterPosition'],
        [{ afterPosition: { commit: -1n, prepare: 0n } }, 'afterPosition'],
        [{ maxCount: -1 }, 'maxCount'],
        [{ maxCount: 1.5 }, 'maxCount'],
      ];
      for (const [options, option] of refused) {
        const error = await rejectionOf(target.store.readStreams([uniquePrefix()], options));
        expect(error).toBeInstanceOf(InvalidRequestError);
        expect((error as Error).message).toMatch(new RegExp(`^${option} must be`));
      }
    });

    it('refuses an empty stream name, naming its place in the list', async () => {
      const error = await rejectionOf(target.store.readStreams([uniquePrefix(), '']));
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect((error as Error).message).toMatch(/^streamNames\[1\] must be a non-empty string/);
    });
  });
}
