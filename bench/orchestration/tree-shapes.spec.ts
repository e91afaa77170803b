import { describe, expect, it } from '@jest/globals';
import { chainTree, treeRuns, wideTree } from './tree-shapes.js';

describe('tree shapes', () => {
  it('wide: 10 children per run down to the last level, which takes the rest', () => {
    const shape = wideTree(10_000, 4);
    expect(shape.map((level) => level.length)).toEqual([10, 100, 1000, 8889]);
    expect(treeRuns(shape)).toBe(10_000);
    // Siblings interleave across parents, and every parent exists in the level above.
    expect(shape[3].slice(0, 3)).toEqual([0, 1, 2]);
    shape.forEach((level, depth) => expect(Math.max(...level)).toBeLessThan(depth === 0 ? 1 : shape[depth - 1].length));
  });

  it('wide: stops early when the runs run out', () => {
    expect(wideTree(50, 4).map((level) => level.length)).toEqual([10, 39]);
  });

  it('chain: one chain run per level, every other run a leaf along it', () => {
    const shape = chainTree(10_000, 1000);
    expect(shape).toHaveLength(1000);
    expect(treeRuns(shape)).toBe(10_000);
    expect(shape.every((level) => level.every((parent) => parent === 0))).toBe(true);
    expect(new Set(shape.map((level) => level.length))).toEqual(new Set([9, 10]));
  });

  it('chain: refuses too few runs for its depth', () => {
    expect(() => chainTree(10, 20)).toThrow('a chain of depth 20 needs at least 21 runs, got 10');
  });
});
