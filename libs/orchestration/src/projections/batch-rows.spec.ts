import { describe, expect, it } from '@jest/globals';
import type { LoadedRows, RowKeys } from '@runtree/read-store';
import { openSqliteReadStore } from '@runtree/read-store';
import { loadBatchRows } from './batch-rows.js';
import { projectBatch } from './project-batch.js';
import { EventScript } from './testing/event-script.js';

describe('loadBatchRows', () => {
  it('reads a batch’s rows in at most three rounds, however deep the tree: never the chain of ancestors', async () => {
    const store = openSqliteReadStore({ path: ':memory:' });
    await store.open();
    try {
      const script = new EventScript().startRun('r0');
      for (let depth = 1; depth <= 50; depth++) script.spawn(`r${depth - 1}`, `r${depth}`, 0);
      const events = script.decoded();
      await projectBatch(store, 'live', events, { fromVersion: 0, to: events[events.length - 1].recorded.position }, (_event, error) => {
        throw error;
      });
      const rounds: RowKeys[] = [];
      const counting = (keys: RowKeys): Promise<LoadedRows> => (rounds.push(keys), store.load('live', keys));
      const completed = new EventScript().onRun('r50', 'RunCompleted', {}).decoded();
      const rows = await loadBatchRows(completed, counting);
      expect(rounds.map((keys) => keys.runIds)).toEqual([['r50'], ['r49', 'r0']]);
      expect(rows.run('r49')?.activeChildCount).toBe(1);
      expect(rows.run('r0')?.runningDescendants).toBe(50);
    } finally {
      await store.close();
    }
  });
});
