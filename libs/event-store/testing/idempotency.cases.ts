import { describe, expect, it } from '@jest/globals';
import {
  expectWrongExpectedRevision,
  idsOf,
  newEvent,
  newEvents,
  revisionsOf,
  uniquePrefix,
  type ConformanceTarget,
} from './support.js';

export function describeIdempotencyCases(target: ConformanceTarget): void {
  describe('idempotent retry', () => {
    it('answers a retry with the same ids and exact revision as the first time, writing nothing', async () => {
      const stream = uniquePrefix();
      await target.store.appendToStream(stream, [newEvent()], { expectedRevision: 'no_stream' });
      const batch = newEvents(2);
      const first = await target.store.appendToStream(stream, batch, { expectedRevision: 0n });
      const retry = await target.store.appendToStream(stream, batch, { expectedRevision: 0n });
      expect(retry).toEqual(first);
      expect(revisionsOf(await target.store.readStream(stream))).toEqual([0n, 1n, 2n]);
    });

    it('answers a no_stream retry as the first time', async () => {
      const stream = uniquePrefix();
      const batch = newEvents(3);
      const first = await target.store.appendToStream(stream, batch, { expectedRevision: 'no_stream' });
      const retry = await target.store.appendToStream(stream, batch, { expectedRevision: 'no_stream' });
      expect(retry).toEqual(first);
      expect(idsOf(await target.store.readStream(stream))).toEqual(idsOf(batch));
    });

    it('answers a retry with any as the first time', async () => {
      const stream = uniquePrefix();
      const batch = newEvents(2);
      const first = await target.store.appendToStream(stream, batch, { expectedRevision: 'any' });
      const retry = await target.store.appendToStream(stream, batch, { expectedRevision: 'any' });
      expect(retry).toEqual(first);
      expect(idsOf(await target.store.readStream(stream))).toEqual(idsOf(batch));
    });

    it('answers a retry with stream_exists as the first time', async () => {
      const stream = uniquePrefix();
      await target.store.appendToStream(stream, [newEvent()], { expectedRevision: 'no_stream' });
      const batch = newEvents(2);
      const first = await target.store.appendToStream(stream, batch, { expectedRevision: 'stream_exists' });
      const retry = await target.store.appendToStream(stream, batch, { expectedRevision: 'stream_exists' });
      expect(retry).toEqual(first);
      expect(revisionsOf(await target.store.readStream(stream))).toEqual([0n, 1n, 2n]);
    });

    it('still answers a retry after later appends moved the stream on', async () => {
      const stream = uniquePrefix();
      await target.store.appendToStream(stream, [newEvent()], { expectedRevision: 'no_stream' });
      const batch = [newEvent()];
      const first = await target.store.appendToStream(stream, batch, { expectedRevision: 0n });
      await target.store.appendToStream(stream, newEvents(2), { expectedRevision: first.nextExpectedRevision });
      expect(await target.store.appendToStream(stream, batch, { expectedRevision: 0n })).toEqual(first);
      expect(await target.store.readStream(stream)).toHaveLength(4);
    });

    it('refuses the same ids with another exact revision, reporting expected and actual', async () => {
      const stream = uniquePrefix();
      await target.store.appendToStream(stream, [newEvent()], { expectedRevision: 'no_stream' });
      const batch = newEvents(2);
      await target.store.appendToStream(stream, batch, { expectedRevision: 0n });
      await expectWrongExpectedRevision(target.store.appendToStream(stream, batch, { expectedRevision: 1n }), 1n, 2n);
      expect(await target.store.readStream(stream)).toHaveLength(3);
    });

    it('refuses a partial match: the ids already written plus a new one', async () => {
      const stream = uniquePrefix();
      const batch = newEvents(2);
      await target.store.appendToStream(stream, batch, { expectedRevision: 'no_stream' });
      await expectWrongExpectedRevision(
        target.store.appendToStream(stream, [...batch, newEvent()], { expectedRevision: 'no_stream' }),
        'no_stream',
      );
      expect(idsOf(await target.store.readStream(stream))).toEqual(idsOf(batch));
    });

    it('refuses the same ids in another order', async () => {
      const stream = uniquePrefix();
      await target.store.appendToStream(stream, [newEvent()], { expectedRevision: 'no_stream' });
      const batch = newEvents(2);
      await target.store.appendToStream(stream, batch, { expectedRevision: 0n });
      await expectWrongExpectedRevision(target.store.appendToStream(stream, [batch[1], batch[0]], { expectedRevision: 0n }), 0n);
      expect(await target.store.readStream(stream)).toHaveLength(3);
    });

    it('refuses a partial match with any: the last id written followed by a new one', async () => {
      const stream = uniquePrefix();
      const written = newEvents(2);
      await target.store.appendToStream(stream, written, { expectedRevision: 'no_stream' });
      await expectWrongExpectedRevision(
        target.store.appendToStream(stream, [written[1], newEvent()], { expectedRevision: 'any' }),
        'any',
      );
      expect(idsOf(await target.store.readStream(stream))).toEqual(idsOf(written));
    });
  });
}
