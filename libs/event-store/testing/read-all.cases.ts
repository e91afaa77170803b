import { describe, expect, it } from '@jest/globals';
import { comparePositions } from '../src/port/position.js';
import type { AppendResult, EventFilter } from '../src/port/types.js';
import { idsOf, newEvent, newEvents, uniquePrefix, type ConformanceTarget } from './support.js';

function expectStrictlyIncreasing(positions: readonly { commit: bigint; prepare: bigint }[]): void {
  for (let index = 1; index < positions.length; index += 1) {
    expect(comparePositions(positions[index - 1], positions[index])).toBe(-1);
  }
}

export function describeReadAllCases(target: ConformanceTarget): void {
  /** Six single-event appends alternating over two streams under one prefix, in this order. */
  async function interleavedAppends(prefix: string): Promise<{ ids: string[]; results: AppendResult[] }> {
    const ids: string[] = [];
    const results: AppendResult[] = [];
    for (let index = 0; index < 6; index += 1) {
      const event = newEvent('Interleaved', { index });
      ids.push(event.id);
      results.push(await target.store.appendToStream(`${prefix}-${index % 2}`, [event], { expectedRevision: 'any' }));
    }
    return { ids, results };
  }

  describe('reading the global log', () => {
    it('orders events across streams by append, positions strictly increasing', async () => {
      const prefix = uniquePrefix();
      const { ids, results } = await interleavedAppends(prefix);
      const read = await target.store.readAll({ filter: { streamNamePrefixes: [prefix] } });
      expect(idsOf(read)).toEqual(ids);
      expect(read.map((event) => event.position)).toEqual(results.map((result) => result.position));
      expectStrictlyIncreasing(read.map((event) => event.position));
    });

    it('reads forwards from a position inclusively', async () => {
      const prefix = uniquePrefix();
      const { ids, results } = await interleavedAppends(prefix);
      const read = await target.store.readAll({ fromPosition: results[2].position, filter: { streamNamePrefixes: [prefix] } });
      expect(idsOf(read)).toEqual(ids.slice(2));
    });

    it('reads backwards from a position exclusively, newest first', async () => {
      const prefix = uniquePrefix();
      const { ids, results } = await interleavedAppends(prefix);
      const read = await target.store.readAll({
        direction: 'backwards',
        fromPosition: results[3].position,
        filter: { streamNamePrefixes: [prefix] },
      });
      expect(idsOf(read)).toEqual(ids.slice(0, 3).reverse());
    });

    it('reads at most maxCount events in either direction', async () => {
      const prefix = uniquePrefix();
      const { ids, results } = await interleavedAppends(prefix);
      const filter: EventFilter = { streamNamePrefixes: [prefix] };
      const forwards = await target.store.readAll({ fromPosition: results[1].position, maxCount: 2, filter });
      expect(idsOf(forwards)).toEqual(ids.slice(1, 3));
      const backwards = await target.store.readAll({ direction: 'backwards', maxCount: 2, filter });
      expect(idsOf(backwards)).toEqual([ids[5], ids[4]]);
    });

    it('keeps the events whose stream name starts with one of the prefixes', async () => {
      const prefix = uniquePrefix();
      const kept = [newEvent(), newEvent()];
      await target.store.appendToStream(`${prefix}-orders-1`, [kept[0]], { expectedRevision: 'no_stream' });
      await target.store.appendToStream(`${prefix}-users-1`, [newEvent()], { expectedRevision: 'no_stream' });
      await target.store.appendToStream(`${prefix}-invoices-1`, [kept[1]], { expectedRevision: 'no_stream' });
      const read = await target.store.readAll({ filter: { streamNamePrefixes: [`${prefix}-orders`, `${prefix}-invoices`] } });
      expect(idsOf(read)).toEqual(idsOf(kept));
    });

    it('keeps the events whose type starts with one of the prefixes', async () => {
      const prefix = uniquePrefix();
      const typePrefix = `Type${prefix.replaceAll('-', '')}`;
      const kept = [newEvent(`${typePrefix}Created`), newEvent(`${typePrefix}Renamed`)];
      await target.store.appendToStream(prefix, [kept[0], newEvent('SomethingElse'), kept[1]], { expectedRevision: 'no_stream' });
      const read = await target.store.readAll({ filter: { eventTypePrefixes: [typePrefix] } });
      expect(idsOf(read)).toEqual(idsOf(kept));
    });

    it('never returns system events, even when the filter would match their stream', async () => {
      const prefix = uniquePrefix();
      const event = newEvent();
      await target.store.appendToStream(prefix, [event], { expectedRevision: 'no_stream' });
      await target.store.setStreamMetadata(prefix, { maxCount: 10 });
      const read = await target.store.readAll({ filter: { streamNamePrefixes: [prefix, `$$${prefix}`] } });
      expect(idsOf(read)).toEqual([event.id]);
      const recent = await target.store.readAll({ direction: 'backwards', maxCount: 50 });
      expect(recent.filter((recorded) => recorded.type.startsWith('$'))).toEqual([]);
    });

    it('reports a head position at or after the last append', async () => {
      const result = await target.store.appendToStream(uniquePrefix(), newEvents(2), { expectedRevision: 'no_stream' });
      const head = await target.store.headPosition();
      expect(head).not.toBe('start');
      expect(comparePositions(head as { commit: bigint; prepare: bigint }, result.position)).toBeGreaterThanOrEqual(0);
    });
  });
}
