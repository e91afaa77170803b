import { describe, expect, it } from '@jest/globals';
import { percentile } from './latency.js';

describe('percentile', () => {
  const hundred = Array.from({ length: 100 }, (_, index) => 100 - index); // 100 .. 1, unsorted

  it('is the nearest-rank value: p50 of 1..100 is 50, p99 is 99, p100 the slowest', () => {
    expect([percentile(hundred, 0.5), percentile(hundred, 0.99), percentile(hundred, 1)]).toEqual([50, 99, 100]);
  });

  it('is the only sample when there is one', () => {
    expect([percentile([7.5], 0.5), percentile([7.5], 0.99)]).toEqual([7.5, 7.5]);
  });

  it('refuses an empty run instead of reporting a latency', () => {
    expect(() => percentile([], 0.5)).toThrow('no samples');
  });
});
