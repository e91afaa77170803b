import type { Orchestrator } from '@runtree/orchestration';
import { forEachConcurrently, range } from '../support/concurrently.js';
import { collectGarbage } from '../support/heap.js';
import { treeRuns, type TreeShape } from './tree-shapes.js';

/** Builds the tree through the facade, level by level, `concurrency` spawns at a time; returns the root's id. */
export async function buildTree(orchestrator: Orchestrator, shape: TreeShape, concurrency: number): Promise<string> {
  const root = await orchestrator.startRun({ kind: 'bench_tree' });
  let above = [root.runId];
  for (const level of shape) {
    const runIds: string[] = new Array<string>(level.length);
    await forEachConcurrently(level, concurrency, async (parentIndex, index) => {
      runIds[index] = (await orchestrator.spawn(above[parentIndex], { kind: 'bench_node' })).run.runId;
    });
    above = runIds;
  }
  return root.runId;
}

/** `count` trees of `shape`, one after the other; their roots' ids. */
export async function buildTrees(orchestrator: Orchestrator, shape: TreeShape, count: number, concurrency: number): Promise<string[]> {
  const roots: string[] = [];
  for (const _ of range(count)) roots.push(await buildTree(orchestrator, shape, concurrency));
  return roots;
}

/** Milliseconds for one `cancel` of a tree whose runs are all running; refuses a partial cancel, which would flatter the figure. */
export async function measureCancel(orchestrator: Orchestrator, rootRunId: string, shape: TreeShape): Promise<number> {
  collectGarbage();
  const started = performance.now();
  const result = await orchestrator.cancel(rootRunId, 'bench');
  const elapsed = performance.now() - started;
  if (result.cancelled.length !== treeRuns(shape)) throw new Error(`cancel moved ${result.cancelled.length} runs to cancelled, expected ${treeRuns(shape)}`);
  return elapsed;
}

/** Milliseconds for one `collect` of the tree with its descendants and the whole tree's journal. */
export async function measureCollect(orchestrator: Orchestrator, rootRunId: string, shape: TreeShape): Promise<number> {
  collectGarbage();
  const started = performance.now();
  const result = await orchestrator.collect(rootRunId, { includeDescendants: true, includeJournal: true, includeSteps: true });
  const elapsed = performance.now() - started;
  const runs = treeRuns(shape);
  if (result.descendants?.length !== runs - 1) throw new Error(`collect returned ${result.descendants?.length ?? 0} descendants, expected ${runs - 1}`);
  // Each run's journal holds at least its RunStarted.
  if ((result.journal?.length ?? 0) < runs) throw new Error(`collect returned ${result.journal?.length ?? 0} journal entries for ${runs} runs`);
  return elapsed;
}
