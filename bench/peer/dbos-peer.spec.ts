import { describe, expect, it } from '@jest/globals';
import { DBOS } from '@dbos-inc/dbos-sdk';
import { chainTree, wideTree } from '../orchestration/tree-shapes.js';
import { dbosPeer, withLaunchedDbos } from './dbos-peer.js';

// Needs the PostgreSQL of RUNTREE_BENCH_POSTGRES_URL: fails, never skips, without it.
describe('DBOS as a peer, in its own database', () => {
  it('spawns child workflows, collects a tree with its steps, and cancels a tree and a chain whole', async () => {
    const idleErrors: Error[] = [];
    await withLaunchedDbos(
      async () => {
        const peer = dbosPeer();
        expect(await peer.spawnRate(2, 100)).toBeGreaterThan(0);

        const tree = await peer.buildTree(wideTree(60, 3), 4);
        // Each method checks what DBOS returned (every workflow, a step per child started) and throws on a short answer.
        expect(await peer.collectTree(tree)).toBeGreaterThan(0);
        expect(await peer.collectTreeWithSteps!(tree)).toBeGreaterThan(0);
        expect(await peer.cancelTree(tree)).toBeGreaterThan(0);
        expect(await peer.cancelTree(await peer.buildTree(chainTree(40, 20), 4))).toBeGreaterThan(0);

        const pending = await DBOS.listWorkflows({ status: 'PENDING', loadInput: false, loadOutput: false });
        expect(pending.map((workflow) => workflow.workflowID)).toEqual([]);
      },
      undefined,
      (errors) => idleErrors.push(...errors),
    );
    expect(idleErrors).toEqual([]);
  }, 120_000);
});
