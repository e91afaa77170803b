import { expect, it } from '@jest/globals';
import type { Orchestrator } from '@runtree/orchestration';
import { answeredWithin } from '../support/deferred.js';
import { describeOnEveryStore } from '../support/orchestrator-targets.js';
import { buildTree, type TreeSpec } from '../support/trees.js';

const rounds = 15;
const cancelsPerRound = 6;
/** A root with four children of three grandchildren each: cancels of the root and of the children overlap on every level. */
const tree: TreeSpec = { children: Array.from({ length: 4 }, () => ({ children: [{}, {}, {}] })) };
/** Longer than any round takes on a loaded machine: a cancel waiting for a lock another one holds while it waits never answers. */
const ROUND_TIMEOUT_MS = 30_000;
const TIMEOUT_MS = rounds * ROUND_TIMEOUT_MS;

/** Cancels of the root and of its children, each started a few event-loop turns after the one before. */
async function overlappingCancels(orchestrator: Orchestrator, round: number) {
  const built = await buildTree(orchestrator, tree, { metadata: { round } });
  const targets = [built.runId, ...built.children.map((child) => child.runId)];
  const cancels: Promise<unknown>[] = [];
  for (let index = 0; index < cancelsPerRound; index++) {
    cancels.push(orchestrator.cancel(targets[index % targets.length], `overlap ${round}.${index}`));
    for (let turn = 0; turn < index % 3; turn++) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return { rootRunId: built.runId, outcomes: await answeredWithin(Promise.allSettled(cancels), ROUND_TIMEOUT_MS, `round ${round}`) };
}

describeOnEveryStore('cancels racing each other on one tree', (orchestrator) => {
  it(`answers every cancel and leaves the whole tree cancelled, over ${rounds} rounds of ${cancelsPerRound} overlapping cancels`, async () => {
    for (let round = 0; round < rounds; round++) {
      const { rootRunId, outcomes } = await overlappingCancels(orchestrator(), round);
      const refused = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [String(outcome.reason)] : []));
      expect({ round, refused }).toEqual({ round, refused: [] });
      const collected = await orchestrator().collect(rootRunId, { includeDescendants: true });
      const statuses = [collected.run, ...(collected.descendants ?? []).map((child) => child.run)].map((run) => run.status);
      expect({ round, statuses }).toEqual({ round, statuses: statuses.map(() => 'cancelled') });
      expect(statuses).toHaveLength(1 + 4 + 12);
    }
  }, TIMEOUT_MS);
});
