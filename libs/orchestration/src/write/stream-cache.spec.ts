import { describe, expect, it } from '@jest/globals';
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
});
