import { randomUUID } from 'node:crypto';
import { expect, it } from '@jest/globals';
import { LimitsPolicy, type Orchestrator, type OrchestrationPolicy, type SpawnRequest } from '@runtree/orchestration';
import { entriesOfType, expectOrchestratorError } from '../support/orchestrator-expect.js';
import { describeOnEveryStore } from '../support/orchestrator-targets.js';
import { openSubstrates, startRootInThread } from '../support/substrates.js';
import { buildTree, chainSpec, startRoot, wideSpec } from '../support/trees.js';

/**
 * Checks that `attempt` is refused with policy_denied naming `limit`, that the denial is the last SpawnDenied
 * in the parent's journal, and that the parent got no child from it.
 */
async function expectDenied(orchestrator: Orchestrator, parentRunId: string, limit: string, attempt: () => Promise<unknown>): Promise<void> {
  const childrenBefore = await orchestrator.listChildren(parentRunId);
  const error = await expectOrchestratorError(attempt(), 'policy_denied', { limit, reason: expect.any(String) });
  expect(error.details.reason).toEqual(expect.stringContaining(limit));

  const journal = (await orchestrator.collect(parentRunId)).journal ?? [];
  expect(entriesOfType(journal, 'SpawnDenied').at(-1)?.data).toMatchObject({ limit, reason: error.details.reason });
  expect(await orchestrator.listChildren(parentRunId)).toEqual(childrenBefore);
  expect((await orchestrator.status(parentRunId)).childCount).toBe(childrenBefore.length);
}

describeOnEveryStore('policy', (_orchestrator, store) => {
  it('denies a child deeper than maxDepth and allows up to it', async () => {
    const orchestrator = await store.openAnother({ policy: new LimitsPolicy({ maxDepth: 2 }) });
    const chain = await buildTree(orchestrator, chainSpec(2));
    const deepest = chain.children[0].children[0];

    await expectDenied(orchestrator, deepest.runId, 'maxDepth', () => orchestrator.spawn(deepest.runId));
    await expectDenied(orchestrator, deepest.runId, 'maxDepth', () => orchestrator.delegate(deepest.runId, { task: 'too deep' }));
    await expect(orchestrator.spawn(chain.runId)).resolves.toMatchObject({ parentRunId: chain.runId });
  });

  it('denies more direct children than maxChildrenPerRun, counting finished children too', async () => {
    const orchestrator = await store.openAnother({ policy: new LimitsPolicy({ maxChildrenPerRun: 3 }) });
    const tree = await buildTree(orchestrator, wideSpec(3, (index) => (index === 0 ? 'completed' : 'running')));

    await expectDenied(orchestrator, tree.runId, 'maxChildrenPerRun', () => orchestrator.spawn(tree.runId));
    await expect(orchestrator.spawn(tree.children[1].runId)).resolves.toMatchObject({ parentRunId: tree.children[1].runId });
  });

  it('denies more running descendants per root than maxRunningDescendantsPerRoot, and allows again once one finishes', async () => {
    const orchestrator = await store.openAnother({ policy: new LimitsPolicy({ maxRunningDescendantsPerRoot: 3 }) });
    const tree = await buildTree(orchestrator, { children: [{ children: [{}] }, {}] });
    const grandchild = tree.children[0].children[0];

    await expectDenied(orchestrator, grandchild.runId, 'maxRunningDescendantsPerRoot', () => orchestrator.spawn(grandchild.runId));
    await orchestrator.completeRun(tree.children[1].runId);
    await expect(orchestrator.spawn(grandchild.runId)).resolves.toMatchObject({ parentRunId: grandchild.runId });
  });

  it('denies kinds outside allowedKinds, the default kinds included', async () => {
    const orchestrator = await store.openAnother({ policy: new LimitsPolicy({ allowedKinds: ['researcher'] }) });
    const root = await startRoot(orchestrator);

    await expect(orchestrator.spawn(root.runId, { kind: 'researcher' })).resolves.toMatchObject({ run: { kind: 'researcher' } });
    await expectDenied(orchestrator, root.runId, 'allowedKinds', () => orchestrator.spawn(root.runId));
    await expectDenied(orchestrator, root.runId, 'allowedKinds', () => orchestrator.delegate(root.runId, 'a task'));
  });

  it('denies kinds in deniedKinds and allows the others', async () => {
    const orchestrator = await store.openAnother({ policy: new LimitsPolicy({ deniedKinds: ['shell'] }) });
    const root = await startRoot(orchestrator);

    await expectDenied(orchestrator, root.runId, 'deniedKinds', () => orchestrator.spawn(root.runId, { kind: 'shell' }));
    await expect(orchestrator.delegate(root.runId, 'a task')).resolves.toMatchObject({ kind: 'delegated_task' });
  });

  it('creates nothing for a denied spawn: its run id stays free', async () => {
    const orchestrator = await store.openAnother({ policy: new LimitsPolicy({ maxChildrenPerRun: 0 }) });
    const root = await startRoot(orchestrator);
    const runId = `denied-${randomUUID()}`;

    await expectDenied(orchestrator, root.runId, 'maxChildrenPerRun', () => orchestrator.spawn(root.runId, { runId, session: { open: {} } }));
    await expectOrchestratorError(orchestrator.status(runId), 'not_found');
    await expect(orchestrator.startRun({ runId })).resolves.toMatchObject({ runId });
  });

  it('asks a custom policy with the parent, relation, kind, task, metadata, scope and tree shape', async () => {
    const requests: SpawnRequest[] = [];
    const recordingPolicy: OrchestrationPolicy = {
      evaluate: (request) => {
        requests.push(request);
        return request.metadata.deny === true ? { allowed: false, limit: 'custom', reason: 'custom rule says no' } : { allowed: true };
      },
    };
    const orchestrator = await store.openAnother({ policy: recordingPolicy });
    const fixture = await openSubstrates(orchestrator);
    const root = await startRootInThread(orchestrator, fixture);
    const child = await orchestrator.spawn(root.runId);
    await orchestrator.delegate(child.run.runId, { goal: 'g' }, { kind: 'worker', metadata: { tier: 1 } });

    expect(requests.at(-1)).toMatchObject({
      parent: { runId: child.run.runId },
      relation: 'delegated',
      kind: 'worker',
      task: { goal: 'g' },
      metadata: { tier: 1 },
      sessionId: fixture.session.sessionId,
      threadId: fixture.thread.threadId,
      tree: { rootRunId: root.runId, parentDepth: 1, parentChildCount: 0, runningDescendantsOfRoot: 1 },
    });
    await expectDenied(orchestrator, root.runId, 'custom', () => orchestrator.spawn(root.runId, { metadata: { deny: true } }));
  });
});
