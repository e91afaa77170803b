import type { FleetCommand } from './fleet-commands.js';

/** How a tree's script ends: everything completed, the whole tree cancelled, or one subtree cancelled. */
export type TreeEnding = 'complete' | 'cancel-tree' | 'cancel-subtree';
export const TREE_ENDINGS: readonly TreeEnding[] = ['complete', 'cancel-tree', 'cancel-subtree'];

/**
 * A tree's commands in rounds: the commands of a round are sent at once (to different instances),
 * a round starts once the previous one is acknowledged. The tree: root → c0 (→ g0), c1, and the
 * delegated d0; a step on the root and on c0.
 */
export function treeScript(root: string, ending: TreeEnding): FleetCommand[][] {
  const [c0, c1, d0, g0] = [`${root}-c0`, `${root}-c1`, `${root}-d0`, `${root}-c0-g0`];
  const spawn = (parentRunId: string, childRunId: string): FleetCommand => ({ kind: 'spawn', key: `spawn-${childRunId}`, parentRunId, childRunId });
  const startStep = (runId: string): FleetCommand => ({ kind: 'startStep', key: `step-${runId}`, runId, stepId: 's0' });
  const completeStep = (runId: string): FleetCommand => ({ kind: 'completeStep', key: `step-done-${runId}`, runId, stepId: 's0' });
  const complete = (runId: string): FleetCommand => ({ kind: 'complete', key: `complete-${runId}`, runId });
  const cancel = (runId: string): FleetCommand => ({ kind: 'cancel', key: `cancel-${runId}`, runId });
  const rounds: FleetCommand[][] = [
    [{ kind: 'start', key: `start-${root}`, runId: root }],
    [spawn(root, c0), spawn(root, c1), { kind: 'delegate', key: `delegate-${d0}`, parentRunId: root, childRunId: d0 }],
    [startStep(root), startStep(c0), spawn(c0, g0)],
    [completeStep(root), completeStep(c0), complete(d0)],
  ];
  switch (ending) {
    case 'complete':
      return [...rounds, [complete(g0), complete(c1)], [complete(c0)], [complete(root)]];
    case 'cancel-tree':
      return [...rounds, [cancel(root)]];
    case 'cancel-subtree':
      return [...rounds, [cancel(c0), complete(c1)], [complete(root)]];
  }
}

/** Runs a tree's script: each round's commands at once, the next round once they are all acknowledged. */
export async function runTree(send: (command: FleetCommand) => Promise<void>, root: string, ending: TreeEnding): Promise<void> {
  for (const round of treeScript(root, ending)) await Promise.all(round.map(send));
}
