import { randomUUID } from 'node:crypto';
import { expect, it } from '@jest/globals';
import type { JsonValue } from '@runtree/event-store';
import type { CancelResult, Orchestrator, Run } from '@runtree/orchestration';
import {
  compareJournalPositions,
  entriesOfType,
  expectOrchestratorError,
  onlyEntry,
  runStreamName,
} from '../support/orchestrator-expect.js';
import { describeOnEveryStore } from '../support/orchestrator-targets.js';
import { openSubstrates, startRootInSession } from '../support/substrates.js';
import {
  allRuns,
  allStatuses,
  buildTree,
  chainSpec,
  mixedStatus,
  settleRun,
  startRoot,
  statusesOf,
  wideSpec,
  type BuiltTree,
  type TreeSpec,
} from '../support/trees.js';

/** A spine `depth` levels deep; every spine run has a leaf of each status, and every other spine run is completed. */
function spineSpec(depth: number, level = 0): TreeSpec {
  const leaves = allStatuses.map((settle) => ({ settle }));
  if (level === depth) return { children: leaves };
  return { settle: level % 2 === 1 ? 'completed' : 'running', children: [spineSpec(depth, level + 1), ...leaves] };
}

/** `node` and its ancestors up to the cancelled run, nearest first. */
function ancestorsWithin(tree: BuiltTree, node: BuiltTree): BuiltTree[] {
  const byId = new Map(allRuns(tree).map((entry) => [entry.runId, entry]));
  const ancestors: BuiltTree[] = [];
  for (let parentId = node.parentRunId; parentId && byId.has(parentId); parentId = byId.get(parentId)?.parentRunId) {
    ancestors.push(byId.get(parentId) as BuiltTree);
  }
  return ancestors;
}

/**
 * Checks what `cancel(tree.runId, reason)` must have done, given the runs as they were before it:
 * every run that was running is cancelled with the right reason and origin, every other run is untouched,
 * and each cancellation comes after those of its descendants, in the result and in the journal.
 */
async function expectTreeCancelled(orchestrator: Orchestrator, tree: BuiltTree, before: Map<string, Run>, reason: JsonValue, result: CancelResult) {
  const after = await statusesOf(orchestrator, tree);
  const nodes = allRuns(tree);
  const newlyCancelled = nodes.filter((node) => before.get(node.runId)?.status === 'running');
  const journal = (await orchestrator.collect(tree.runId, { includeDescendants: true })).journal ?? [];

  expect(result.runId).toBe(tree.runId);
  expect([...result.cancelled].sort()).toEqual(newlyCancelled.map((node) => node.runId).sort());
  expect(nodes.filter((node) => after.get(node.runId)?.status === 'running')).toEqual([]);

  for (const node of nodes) {
    const run = after.get(node.runId) as Run;
    if (!newlyCancelled.includes(node)) {
      expect(run).toEqual(before.get(node.runId));
      continue;
    }
    const expectedReason = node === tree ? reason : { cancelledByParent: node.parentRunId, reason };
    expect(run).toMatchObject({ status: 'cancelled', cancelReason: expectedReason });
    const entry = onlyEntry(journal, runStreamName(node.runId), 'RunCancelled');
    expect(entry.data).toEqual({ reason: expectedReason, origin: node === tree ? 'root' : { childOf: node.parentRunId } });

    for (const ancestor of ancestorsWithin(tree, node).filter((candidate) => newlyCancelled.includes(candidate))) {
      const ancestorEntry = onlyEntry(journal, runStreamName(ancestor.runId), 'RunCancelled');
      expect({ descendant: node.runId, before: compareJournalPositions(entry.position, ancestorEntry.position) < 0 }).toEqual({
        descendant: node.runId,
        before: true,
      });
      expect(result.cancelled.indexOf(node.runId)).toBeLessThan(result.cancelled.indexOf(ancestor.runId));
    }
  }
}

async function cancelAndCheck(orchestrator: Orchestrator, tree: BuiltTree, reason: JsonValue): Promise<CancelResult> {
  const before = await statusesOf(orchestrator, tree);
  const result = await orchestrator.cancel(tree.runId, reason);
  await expectTreeCancelled(orchestrator, tree, before, reason, result);
  return result;
}

describeOnEveryStore('cancel', (orchestrator) => {
  it('cancels a running run with the reason as given and origin root', async () => {
    const run = await startRoot(orchestrator());
    const result = await orchestrator().cancel(run.runId, { why: 'user pressed stop' });

    expect(result).toEqual({ runId: run.runId, cancelled: [run.runId] });
    expect((await orchestrator().status(run.runId)).run).toMatchObject({ status: 'cancelled', cancelReason: { why: 'user pressed stop' } });
    const journal = (await orchestrator().collect(run.runId)).journal ?? [];
    expect(onlyEntry(journal, runStreamName(run.runId), 'RunCancelled').data).toEqual({ reason: { why: 'user pressed stop' }, origin: 'root' });
  });

  it('cancels a deep chain (depth 6) leaf first, each run naming its direct parent', async () => {
    const tree = await buildTree(orchestrator(), chainSpec(6));
    const result = await cancelAndCheck(orchestrator(), tree, 'deep stop');
    expect(result.cancelled).toEqual(allRuns(tree).map((node) => node.runId).reverse());
  });

  it('cancels the running children of a wide tree (24 children of mixed states) and leaves the finished ones as they are', async () => {
    const tree = await buildTree(orchestrator(), wideSpec(24, mixedStatus));
    const result = await cancelAndCheck(orchestrator(), tree, 'wide stop');
    expect(result.cancelled).toHaveLength(1 + 24 / allStatuses.length);
    expect(result.cancelled.at(-1)).toBe(tree.runId);
  });

  it('cancels a deep and wide tree of mixed states, including running descendants of finished runs', async () => {
    const tree = await buildTree(orchestrator(), spineSpec(6));
    expect(Math.max(...allRuns(tree).map((node) => node.depth))).toBeGreaterThanOrEqual(5);
    await cancelAndCheck(orchestrator(), tree, { reason: 'budget exhausted' });
  });

  it('keeps a finished run as it is when cancelled directly, but cancels its running descendants', async () => {
    const tree = await buildTree(orchestrator(), { settle: 'completed', children: [{ children: [{}] }, { settle: 'failed' }] });
    const result = await cancelAndCheck(orchestrator(), tree, 'cleanup');
    expect(result.cancelled).toEqual([tree.children[0].children[0].runId, tree.children[0].runId]);
    expect((await orchestrator().status(tree.runId)).run.status).toBe('completed');
  });

  it('cancels only the subtree: the ancestors keep running and count one active child less', async () => {
    const tree = await buildTree(orchestrator(), { children: [{ children: [{}, {}] }, {}] });
    await cancelAndCheck(orchestrator(), tree.children[0], 'prune');

    expect((await orchestrator().status(tree.runId)).run.status).toBe('running');
    expect((await orchestrator().status(tree.children[1].runId)).run.status).toBe('running');
    expect(await orchestrator().status(tree.runId)).toMatchObject({ childCount: 2, activeChildCount: 1 });
  });

  it('is idempotent: a second cancel changes nothing and cancels nothing', async () => {
    const tree = await buildTree(orchestrator(), { children: [{ children: [{}] }, {}] });
    await orchestrator().cancel(tree.runId, 'first');
    const collectedBefore = await orchestrator().collect(tree.runId, { includeDescendants: true });

    const second = await orchestrator().cancel(tree.runId, 'second');
    expect(second).toEqual({ runId: tree.runId, cancelled: [] });
    expect(await orchestrator().collect(tree.runId, { includeDescendants: true })).toEqual(collectedBefore);
    expect((await orchestrator().status(tree.runId)).run.cancelReason).toBe('first');
  });

  it.each(['completed', 'failed'] as const)('accepts cancelling a %s run without running descendants and changes nothing', async (status) => {
    const run = await startRoot(orchestrator());
    await settleRun(orchestrator(), run.runId, status);
    const collectedBefore = await orchestrator().collect(run.runId);

    expect(await orchestrator().cancel(run.runId, 'too late')).toEqual({ runId: run.runId, cancelled: [] });
    expect(await orchestrator().collect(run.runId)).toEqual(collectedBefore);
  });

  it('accepts a cancel without a reason', async () => {
    const run = await startRoot(orchestrator());
    await orchestrator().cancel(run.runId);
    expect((await orchestrator().status(run.runId)).run.status).toBe('cancelled');
  });

  it('closes the session a cancelled child owns when stopOnCancel is left at its default', async () => {
    const parent = await startRoot(orchestrator());
    const child = await orchestrator().spawn(parent.runId, { session: { open: {} } });
    await orchestrator().cancel(child.run.runId, 'stop');

    await expectOrchestratorError(orchestrator().startThread(child.sessionId as string), 'session_closed');
    await expectOrchestratorError(orchestrator().startRun({ sessionId: child.sessionId }), 'session_closed');
  });

  it('closes the owned session of a child cancelled as a descendant', async () => {
    const root = await startRoot(orchestrator());
    const middle = await orchestrator().spawn(root.runId);
    const owner = await orchestrator().delegate(middle.run.runId, { work: 1 }, { session: { open: {} }, thread: { start: {} } });
    await orchestrator().cancel(root.runId, 'stop all');

    await expectOrchestratorError(orchestrator().startThread(owner.sessionId as string), 'session_closed');
  });

  it('leaves the owned session open when stopOnCancel is false', async () => {
    const parent = await startRoot(orchestrator());
    const child = await orchestrator().spawn(parent.runId, { session: { open: {}, stopOnCancel: false } });
    await orchestrator().cancel(parent.runId, 'stop');

    await expect(orchestrator().startThread(child.sessionId as string)).resolves.toMatchObject({ sessionId: child.sessionId, status: 'open' });
  });

  it('leaves a session the child did not own open', async () => {
    const fixture = await openSubstrates(orchestrator());
    const parent = await startRootInSession(orchestrator(), fixture);
    const child = await orchestrator().spawn(parent.runId);
    await orchestrator().cancel(parent.runId, 'stop');

    expect(child.sessionId).toBe(fixture.session.sessionId);
    await expect(orchestrator().startThread(fixture.session.sessionId)).resolves.toMatchObject({ status: 'open' });
  });

  it('cancels the running steps of every cancelled run, recorded as StepCancelled, and leaves finished steps', async () => {
    const tree = await buildTree(orchestrator(), { children: [{}] });
    const child = tree.children[0].runId;
    const finished = await orchestrator().startStep(tree.runId, { name: 'done' });
    await orchestrator().completeStep(tree.runId, finished.stepId);
    const open = await orchestrator().startStep(tree.runId, { name: 'open' });
    const childStep = await orchestrator().startStep(child, { name: 'child work' });

    await orchestrator().cancel(tree.runId, 'stop');

    const rootSteps = (await orchestrator().collect(tree.runId)).steps ?? [];
    expect(rootSteps.map((step) => [step.stepId, step.status])).toEqual([
      [finished.stepId, 'completed'],
      [open.stepId, 'cancelled'],
    ]);
    expect((await orchestrator().collect(child)).steps).toEqual([expect.objectContaining({ stepId: childStep.stepId, status: 'cancelled' })]);
    const journal = (await orchestrator().collect(tree.runId, { includeDescendants: true })).journal ?? [];
    expect(entriesOfType(journal, 'StepCancelled').map((entry) => (entry.data as { stepId: string }).stepId).sort()).toEqual(
      [open.stepId, childStep.stepId].sort(),
    );
    expect(await orchestrator().status(tree.runId)).toMatchObject({ stepCount: 2, activeStepCount: 0 });
  });

  it('attaches no child to a cancelled run afterwards', async () => {
    const parent = await startRoot(orchestrator());
    await orchestrator().cancel(parent.runId, 'stop');

    await expectOrchestratorError(orchestrator().spawn(parent.runId), 'parent_not_running', { status: 'cancelled' });
    await expectOrchestratorError(orchestrator().delegate(parent.runId, 'task'), 'parent_not_running', { status: 'cancelled' });
    expect(await orchestrator().listChildren(parent.runId)).toEqual([]);
  });

  it('refuses an unknown run with not_found', async () => {
    await expectOrchestratorError(orchestrator().cancel(`missing-${randomUUID()}`, 'stop'), 'not_found');
  });
});
