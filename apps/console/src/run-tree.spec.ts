import { describe, expect, it } from '@jest/globals';
import type { ListedRun } from '@runtree/orchestration';
import { durationOf, RunTree } from './run-tree.js';

const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString();

function run(runId: string, second: number, parentRunId?: string, status: ListedRun['status'] = 'running'): ListedRun {
  return { runId, kind: 'task', status, createdAt: at(second), updatedAt: at(second + 5), revision: '0', ...(parentRunId ? { parentRunId, relation: 'spawned', substrate: 'run' } : {}) };
}

describe('RunTree', () => {
  it('draws the tree depth first with siblings oldest first, whatever order the runs came in', () => {
    const tree = new RunTree();
    for (const r of [run('b', 3, 'root'), run('a-1', 4, 'a', 'completed'), run('a', 2, 'root'), run('root', 1)]) tree.upsert(r);
    expect(tree.rows(new Set()).map((row) => `${'  '.repeat(row.depth)}${row.run.runId}`)).toEqual(['root', '  a', '    a-1', '  b']);
    expect(tree.rows(new Set()).find((row) => row.run.runId === 'root')).toMatchObject({ childCount: 2, runningChildCount: 2 });
  });

  it('leaves out the descendants of a collapsed run and takes a changed status', () => {
    const tree = new RunTree();
    for (const r of [run('root', 1), run('a', 2, 'root'), run('a-1', 3, 'a')]) tree.upsert(r);
    tree.upsert(run('a', 2, 'root', 'cancelled'));
    const rows = tree.rows(new Set(['a']));
    expect(rows.map((row) => [row.run.runId, row.run.status])).toEqual([['root', 'running'], ['a', 'cancelled']]);
    expect(rows[0]).toMatchObject({ childCount: 1, runningChildCount: 0 });
    expect(tree.countByStatus()).toEqual({ running: 2, completed: 0, failed: 0, cancelled: 1 });
  });
});

describe('durationOf', () => {
  it('measures a finished run to its last change and a running one to now', () => {
    expect(durationOf({ status: 'completed', createdAt: at(0), updatedAt: at(5) }, 0)).toBe('5.0 s');
    expect(durationOf({ status: 'running', createdAt: at(0), updatedAt: at(0) }, Date.parse(at(126)))).toBe('2m 06s');
  });
});
