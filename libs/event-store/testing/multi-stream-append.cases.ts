import { describe, expect, it } from '@jest/globals';
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
