import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { WrongExpectedRevisionError } from '../src/port/errors.js';
import type { AppendResult, JsonValue } from '../src/port/types.js';
import { idsOf, newEvent, revisionsOf, uniquePrefix, type ConformanceTarget } from './support.js';

const WRITERS = 20;

export function describeConcurrencyCases(target: ConformanceTarget): void {
  describe('concurrent appenders', () => {
    it(`${WRITERS} writers racing on one stream: one wins each revision, the rest are refused, nothing is lost`, async () => {
      const stream = uniquePrefix();
      const waiting = Array.from({ length: WRITERS }, () => newEvent('Raced'));
      let expected: bigint | 'no_stream' = 'no_stream';
      while (waiting.length > 0) {
        const round: ReadonlyArray<PromiseSettledResult<AppendResult>> = await Promise.allSettled(
          waiting.map((event) => target.store.appendToStream(stream, [event], { expectedRevision: expected })),
        );
        const winners = round.flatMap((outcome, index) => (outcome.status === 'fulfilled' ? [index] : []));
        expect(winners).toHaveLength(1);
        const nextRevision: bigint = expected === 'no_stream' ? 0n : expected + 1n;
        for (const outcome of round) {
          if (outcome.status === 'fulfilled') expect(outcome.value.nextExpectedRevision).toBe(nextRevision);
          else expect(outcome.reason).toEqual(expect.objectContaining({ expected, actual: nextRevision }));
          if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(WrongExpectedRevisionError);
        }
        waiting.splice(winners[0], 1);
        expected = nextRevision;
      }
      const read = await target.store.readStream(stream);
      expect(revisionsOf(read)).toEqual(Array.from({ length: WRITERS }, (_, index) => BigInt(index)));
      expect(new Set(idsOf(read)).size).toBe(WRITERS);
    });

    it(`${WRITERS} writers on different streams all succeed, each at its own position`, async () => {
      const prefix = uniquePrefix();
      const results = await Promise.all(
        Array.from({ length: WRITERS }, (_, index) =>
          target.store.appendToStream(`${prefix}-${index}`, [newEvent()], { expectedRevision: 'no_stream' }),
        ),
      );
      expect(results.map((result) => result.nextExpectedRevision)).toEqual(Array(WRITERS).fill(0n));
      const positions = new Set(results.map((result) => `${result.position.commit}/${result.position.prepare}`));
      expect(positions.size).toBe(WRITERS);
      expect(await target.store.readAll({ filter: { streamNamePrefixes: [prefix] } })).toHaveLength(WRITERS);
    });
  });
}

export function describePayloadCases(target: ConformanceTarget): void {
  describe('payloads', () => {
    it('round-trips JSON data and metadata exactly', async () => {
      const stream = uniquePrefix();
      const data: JsonValue = {
        nested: { deeper: { list: [1, 'two', null, true, false, { three: 3 }] } },
        numbers: [0, -1, 1.5, -2.25e-7, 9007199254740991, 1e300],
        empty: { object: {}, array: [], string: '' },
        nothing: null,
      };
      const metadata: JsonValue = { correlationId: randomUUID(), retries: 2, tags: ['a', 'b'], traced: false };
      await target.store.appendToStream(stream, [newEvent('Json', data, metadata)], { expectedRevision: 'no_stream' });
      const [read] = await target.store.readStream(stream);
      expect(read.data).toEqual(data);
      expect(read.metadata).toEqual(metadata);
    });

    it('round-trips unicode in stream names, types, data and metadata', async () => {
      const stream = `${uniquePrefix()}-订单-طلب-🚀`;
      const text = 'emoji 👩‍👩‍👧 — RTL עברית العربية — combining é — astral 𝄞 — zero-width \u200b — BOM \ufeff';
      const event = newEvent('Ünïcødé🎉Type', { text }, { note: text });
      await target.store.appendToStream(stream, [event], { expectedRevision: 'no_stream' });
      const [read] = await target.store.readStream(stream);
      expect([read.streamName, read.type, read.data, read.metadata]).toEqual([stream, event.type, { text }, { note: text }]);
      expect(idsOf(await target.store.readAll({ filter: { streamNamePrefixes: [stream] } }))).toEqual([event.id]);
    });

    // 1 MB (10^6 bytes) of data: EventStoreDB refuses an append over 1 MiB by default (MaxAppendSize).
    it('round-trips a 1 MB payload', async () => {
      const stream = uniquePrefix();
      const blob = 'x'.repeat(1_000_000);
      await target.store.appendToStream(stream, [newEvent('Large', { blob })], { expectedRevision: 'no_stream' });
      const [read] = await target.store.readStream(stream);
      expect((read.data as { blob: string }).blob).toBe(blob);
    });

    it('stamps each event with a created Date close to now', async () => {
      const stream = uniquePrefix();
      await target.store.appendToStream(stream, [newEvent()], { expectedRevision: 'no_stream' });
      const [read] = await target.store.readStream(stream);
      expect(read.created).toBeInstanceOf(Date);
      // Generous: a shared server's clock may differ a little from this machine's.
      expect(Math.abs(read.created.getTime() - Date.now())).toBeLessThan(60_000);
    });
  });
}
