import { describe, expect, it } from '@jest/globals';
import { benchUsage, parseBenchArgs, type SectionFlags } from './cli.js';
import type { SizeTable } from './sizes.js';

const storeSizes: SizeTable = { 'fsync-ms': { full: 2000, quick: 500, help: 'fsync run length' } };
const treeSizes: SizeTable = { 'tree-runs': { full: 10_000, quick: 2000, help: 'runs per tree' } };
const sections: SectionFlags[] = [
  { id: 'store', sizes: storeSizes },
  { id: 'peer' },
  { id: 'orchestration', sizes: treeSizes },
  { id: 'orchestration', sizes: treeSizes },
];

describe('parseBenchArgs', () => {
  it('runs every section with the full defaults when given nothing', () => {
    expect(parseBenchArgs([], sections)).toEqual({
      quick: false,
      only: ['store', 'peer', 'orchestration'],
      runs: 5,
      warmups: 1,
      dataDir: undefined,
      keepData: false,
      sizeOverrides: new Map(),
    });
  });

  it('takes fewer runs with --quick, and explicit flags over both', () => {
    expect(parseBenchArgs(['--quick'], sections)).toMatchObject({ quick: true, runs: 3, warmups: 1 });
    expect(parseBenchArgs(['--quick', '--runs', '7', '--warmups', '0'], sections)).toMatchObject({ runs: 7, warmups: 0 });
  });

  it('keeps the bench order of the sections picked with --only', () => {
    expect(parseBenchArgs(['--only', 'orchestration, store'], sections)).toMatchObject({ only: ['store', 'orchestration'] });
  });

  it('reads size flags of every section', () => {
    const options = parseBenchArgs(['--tree-runs', '500', '--fsync-ms=100'], sections);
    expect(options !== 'help' && Object.fromEntries(options.sizeOverrides)).toEqual({ 'tree-runs': 500, 'fsync-ms': 100 });
  });

  it('answers help', () => {
    expect(parseBenchArgs(['--quick', '--help'], sections)).toBe('help');
    expect(benchUsage(sections)).toContain('--tree-runs');
  });

  it('names the flag and the reason for bad input', () => {
    expect(() => parseBenchArgs(['--only', 'store,disk'], sections)).toThrow('--only: unknown section "disk" (known: store, peer, orchestration)');
    expect(() => parseBenchArgs(['--only', ','], sections)).toThrow('--only needs at least one section name');
    expect(() => parseBenchArgs(['--runs', '0'], sections)).toThrow('--runs must be a positive integer, got "0"');
    expect(() => parseBenchArgs(['--warmups=-1'], sections)).toThrow('--warmups must be a non-negative integer, got "-1"');
    expect(() => parseBenchArgs(['--tree-runs', '1e3x'], sections)).toThrow('--tree-runs must be a positive integer, got "1e3x"');
    expect(() => parseBenchArgs(['--tree-runs', ''], sections)).toThrow('--tree-runs must be a positive integer, got ""');
    expect(() => parseBenchArgs(['--bogus'], sections)).toThrow("Unknown option '--bogus'");
  });

  it('refuses one size flag defined by two sections with different meanings', () => {
    const clash: SectionFlags[] = [...sections, { id: 'service', sizes: { 'tree-runs': { full: 1, quick: 1, help: 'other' } } }];
    expect(() => parseBenchArgs([], clash)).toThrow('size flag --tree-runs is defined by two sections');
  });
});
