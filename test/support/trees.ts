import type { Orchestrator, Run, RunStatus, SpawnOptions, StartRunOptions } from '@runtree/orchestration';

/** The shape of a run tree to build. */
export interface TreeSpec {
  readonly kind?: string;
  /** Where the run is brought once the whole tree is built (children first). Default `running`. */
  readonly settle?: RunStatus;
  readonly children?: readonly TreeSpec[];
}

export interface BuiltTree {
  readonly runId: string;
  readonly parentRunId?: string;
  readonly depth: number;
  readonly spec: TreeSpec;
  readonly children: readonly BuiltTree[];
}

/** A root run with no session, named so a failing test's journal is easy to read. */
export function startRoot(orchestrator: Orchestrator, options: StartRunOptions = {}): Promise<Run> {
  return orchestrator.startRun({ kind: 'acceptance_root', ...options });
}

/** Brings a running run to `status` through the public API (`running` leaves it as it is). */
export async function settleRun(orchestrator: Orchestrator, runId: string, status: RunStatus): Promise<void> {
  switch (status) {
    case 'running':
      return;
    case 'completed':
      await orchestrator.completeRun(runId, { settledBy: 'test' });
      return;
    case 'failed':
      await orchestrator.failRun(runId, { message: 'failed by test' });
      return;
    case 'cancelled':
      await orchestrator.cancel(runId, 'cancelled by test');
      return;
  }
}

/**
 * Builds the tree level by level (all children of a level before any grandchild, so creation order is not
 * depth-first order), siblings in the order given, then settles every run, children before their parent.
 */
export async function buildTree(
  orchestrator: Orchestrator,
  spec: TreeSpec,
  rootOptions: StartRunOptions = {},
  spawnOptions: (parent: BuiltTree, index: number) => SpawnOptions = () => ({}),
): Promise<BuiltTree> {
  type MutableTree = { runId: string; parentRunId?: string; depth: number; spec: TreeSpec; children: MutableTree[] };
  const root = await startRoot(orchestrator, { ...(spec.kind ? { kind: spec.kind } : {}), ...rootOptions });
  const tree: MutableTree = { runId: root.runId, depth: 0, spec, children: [] };
  let level: MutableTree[] = [tree];
  while (level.length > 0) {
    const next: MutableTree[] = [];
    for (const parent of level) {
      for (const [index, childSpec] of (parent.spec.children ?? []).entries()) {
        const child = await orchestrator.spawn(parent.runId, {
          ...(childSpec.kind ? { kind: childSpec.kind } : {}),
          ...spawnOptions(parent, index),
        });
        const node: MutableTree = { runId: child.run.runId, parentRunId: parent.runId, depth: parent.depth + 1, spec: childSpec, children: [] };
        parent.children.push(node);
        next.push(node);
      }
    }
    level = next;
  }
  for (const node of postOrder(tree)) await settleRun(orchestrator, node.runId, node.spec.settle ?? 'running');
  return tree;
}

/** A chain root → … of `depth` levels below the root; the deepest run has `leaf` as its spec. */
export function chainSpec(depth: number, leaf: TreeSpec = {}): TreeSpec {
  let spec = leaf;
  for (let level = 0; level < depth; level++) spec = { children: [spec] };
  return spec;
}

export const allStatuses: readonly RunStatus[] = ['running', 'completed', 'failed', 'cancelled'];

/** A root with `width` leaf children; child `i` is settled to `settleOf(i)`. */
export function wideSpec(width: number, settleOf: (index: number) => RunStatus = () => 'running'): TreeSpec {
  return { children: Array.from({ length: width }, (_, index) => ({ settle: settleOf(index) })) };
}

/** Cycles through every status, so a wide tree has all of them. */
export const mixedStatus = (index: number): RunStatus => allStatuses[index % allStatuses.length];

/** Every descendant, depth-first pre-order (each child before its own children), siblings in creation order. */
export function preOrderDescendants(tree: BuiltTree): BuiltTree[] {
  return tree.children.flatMap((child) => [child, ...preOrderDescendants(child)]);
}

/** Every run of the tree, children before their parent. */
export function postOrder<T extends { readonly children: readonly T[] }>(tree: T): T[] {
  return [...tree.children.flatMap((child) => postOrder(child)), tree];
}

/** Every run of the tree, the root first. */
export function allRuns(tree: BuiltTree): BuiltTree[] {
  return [tree, ...preOrderDescendants(tree)];
}

export async function statusesOf(orchestrator: Orchestrator, tree: BuiltTree): Promise<Map<string, Run>> {
  const runs = await Promise.all(allRuns(tree).map(async (node) => (await orchestrator.status(node.runId)).run));
  return new Map(runs.map((run) => [run.runId, run]));
}
