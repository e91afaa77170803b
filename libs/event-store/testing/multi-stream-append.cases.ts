import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { InvalidRequestError, StreamNotFoundError } from '../src/port/errors.js';
import { comparePositions } from '../src/port/position.js';
import { supportsMultiStreamAppend, type MultiStreamEventStore } from '../src/port/types.js';
import { expectWrongExpectedRevision, idsOf, newEvent, newEvents, rejectionOf, revisionsOf, uniquePrefix, type ConformanceTarget } from './support.js';

/** Whether the adapter under test claims `appendToStreams`: the suite checks the claim, then the semantics. */
export type MultiStreamClaim = 'claimed' | 'not_claimed';

export function describeMultiStreamAppendCases(target: ConformanceTarget, claim: MultiStreamClaim): void {
  describe('multi-stream append', () => {
    it(`is ${claim === 'claimed' ? 'offered' : 'not offered'}, as the adapter claims`, () => {
      expect(supportsMultiStreamAppend(target.store)).toBe(claim === 'claimed');
    });
    if (claim === 'not_claimed') return;
    const store = (): MultiStreamEventStore => target.store as MultiStreamEventStore;

    it('appends to every stream at its own expected revision, results in the order given', async () => {
      const [existing, fresh] = [uniquePrefix(), uniquePrefix()];
      await store().appendToStream(existing, newEvents(2), { expectedRevision: 'no_stream' });
      const [first, second] = [newEvents(2), newEvents(1)];
      const results = await store().appendToStreams([
        { streamName: existing, events: first, expectedRevision: 1n },
        { streamName: fresh, events: second, expectedRevision: 'no_stream' },
      ]);
      expect(results.map((result) => result.nextExpectedRevision)).toEqual([3n, 0n]);
      expect(idsOf((await store().readStream(existing)).slice(2))).toEqual(idsOf(first));
      expect(idsOf(await store().readStream(fresh))).toEqual(idsOf(second));
    });

    it('puts the events in the global log in the order given, each result carrying its last position', async () => {
      const [a, b] = [uniquePrefix(), uniquePrefix()];
      const results = await store().appendToStreams([
        { streamName: b, events: newEvents(2), expectedRevision: 'no_stream' },
        { streamName: a, events: newEvents(2), expectedRevision: 'no_stream' },
      ]);
      const log = [...(await store().readStream(b)), ...(await store().readStream(a))];
      for (let index = 1; index < log.length; index += 1) expect(comparePositions(log[index - 1].position, log[index].position)).toBe(-1);
      expect(results.map((result) => result.position)).toEqual([log[1].position, log[3].position]);
    });

    it('writes nothing when one stream is refused, and throws that stream’s refusal', async () => {
      const [kept, refused] = [uniquePrefix(), uniquePrefix()];
      await store().appendToStream(refused, newEvents(2), { expectedRevision: 'no_stream' });
      const wrong = await expectWrongExpectedRevision(
        store().appendToStreams([
          { streamName: kept, events: [newEvent()], expectedRevision: 'no_stream' },
          { streamName: refused, events: [newEvent()], expectedRevision: 0n },
        ]),
        0n,
        1n,
      );
      expect(wrong.streamName).toBe(refused);
      await expect(store().readStream(kept)).rejects.toBeInstanceOf(StreamNotFoundError);
      expect(revisionsOf(await store().readStream(refused))).toEqual([0n, 1n]);
    });

    it('answers a retry of the same appends as the first time, writing nothing', async () => {
      const [a, b] = [uniquePrefix(), uniquePrefix()];
      const appends = [
        { streamName: a, events: newEvents(2), expectedRevision: 'no_stream' as const },
        { streamName: b, events: newEvents(1), expectedRevision: 'no_stream' as const },
      ];
      const first = await store().appendToStreams(appends);
      expect(await store().appendToStreams(appends)).toEqual(first);
      expect(revisionsOf(await store().readStream(a))).toEqual([0n, 1n]);
      expect(revisionsOf(await store().readStream(b))).toEqual([0n]);
    });

    it('judges each stream’s retry on its own: a repeated part is answered as before, a new part beside it is written', async () => {
      const [repeated, fresh, other] = [uniquePrefix(), uniquePrefix(), uniquePrefix()];
      await store().appendToStream(repeated, newEvents(1), { expectedRevision: 'no_stream' });
      await store().appendToStream(other, newEvents(1), { expectedRevision: 'no_stream' });
      const once = { streamName: repeated, events: newEvents(2), expectedRevision: 0n };
      const [first] = await store().appendToStreams([once]);
      const [again, written] = await store().appendToStreams([once, { streamName: other, events: once.events.map((event) => ({ ...event, id: randomUUID() })), expectedRevision: 0n }]);
      expect(again).toEqual(first);
      expect(written.nextExpectedRevision).toBe(2n);
      expect(revisionsOf(await store().readStream(repeated))).toEqual([0n, 1n, 2n]);
      // The same ids under another stream are that stream's own: not a repeat of the first.
      const [elsewhere] = await store().appendToStreams([{ streamName: fresh, events: once.events, expectedRevision: 'no_stream' }, { streamName: uniquePrefix(), events: newEvents(1), expectedRevision: 'no_stream' }]);
      expect(elsewhere.nextExpectedRevision).toBe(1n);
      expect(idsOf(await store().readStream(fresh))).toEqual(idsOf(once.events));
    });

    it('refuses a part that repeats only some of its ids, writing none of the parts', async () => {
      const [stream, kept] = [uniquePrefix(), uniquePrefix()];
      await store().appendToStream(kept, newEvents(1), { expectedRevision: 'no_stream' });
      const written = newEvents(2);
      await store().appendToStream(stream, written, { expectedRevision: 'no_stream' });
      await expectWrongExpectedRevision(
        store().appendToStreams([
          { streamName: kept, events: [newEvent()], expectedRevision: 0n },
          { streamName: stream, events: [written[1], newEvent()], expectedRevision: 1n },
        ]),
        1n,
        1n,
      );
      expect(revisionsOf(await store().readStream(kept))).toEqual([0n]);
    });

    it('appends to a soft-deleted stream beside another, continuing its revisions with the old events hidden', async () => {
      const [deleted, beside] = [uniquePrefix(), uniquePrefix()];
      await store().appendToStream(deleted, newEvents(2), { expectedRevision: 'no_stream' });
      await store().appendToStream(beside, newEvents(1), { expectedRevision: 'no_stream' });
      await store().deleteStream(deleted);
      const events = newEvents(1);
      const results = await store().appendToStreams([
        { streamName: beside, events: newEvents(1), expectedRevision: 0n },
        { streamName: deleted, events, expectedRevision: 'any' },
      ]);
      expect(results.map((result) => result.nextExpectedRevision)).toEqual([1n, 2n]);
      expect((await store().readStream(deleted)).map((event) => [event.revision, event.id])).toEqual([[2n, events[0].id]]);
    });

    it('judges a metastream part after its stream was recreated in the same call against the metadata that recreation wrote', async () => {
      const deleted = uniquePrefix();
      await store().appendToStream(deleted, newEvents(1), { expectedRevision: 'no_stream' });
      await store().deleteStream(deleted);
      const metastream = `$$${deleted}`;
      expect(revisionsOf(await store().readStream(metastream))).toEqual([0n]);
      // Recreating `deleted` writes the metastream's revision 1, so a part expecting 1 is the one written next.
      const results = await store().appendToStreams([
        { streamName: deleted, events: newEvents(1), expectedRevision: 'any' },
        { streamName: metastream, events: newEvents(1), expectedRevision: 1n },
      ]);
      expect(results.map((result) => result.nextExpectedRevision)).toEqual([1n, 2n]);
      expect(revisionsOf(await store().readStream(metastream))).toEqual([0n, 1n, 2n]);
    });

    const refusals: Array<[string, (a: string, b: string) => unknown]> = [
      ['no streams', () => []],
      ['a stream named twice', (a) => [
        { streamName: a, events: [newEvent()], expectedRevision: 'any' },
        { streamName: a, events: [newEvent()], expectedRevision: 'any' },
      ]],
      ['a stream with no events', (a, b) => [
        { streamName: a, events: [newEvent()], expectedRevision: 'any' },
        { streamName: b, events: [], expectedRevision: 'any' },
      ]],
      ['a bad expected revision', (a, b) => [
        { streamName: a, events: [newEvent()], expectedRevision: 'any' },
        { streamName: b, events: [newEvent()], expectedRevision: -2n },
      ]],
    ];

    it.each(refusals)('refuses %s with InvalidRequestError naming the part, writing nothing', async (_case, request) => {
      const [a, b] = [uniquePrefix(), uniquePrefix()];
      const error = await rejectionOf(store().appendToStreams(request(a, b) as never));
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect((error as Error).message).toMatch(/^appends/);
      await expect(store().readStream(a)).rejects.toBeInstanceOf(StreamNotFoundError);
      await expect(store().readStream(b)).rejects.toBeInstanceOf(StreamNotFoundError);
    });
  });
}
