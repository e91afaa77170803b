import { describe, expect, it } from '@jest/globals';
import { comparePositions, positionFromString, positionToString } from './position.js';

describe('positions', () => {
  it('order by commit, then prepare', () => {
    expect(comparePositions({ commit: 1n, prepare: 5n }, { commit: 2n, prepare: 0n })).toBe(-1);
    expect(comparePositions({ commit: 2n, prepare: 1n }, { commit: 2n, prepare: 0n })).toBe(1);
    expect(comparePositions({ commit: 3n, prepare: 3n }, { commit: 3n, prepare: 3n })).toBe(0);
  });

  it('round-trip through their string form without losing 64-bit precision', () => {
    const big = { commit: 18446744073709551615n, prepare: 18446744073709551614n };
    expect(positionFromString(positionToString(big))).toEqual(big);
    expect(() => positionFromString('12')).toThrow('Not a position: 12');
  });
});
