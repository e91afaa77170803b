/**
 * The DBOS workflows the bench runs, registered when this module loads (DBOS needs them before
 * `launch`). They wait on in-process gates the bench opens: a held workflow stays PENDING, as a
 * Runtree run stays running, without polling the database. The gates are not durable; the bench
 * never recovers a workflow.
 */
import { DBOS, type WorkflowHandle } from '@dbos-inc/dbos-sdk';
import type { TreeShape } from '../orchestration/tree-shapes.js';
import { gate, type Gate } from './gate.js';

/** Held workflows by gate id: the gate they wait on, and the handles of those started so far. */
const held = new Map<string, { readonly gate: Gate; readonly handles: WorkflowHandle<unknown>[] }>();
const trees = new Map<string, TreeBuild>();

function holding(id: string) {
  let entry = held.get(id);
  if (entry === undefined) {
    entry = { gate: gate(), handles: [] };
    held.set(id, entry);
  }
  return entry;
}

/** The gate the workflows holding on `id` wait for (their arguments are serialized, so they get the id). */
export function namedGate(id: string): Gate {
  return holding(id).gate;
}

/** Notes a workflow held on `id`, so `release` waits for it. */
export function hold(id: string, handle: WorkflowHandle<unknown>): void {
  holding(id).handles.push(handle);
}

/**
 * Opens the gate and waits until every workflow held on it has settled in DBOS (recorded its result,
 * or, when it was cancelled, read back its cancellation), so nothing is left using the pool.
 */
export async function release(id: string): Promise<void> {
  const entry = holding(id);
  entry.gate.open();
  await Promise.allSettled(entry.handles.map((handle) => handle.getResult()));
  held.delete(id);
}

/** A run that stays PENDING until its gate opens. */
export const heldRun = DBOS.registerWorkflow(
  async (gateId: string): Promise<void> => {
    await namedGate(gateId).opened;
  },
  { name: 'runtreeBenchHeldRun' },
);

/** A caller: waits for the start gate, then starts held children one after the other for `durationMs`; returns how many. */
export const spawner = DBOS.registerWorkflow(
  async (startGateId: string, childGateId: string, durationMs: number): Promise<number> => {
    await namedGate(startGateId).opened;
    const deadline = performance.now() + durationMs;
    let spawned = 0;
    while (performance.now() < deadline) {
      hold(childGateId, await DBOS.startWorkflow(heldRun)(childGateId));
      spawned += 1;
    }
    return spawned;
  },
  { name: 'runtreeBenchSpawner' },
);

/** A tree being built: each node's children by level, and a count of the nodes that have started theirs. */
interface TreeBuild {
  readonly childrenOf: readonly (readonly number[])[][];
  readonly runs: number;
  ready: number;
  readonly built: Gate;
}

export function treeNodeId(treeId: string, level: number, index: number): string {
  return `${treeId}:${level}:${index}`;
}

/** Registers the tree's shape; `built` opens once every node has started its children. */
export function planTree(treeId: string, shape: TreeShape): Gate {
  const childrenOf = [[[] as number[]], ...shape.map((level) => Array.from({ length: level.length }, () => [] as number[]))];
  shape.forEach((level, above) => level.forEach((parent, index) => childrenOf[above][parent].push(index)));
  const build: TreeBuild = { childrenOf, runs: 1 + shape.reduce((total, level) => total + level.length, 0), ready: 0, built: gate() };
  trees.set(treeId, build);
  return build.built;
}

export function forgetTree(treeId: string): void {
  trees.delete(treeId);
}

/** A node of a tree: starts its children as child workflows (so DBOS records it as their parent), then is held. */
export const treeNode = DBOS.registerWorkflow(
  async (treeId: string, level: number, index: number): Promise<void> => {
    const build = trees.get(treeId);
    if (build === undefined) throw new Error(`tree ${treeId} was not planned`);
    for (const child of build.childrenOf[level][index]) {
      hold(treeId, await DBOS.startWorkflow(treeNode, { workflowID: treeNodeId(treeId, level + 1, child) })(treeId, level + 1, child));
    }
    build.ready += 1;
    if (build.ready === build.runs) build.built.open();
    await namedGate(treeId).opened;
  },
  { name: 'runtreeBenchTreeNode' },
);
