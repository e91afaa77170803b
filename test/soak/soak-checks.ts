import { isDeepStrictEqual } from 'node:util';
import type { CollectResult } from '@runtree/orchestration';
import { successBody, type RuntreeClient } from '../e2e/process/runtree-client.js';
import { treeViolations } from '../support/tree-invariants.js';
import type { Promised } from './soak-load.js';
import type { SoakService } from './soak-service.js';

/** Trees read at once while checking: enough to be quick, few enough not to queue behind each other for long. */
const COLLECT_CONCURRENCY = 16;

/** Each root's whole tree with its journal, read `COLLECT_CONCURRENCY` at a time. */
export async function collectTrees(client: RuntreeClient, roots: readonly string[]): Promise<CollectResult[]> {
  const trees: CollectResult[] = new Array(roots.length);
  let next = 0;
  const reader = async () => {
    for (let index = next++; index < roots.length; index = next++) {
      trees[index] = successBody<CollectResult>(await client.get(`/runs/${roots[index]}?includeDescendants=true&includeJournal=true`));
    }
  };
  await Promise.all(Array.from({ length: COLLECT_CONCURRENCY }, reader));
  return trees;
}

/** The value of a gauge in the Prometheus text of /metrics. */
function gauge(metrics: string, name: string): number | undefined {
  const value = new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics)?.[1];
  return value === undefined ? undefined : Number(value);
}

/**
 * Once every client is done: no await is still waiting, and no run is still watched (each watch holds a
 * store subscription). A waiter still being served (its request queued on a loaded machine) ends within
 * its timeout, so the counts are given until `settleMs` to reach zero.
 */
export async function watcherViolations(baseUrl: string, service: SoakService, settleMs: number): Promise<string[]> {
  const deadline = Date.now() + settleMs;
  while ((service.watchers.watcherCount > 0 || service.watchers.waiterCount > 0) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  const metrics = await (await fetch(`${baseUrl}/metrics`)).text();
  const counts = {
    'watchers (in process)': service.watchers.watcherCount,
    'waiters (in process)': service.watchers.waiterCount,
    'runtree_await_watchers (/metrics)': gauge(metrics, 'runtree_await_watchers'),
    'runtree_await_waiters (/metrics)': gauge(metrics, 'runtree_await_waiters'),
  };
  return Object.entries(counts).flatMap(([what, count]) => (count === 0 ? [] : [`${what} is ${count} after every client finished, expected 0`]));
}

/** What was acknowledged and is not in the trees: a child that is missing, a completed or cancelled run found otherwise. */
function lostViolations(trees: readonly CollectResult[], promised: ReadonlyMap<string, Promised>): string[] {
  const statuses = new Map(trees.flatMap((tree) => [tree.run, ...(tree.descendants ?? []).map((child) => child.run)]).map((run) => [run.runId, run.status]));
  return [...promised].flatMap(([runId, promise]) => {
    const status = statuses.get(runId);
    if (status === undefined) return [`${runId}: acknowledged, but in no tree (lost)`];
    if (promise === 'completed' && status !== 'completed') return [`${runId}: its complete was acknowledged, it is ${status}`];
    if (promise === 'ended' && status === 'running') return [`${runId}: its cancel was acknowledged, it is running`];
    return [];
  });
}

/**
 * Every tree keeps the spec's invariants, every acknowledged command is in them, and a rebuild from the
 * journal gives back the same read models.
 */
export async function treeAndRebuildViolations(client: RuntreeClient, roots: readonly string[], promised: ReadonlyMap<string, Promised>): Promise<{ violations: string[]; runs: number; lost: number }> {
  const live = await collectTrees(client, roots);
  const lost = lostViolations(live, promised);
  const violations = [...treeViolations(live), ...lost];
  successBody(await client.admin('rebuild'));
  const rebuilt = await collectTrees(client, roots);
  live.forEach((tree, index) => {
    if (!isDeepStrictEqual(tree, rebuilt[index])) violations.push(`${tree.run.runId}: the tree after a rebuild differs from the live one`);
  });
  return { violations, runs: live.reduce((sum, tree) => sum + 1 + (tree.descendants?.length ?? 0), 0), lost: lost.length };
}
