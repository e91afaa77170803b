import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { StreamCache } from './stream-cache.js';

describe('StreamCache', () => {
  it('keeps entries until their bytes pass the budget, then drops the least recently used first', () => {
    const cache = new StreamCache<string>(100);
    cache.set('a', 'A', 40);
    cache.set('b', 'B', 40);
    cache.set('a', 'A2', 40); // a is now the most recently used
    cache.set('c', 'C', 40);
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual(['A2', undefined, 'C']);
    expect(cache.bytes).toBe(80);
    expect(cache.size).toBe(2);
  });

  it('counts an entry once, at its latest weight, and forgets what is deleted or cleared', () => {
    const cache = new StreamCache<number>(1000);
    cache.set('a', 1, 100);
    cache.set('a', 2, 300);
    expect(cache.bytes).toBe(300);
    cache.delete('a');
    cache.delete('never there');
    expect(cache.bytes).toBe(0);
    cache.set('b', 3, 10);
    cache.clear();
    expect([cache.size, cache.bytes, cache.has('b')]).toEqual([0, 0, false]);
  });

  it('does not keep an entry heavier than the whole budget, nor lets it push the others out', () => {
    const cache = new StreamCache<string>(100);
    cache.set('small', 's', 60);
    cache.set('huge', 'h', 101);
    expect([cache.get('small'), cache.get('huge'), cache.bytes]).toEqual(['s', undefined, 60]);
  });

  it('after any sequence of sets and deletes holds what a plain least-recently-used list holds, in the same order of use', () => {
    const operation = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), key: fc.integer({ min: 0, max: 7 }), bytes: fc.integer({ min: 1, max: 60 }) }),
      fc.record({ kind: fc.constant('delete' as const), key: fc.integer({ min: 0, max: 7 }) }),
    );
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 60 }), (operations) => {
        const cache = new StreamCache<number>(100);
        // The model: [key, bytes] from least to most recently set.
        let model: [number, number][] = [];
        operations.forEach((op, step) => {
          model = model.filter(([key]) => key !== op.key);
          if (op.kind === 'delete') return cache.delete(String(op.key));
          cache.set(String(op.key), step, op.bytes);
          model.push([op.key, op.bytes]);
          while (model.reduce((sum, [, bytes]) => sum + bytes, 0) > 100) model.shift();
        });
        expect(cache.bytes).toBe(model.reduce((sum, [, bytes]) => sum + bytes, 0));
        expect([...Array(8).keys()].filter((key) => cache.has(String(key))).sort()).toEqual(model.map(([key]) => key).sort());
        // The order of use: an entry just big enough to push one out drops the model's oldest, and only it.
        model.forEach(([, bytes], index) => {
          cache.set('filler', -1, 100 - cache.bytes + bytes);
          expect(model.slice(index).map(([kept]) => cache.has(String(kept)))).toEqual(model.slice(index).map((_, at) => at > 0));
          cache.delete('filler');
        });
      }),
    );
  });
});
