import { describe, expect, it } from '@jest/globals';
import { percentile, summarize } from './stats.js';

describe('summarize', () => {
  it('gives the median (middle, or mean of the two middles), min and max, keeping the samples in order', () => {
    expect(summarize([3, 1, 2])).toEqual({ median: 2, min: 1, max: 3, samples: [3, 1, 2] });
    expect(summarize([4, 1, 3, 2]).median).toBe(2.5);
  });
});

describe('percentile', () => {
  const hundred = Array.from({ length: 100 }, (_, index) => 100 - index);

  it('is nearest-rank: a sample that was observed', () => {
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 100)).toBe(100);
    expect(percentile(hundred, 0)).toBe(1);
    expect(percentile([5, 1, 9], 50)).toBe(5);
    expect(percentile([0.4, 12], 99)).toBe(12);
  });

  it('refuses no samples and a p outside 0–100', () => {
    expect(() => percentile([], 50)).toThrow('percentile: no samples');
    expect(() => percentile([1], 101)).toThrow('p must be between 0 and 100, got 101');
    expect(() => percentile([1], Number.NaN)).toThrow('p must be between 0 and 100');
  });
});
