import { describe, expect, it } from '@jest/globals';
import { StreamNotFoundError } from '../src/port/errors.js';
import {
  expectWrongExpectedRevision,
  idsOf,
  newEvent,
  newEvents,
  revisionsOf,
  sleep,
  uniquePrefix,
  type ConformanceTarget,
} from './support.js';

export function describeMetadataCases(target: ConformanceTarget): void {
  describe('stream metadata', () => {
    it('is empty, at no_stream, for a stream that has none', async () => {
      const stream = uniquePrefix();
      expect(await target.store.getStreamMetadata(stream)).toEqual({ streamName: stream, metadata: {}, metastreamRevision: 'no_stream' });
    });

    it('round-trips every field and is replaced as a whole', async () => {
      const stream = uniquePrefix();
      const metadata = { maxCount: 10, maxAge: 3600, truncateBefore: 2n, custom: { owner: 'runtree', limits: { depth: 3 }, flag: true } };
      await target.store.setStreamMetadata(stream, metadata);
      expect(await target.store.getStreamMetadata(stream)).toEqual({ streamName: stream, metadata, metastreamRevision: 0n });
      await target.store.setStreamMetadata(stream, { custom: { owner: 'someone else' } });
      expect(await target.store.getStreamMetadata(stream)).toEqual({
        streamName: stream,
        metadata: { custom: { owner: 'someone else' } },
        metastreamRevision: 1n,
      });
    });

    it('checks the expected revision of the metastream', async () => {
      const stream = uniquePrefix();
      await target.store.setStreamMetadata(stream, { maxCount: 5 }, { expectedRevision: 'no_stream' });
      await expectWrongExpectedRevision(target.store.setStreamMetadata(stream, { maxCount: 6 }, { expectedRevision: 'no_stream' }), 'no_stream', 0n);
      await expectWrongExpectedRevision(target.store.setStreamMetadata(stream, { maxCount: 6 }, { expectedRevision: 3n }), 3n, 0n);
      await target.store.setStreamMetadata(stream, { maxCount: 7 }, { expectedRevision: 0n });
      expect((await target.store.getStreamMetadata(stream)).metadata).toEqual({ maxCount: 7 });
    });

    it('maxCount keeps only the last events readable', async () => {
      const stream = uniquePrefix();
      await target.store.appendToStream(stream, newEvents(5), { expectedRevision: 'no_stream' });
      await target.store.setStreamMetadata(stream, { maxCount: 2 });
      expect(revisionsOf(await target.store.readStream(stream))).toEqual([3n, 4n]);
      expect(revisionsOf(await target.store.readStream(stream, { direction: 'backwards' }))).toEqual([4n, 3n]);
    });

    it('truncateBefore hides the revisions below it, and all of them when past the end', async () => {
      const stream = uniquePrefix();
      await target.store.appendToStream(stream, newEvents(5), { expectedRevision: 'no_stream' });
      await target.store.setStreamMetadata(stream, { truncateBefore: 3n });
      expect(revisionsOf(await target.store.readStream(stream))).toEqual([3n, 4n]);
      await target.store.setStreamMetadata(stream, { truncateBefore: 10n });
      expect(await target.store.readStream(stream)).toEqual([]);
    });

    it('maxAge hides events older than that many seconds', async () => {
      const stream = uniquePrefix();
      await target.store.appendToStream(stream, newEvents(2), { expectedRevision: 'no_stream' });
      await sleep(2100);
      await target.store.setStreamMetadata(stream, { maxAge: 1 });
      expect(await target.store.readStream(stream)).toEqual([]);
      const fresh = newEvent();
      await target.store.appendToStream(stream, [fresh], { expectedRevision: 1n });
      expect(idsOf(await target.store.readStream(stream))).toEqual([fresh.id]);
    });

    it('does not hide events from the global log', async () => {
      const stream = uniquePrefix();
      const events = newEvents(3);
      await target.store.appendToStream(stream, events, { expectedRevision: 'no_stream' });
      await target.store.setStreamMetadata(stream, { truncateBefore: 2n });
      expect(idsOf(await target.store.readAll({ filter: { streamNamePrefixes: [stream] } }))).toEqual(idsOf(events));
    });
  });
}

export function describeSoftDeleteCases(target: ConformanceTarget): void {
  async function deletedStream(): Promise<{ stream: string; old: string[] }> {
    const stream = uniquePrefix();
    const old = newEvents(3);
    await target.store.appendToStream(stream, old, { expectedRevision: 'no_stream' });
    await target.store.deleteStream(stream);
    return { stream, old: idsOf(old) };
  }

  describe('soft delete', () => {
    it('makes the stream read as not found', async () => {
      const { stream } = await deletedStream();
      await expect(target.store.readStream(stream)).rejects.toBeInstanceOf(StreamNotFoundError);
    });

    it('recreates the stream on an append with any: revisions continue, only new events readable', async () => {
      const { stream } = await deletedStream();
      const fresh = newEvents(2);
      const result = await target.store.appendToStream(stream, fresh, { expectedRevision: 'any' });
      expect(result.nextExpectedRevision).toBe(4n);
      const read = await target.store.readStream(stream);
      expect(idsOf(read)).toEqual(idsOf(fresh));
      expect(revisionsOf(read)).toEqual([3n, 4n]);
    });

    it('recreates the stream on an append with no_stream', async () => {
      const { stream } = await deletedStream();
      const fresh = newEvent();
      const result = await target.store.appendToStream(stream, [fresh], { expectedRevision: 'no_stream' });
      expect(result.nextExpectedRevision).toBe(3n);
      expect(idsOf(await target.store.readStream(stream))).toEqual([fresh.id]);
    });

    it('refuses stream_exists and a wrong exact revision on a deleted stream', async () => {
      const { stream } = await deletedStream();
      await expectWrongExpectedRevision(target.store.appendToStream(stream, [newEvent()], { expectedRevision: 'stream_exists' }), 'stream_exists');
      await expectWrongExpectedRevision(target.store.appendToStream(stream, [newEvent()], { expectedRevision: 7n }), 7n);
      await expect(target.store.readStream(stream)).rejects.toBeInstanceOf(StreamNotFoundError);
    });

    it('leaves the old events in the global log', async () => {
      const { stream, old } = await deletedStream();
      expect(idsOf(await target.store.readAll({ filter: { streamNamePrefixes: [stream] } }))).toEqual(old);
    });

    it('checks the expected revision of the stream it deletes', async () => {
      const stream = uniquePrefix();
      await target.store.appendToStream(stream, newEvents(2), { expectedRevision: 'no_stream' });
      await expectWrongExpectedRevision(target.store.deleteStream(stream, { expectedRevision: 0n }), 0n, 1n);
      expect(await target.store.readStream(stream)).toHaveLength(2);
      await target.store.deleteStream(stream, { expectedRevision: 1n });
      await expect(target.store.readStream(stream)).rejects.toBeInstanceOf(StreamNotFoundError);
    });
  });
}
