import { randomUUID } from 'node:crypto';
import { expect, it } from '@jest/globals';
import { expectOrchestratorError, malformed } from '../support/orchestrator-expect.js';
import { describeOnEveryStore } from '../support/orchestrator-targets.js';
import { openSubstrates, startRootInSession } from '../support/substrates.js';
import { buildTree, chainSpec, settleRun, startRoot } from '../support/trees.js';

describeOnEveryStore('listChildren', (orchestrator) => {
  it('gives [] for a run with no children', async () => {
    const run = await startRoot(orchestrator());
    expect(await orchestrator().listChildren(run.runId)).toEqual([]);
  });

  it('lists spawned and delegated children oldest first, whatever their ids', async () => {
    const parent = await startRoot(orchestrator());
    const ids = ['zz-last-alphabetically', 'aa-first-alphabetically', 'mm-middle'].map((prefix) => `${prefix}-${randomUUID()}`);
    await orchestrator().spawn(parent.runId, { runId: ids[0] });
    await orchestrator().delegate(parent.runId, { step: 2 }, { runId: ids[1] });
    await orchestrator().spawn(parent.runId, { runId: ids[2] });

    const children = await orchestrator().listChildren(parent.runId);
    expect(children.map((child) => child.run.runId)).toEqual(ids);
    expect(children.map((child) => child.relation)).toEqual(['spawned', 'delegated', 'spawned']);
  });

  it('gives link sequences in creation order, from 0', async () => {
    const parent = await startRoot(orchestrator());
    const created = [];
    for (let index = 0; index < 4; index++) created.push((await orchestrator().spawn(parent.runId)).run.runId);

    const links = await Promise.all(created.map(async (runId) => (await orchestrator().collect(runId, { includeJournal: false })).link));
    expect(links.map((link) => link?.sequence)).toEqual([0, 1, 2, 3]);
  });

  it("shows each child's current state", async () => {
    const parent = await startRoot(orchestrator());
    const done = await orchestrator().spawn(parent.runId);
    const failing = await orchestrator().spawn(parent.runId);
    await orchestrator().completeRun(done.run.runId, { answer: 42 });
    await orchestrator().failRun(failing.run.runId, 'boom');

    const children = await orchestrator().listChildren(parent.runId);
    expect(children[0].run).toMatchObject({ status: 'completed', output: { answer: 42 } });
    expect(children[1].run).toMatchObject({ status: 'failed', error: 'boom' });
  });

  it('lists direct children only', async () => {
    const tree = await buildTree(orchestrator(), chainSpec(3));
    const children = await orchestrator().listChildren(tree.runId);
    expect(children.map((child) => child.run.runId)).toEqual([tree.children[0].runId]);
  });

  it('accepts the parent as a run object', async () => {
    const parent = await startRoot(orchestrator());
    const child = await orchestrator().spawn(parent.runId);
    expect((await orchestrator().listChildren(parent)).map((entry) => entry.run.runId)).toEqual([child.run.runId]);
  });

  it('refuses an unknown parent with parent_not_found and a malformed one with invalid_parent', async () => {
    await expectOrchestratorError(orchestrator().listChildren(`missing-${randomUUID()}`), 'parent_not_found');
    await expectOrchestratorError(orchestrator().listChildren(malformed({ id: 'x' })), 'invalid_parent');
    await expectOrchestratorError(orchestrator().listChildren(malformed(3)), 'invalid_parent');
  });
});

describeOnEveryStore('status', (orchestrator) => {
  it('gives a fresh root run with zero counts, awaitable, and no lineage', async () => {
    const run = await startRoot(orchestrator(), { metadata: { origin: 'test' } });
    const status = await orchestrator().status(run.runId);

    expect(status).toMatchObject({ run: { runId: run.runId, status: 'running' }, stepCount: 0, activeStepCount: 0, childCount: 0, activeChildCount: 0, awaitable: true });
    expect(status.relation).toBeUndefined();
    expect(status.parentRunId).toBeUndefined();
  });

  it('counts steps and running steps', async () => {
    const run = await startRoot(orchestrator());
    const first = await orchestrator().startStep(run.runId, { name: 'fetch' });
    const second = await orchestrator().startStep(run.runId, { name: 'parse' });
    await orchestrator().startStep(run.runId, { name: 'index' });
    await orchestrator().completeStep(run.runId, first.stepId);
    await orchestrator().failStep(run.runId, second.stepId, 'bad input');

    expect(await orchestrator().status(run.runId)).toMatchObject({ stepCount: 3, activeStepCount: 1 });
  });

  it('counts direct children and the ones still running, not grandchildren', async () => {
    const tree = await buildTree(orchestrator(), { children: [{ children: [{}, {}] }, { settle: 'completed' }, {}, { settle: 'failed' }] });
    expect(await orchestrator().status(tree.runId)).toMatchObject({ childCount: 4, activeChildCount: 2 });
    expect(await orchestrator().status(tree.children[0].runId)).toMatchObject({ childCount: 2, activeChildCount: 2 });
  });

  it('drops a child from activeChildCount when it is cancelled', async () => {
    const parent = await startRoot(orchestrator());
    const child = await orchestrator().spawn(parent.runId);
    await orchestrator().cancel(child.run.runId, 'not needed');
    expect(await orchestrator().status(parent.runId)).toMatchObject({ childCount: 1, activeChildCount: 0 });
  });

  it.each(['completed', 'failed', 'cancelled'] as const)('is not awaitable once %s', async (status) => {
    const run = await startRoot(orchestrator());
    await settleRun(orchestrator(), run.runId, status);
    expect(await orchestrator().status(run.runId)).toMatchObject({ run: { status }, awaitable: false });
  });

  it("gives a child's relation, parent, substrate, session, thread, caller metadata and task", async () => {
    const fixture = await openSubstrates(orchestrator());
    const parent = await startRootInSession(orchestrator(), fixture);
    const run = await orchestrator().delegate(parent.runId, { goal: 'translate' }, { metadata: { lang: 'fr' }, thread: { start: { name: 'fr' } } });

    const status = await orchestrator().status(run.runId);
    expect(status).toMatchObject({
      relation: 'delegated',
      parentRunId: parent.runId,
      substrate: 'thread',
      sessionId: fixture.session.sessionId,
      threadId: run.threadId,
      metadata: { lang: 'fr' },
      task: { goal: 'translate' },
    });
    expect(status.threadId).toEqual(expect.any(String));
    expect(status.metadata).not.toHaveProperty('orchestrator');
  });

  it('refuses an unknown run with not_found', async () => {
    await expectOrchestratorError(orchestrator().status(`missing-${randomUUID()}`), 'not_found');
  });
});
