import { describe, expect, it } from '@jest/globals';
import { benchFigure } from './figure.js';
import { formatSection, formatSummary } from './report.js';
import { meetsTarget } from './section.js';

const spawns = benchFigure({
  key: 'orchestration.spawnSequential',
  label: 'spawn, 1 caller',
  unit: 'spawns/s',
  samples: [3000, 3600, 3300],
  ratioTo: { name: 'raw fsync', median: 5000 },
  target: { kind: 'atLeast', value: 0.7, of: 'ratio' },
});
const cancel = benchFigure({ key: 'orchestration.cancel', label: 'cancel', unit: 'ms', samples: [900, 1100, 1200], target: { kind: 'atMost', value: 1000 } });

describe('figures and targets', () => {
  it('summarizes the samples and divides the median by the other figure', () => {
    expect(spawns).toMatchObject({ median: 3300, min: 3000, max: 3600, ratio: { to: 'raw fsync', value: 0.66 } });
  });

  it('checks a target against the median, or against the ratio when it is relative', () => {
    expect(meetsTarget(spawns)).toBe(false);
    expect(meetsTarget({ ...spawns, ratio: { to: 'raw fsync', value: 0.7 } })).toBe(true);
    expect(meetsTarget(cancel)).toBe(false);
    expect(meetsTarget({ ...cancel, median: 1000 })).toBe(true);
    expect(meetsTarget({ ...spawns, ratio: undefined })).toBeUndefined();
    expect(meetsTarget({ ...cancel, target: undefined })).toBeUndefined();
  });

  it('prints each figure with its ratio, target and verdict, and sums the verdicts', () => {
    const section = { name: 'orchestration: SQLite', figures: [spawns, cancel], notes: ['a note'], failures: ['rebuild: disk full'], seconds: 12, cpuSeconds: 3.5 };
    const table = formatSection(section);
    expect(table.split('\n')[0]).toBe('== orchestration: SQLite (12 s, 3.50 s of CPU) ==');
    expect(table).toMatch(/spawn, 1 caller\s+spawns\/s\s+3,300\s+3,000\s+3,600\s+0\.66 x raw fsync\s+>= 0\.70 x\s+MISSED/);
    expect(table).toMatch(/cancel\s+ms\s+1,100\s+900\s+1,200\s+-\s+<= 1,000\s+MISSED/);
    expect(table).toContain('  a note');
    expect(table).toContain('  FAILED: rebuild: disk full');

    const summary = formatSummary([section, { name: 'peer: Emmett', seconds: 1, cpuSeconds: 0.1, error: 'PostgreSQL is unreachable' }]);
    expect(summary.split('\n')).toEqual([
      '== targets: 0 met, 2 missed ==',
      '  MISSED   orchestration: SQLite: spawn, 1 caller = 0.66 x (target >= 0.70 x)',
      '  MISSED   orchestration: SQLite: cancel = 1,100 ms (target <= 1,000)',
      '  FAILED   orchestration: SQLite: rebuild: disk full',
      '  FAILED   peer: Emmett: PostgreSQL is unreachable',
    ]);
  });
});
