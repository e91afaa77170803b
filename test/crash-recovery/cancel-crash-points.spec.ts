import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { Child, JournalEntry, Orchestrator, Run, SpawnOptions } from '@runtree/orchestration';
import type { AppendFault } from '../support/faulty-store.js';
import { recordSpans } from '../support/recorded-spans.js';
import { compareJournalPositions, entriesOfStream, expectOrchestratorError, onlyEntry, runStreamName } from '../support/orchestrator-expect.js';
import { allRuns, buildTree, chainSpec, statusesOf, wideSpec, type BuiltTree, type TreeSpec } from '../support/trees.js';
import { expectNoOrphanSubstrates, expectRebuildKeepsTree, expectRecoveryContinuesTheCancel, expectRetryChangesNothing } from './repaired-state.js';
import { RestartableStorage, type RestartedOrchestrator } from './restartable.js';
import { RUNS_PER_CANCEL_COMMIT } from '../../libs/orchestration/src/processes/cancel-tree.process.js';

const reason = { why: 'crash-test' };

// Traced callers: events record the trace they were written in.
const { inCallerSpan } = recordSpans();

interface CancelCrashPoint {
  readonly crashPoint: string;
  readonly tree: TreeSpec;
  /** How child `index` of `parent` is spawned (e.g. with a session it owns). */
  readonly spawnOptions?: (parent: BuiltTree, index: number) => SpawnOptions;
  /** The run the cancel is sent to. Default: the root. */
  readonly target?: (tree: BuiltTree) => BuiltTree;
  /** The append that dies: the first write after the crash point. */
  readonly crashOn: (tree: BuiltTree) => AppendFault;
}

/** The run at `path` (child indexes from the root). */
function nodeAt(tree: BuiltTree, ...path: number[]): BuiltTree {
  return path.reduce((node, index) => node.children[index], tree);
}

const inRun = (node: BuiltTree, eventType: string): AppendFault => ({ streamPrefix: runStreamName(node.runId), eventType });

/** Child 0 owns a session closed on cancel, child 1 owns one kept open on cancel, child 2 owns none. */
const ownersOfSessions = (_parent: BuiltTree, index: number): SpawnOptions =>
  [{ session: { open: {} } }, { session: { open: {}, stopOnCancel: false } }, {}][index] ?? {};

/** A root with: a completed run above a chain of running ones, a failed run, a cancelled run, a running leaf. */
const treeWithFinishedRuns: TreeSpec = { children: [{ settle: 'completed', children: [chainSpec(1)] }, { settle: 'failed' }, { settle: 'cancelled' }, {}] };

const crashPoints: readonly CancelCrashPoint[] = [
  {
    crashPoint: "after the root's CancelRequested, before any child is cancelled",
    tree: wideSpec(3),
    crashOn: () => ({ eventType: 'RunCancelled' }),
  },
  {
    crashPoint: "after some children's RunCancelled, before the root's",
    tree: wideSpec(3),
    crashOn: () => ({ eventType: 'RunCancelled', occurrence: 3 }),
  },
  {
    crashPoint: "after every child's RunCancelled, before the root's",
    tree: wideSpec(3),
    crashOn: (tree) => inRun(tree, 'RunCancelled'),
  },
  {
    crashPoint: "after a child owner's RunCancelled, before its SessionClosed",
    tree: wideSpec(3),
    spawnOptions: ownersOfSessions,
    crashOn: () => ({ eventType: 'SessionClosed' }),
  },
  {
    crashPoint: "cancelling a childless owner itself: after its RunCancelled, before its SessionClosed",
    tree: wideSpec(3),
    spawnOptions: ownersOfSessions,
    target: (tree) => nodeAt(tree, 0),
    crashOn: () => ({ eventType: 'SessionClosed' }),
  },
  {
    crashPoint: 'depth 4: after the upper runs froze, before the middle run freezes',
    tree: chainSpec(4),
    crashOn: (tree) => inRun(nodeAt(tree, 0, 0), 'CancelRequested'),
  },
  {
    crashPoint: "depth 4: after the deeper runs' RunCancelled, before the middle run's",
    tree: chainSpec(4),
    crashOn: (tree) => inRun(nodeAt(tree, 0, 0), 'RunCancelled'),
  },
  {
    crashPoint: "with finished runs: below a completed run, after the leaf's RunCancelled, before its parent's",
    tree: treeWithFinishedRuns,
    crashOn: (tree) => inRun(nodeAt(tree, 0, 0), 'RunCancelled'),
  },
];

/** The child view of every run of the subtree that is a child (the target too, when it is one). */
async function childViews(orchestrator: Orchestrator, target: BuiltTree): Promise<Child[]> {
  const own = target.parentRunId ? (await orchestrator.listChildren(target.parentRunId)).filter((child) => child.run.runId === target.runId) : [];
  return [...own, ...((await orchestrator.collect(target.runId, { includeDescendants: true })).descendants ?? [])];
}

/**
 * The cancel of `target` is complete: every run that was running is cancelled with the right reason, the
 * finished ones are untouched, descendants were cancelled before their ancestors, and the sessions of
 * cancelled owners with stopOnCancel are closed while every other owned session is open.
 */
async function expectCancelComplete(restarted: RestartedOrchestrator, target: BuiltTree, before: Map<string, Run>): Promise<void> {
  const { orchestrator } = restarted;
  const after = await statusesOf(orchestrator, target);
  expect([...after.values()].filter((run) => run.status === 'running').map((run) => run.runId)).toEqual([]);
  const wasRunning = (runId: string) => before.get(runId)?.status === 'running';
  for (const node of allRuns(target)) {
    const expected = !wasRunning(node.runId)
      ? before.get(node.runId)
      : expect.objectContaining({ status: 'cancelled', cancelReason: node === target ? reason : { cancelledByParent: node.parentRunId, reason } });
    expect(after.get(node.runId)).toEqual(expected);
  }

  const journal = (await orchestrator.collect(target.runId, { includeDescendants: true })).journal ?? [];
  expectDescendantsCancelledFirst(journal, target, [], wasRunning);

  for (const child of (await childViews(orchestrator, target)).filter((view) => view.ownsSession)) {
    const closedByCancel = wasRunning(child.run.runId) && child.stopSessionOnCancel;
    expect({ runId: child.run.runId, session: (await restarted.session(child.sessionId as string))?.status }).toEqual({
      runId: child.run.runId,
      session: closedByCancel ? 'closed' : 'open',
    });
  }
}

/** Each run this cancel ended has one RunCancelled, committed before that of every ancestor it ended. */
function expectDescendantsCancelledFirst(journal: readonly JournalEntry[], node: BuiltTree, ancestors: readonly JournalEntry[], wasRunning: (runId: string) => boolean): void {
  const cancelled = wasRunning(node.runId) ? onlyEntry(journal, runStreamName(node.runId), 'RunCancelled') : undefined;
  for (const ancestor of ancestors) {
    if (cancelled) expect({ run: node.runId, before: compareJournalPositions(cancelled.position, ancestor.position) < 0 }).toEqual({ run: node.runId, before: true });
  }
  const below = cancelled ? [...ancestors, cancelled] : ancestors;
  for (const child of node.children) expectDescendantsCancelledFirst(journal, child, below, wasRunning);
}

describe('a cancel interrupted by a crash is finished on restart', () => {
  let storage: RestartableStorage;

  beforeEach(async () => {
    storage = await RestartableStorage.create();
  });

  afterEach(async () => {
    await storage.dispose();
  });

  it.each(crashPoints.map((point) => [point.crashPoint, point] as const))('%s', async (_crashPoint, point) => {
    const doomed = await storage.startDoomed();
    const tree = await buildTree(doomed.orchestrator, point.tree, {}, point.spawnOptions);
    const target = point.target?.(tree) ?? tree;
    const before = await statusesOf(doomed.orchestrator, target);
    const commandId = randomUUID();
    const correlationId = `request-${commandId}`;
    const cancelInCallersSpan = (orchestrator: Orchestrator) => inCallerSpan(() => orchestrator.cancel(target.runId, reason, { commandId, correlationId }));
    await doomed.crashDuring(point.crashOn(tree), cancelInCallersSpan);

    const restarted = await storage.restart();
    await expectCancelComplete(restarted, target, before);
    await expectNoOrphanSubstrates(restarted);
    await expectRecoveryContinuesTheCancel(restarted, commandId, correlationId);
    await expectRetryChangesNothing(restarted, () => restarted.orchestrator.cancel(target.runId, reason, { commandId }));
    await expectRebuildKeepsTree(restarted.orchestrator, tree.runId);
  });
});

describe('no child is ever linked under a parent that was not running', () => {
  let storage: RestartableStorage;

  beforeEach(async () => {
    storage = await RestartableStorage.create();
  });

  afterEach(async () => {
    await storage.dispose();
  });

  it('refuses a spawn under a run frozen by an interrupted cancel, and recovery then cancels that run', async () => {
    const doomed = await storage.startDoomed();
    const tree = await buildTree(doomed.orchestrator, wideSpec(2));
    const before = await statusesOf(doomed.orchestrator, tree);
    await doomed.crashDuring({ eventType: 'RunCancelled' }, (orchestrator) => orchestrator.cancel(tree.runId, reason));
    const childrenBefore = tree.children.map((child) => child.runId);
    const listedChildren = async (orchestrator: Orchestrator) => (await orchestrator.listChildren(tree.runId)).map((child) => child.run.runId);

    const withoutRecovery = await storage.restart({ recoverOnStart: false });
    expect((await withoutRecovery.orchestrator.status(tree.runId)).run.status).toBe('running');
    await expectOrchestratorError(withoutRecovery.orchestrator.spawn(tree.runId), 'parent_not_running', { parentRunId: tree.runId, status: 'running', cancelling: true });
    await expectOrchestratorError(withoutRecovery.orchestrator.delegate(tree.runId, { task: 'late' }), 'parent_not_running', { cancelling: true });
    expect(await listedChildren(withoutRecovery.orchestrator)).toEqual(childrenBefore);
    await expectRebuildKeepsTree(withoutRecovery.orchestrator, tree.runId);
    await storage.stop();

    const recovered = await storage.restart();
    await expectCancelComplete(recovered, tree, before);
    expect(await listedChildren(recovered.orchestrator)).toEqual(childrenBefore);
    const rootEvents = entriesOfStream((await recovered.orchestrator.collect(tree.runId)).journal ?? [], runStreamName(tree.runId)).map((entry) => entry.type);
    expect(rootEvents.slice(rootEvents.indexOf('CancelRequested'))).toEqual(['CancelRequested', 'RunCancelled']);
    await expectRebuildKeepsTree(recovered.orchestrator, tree.runId);
  });
});

describe('a cancel on a store with multi-stream append commits narrow levels together, a wide level apart', () => {
  let storage: RestartableStorage;

  beforeEach(async () => {
    storage = await RestartableStorage.create();
  });

  afterEach(async () => {
    await storage.dispose();
  });

  it("a crash before a wide level's commit leaves every child as it was; recovery then finishes the cancel", async () => {
    const doomed = await storage.startDoomed({ multiStreamAppend: true });
    // The root's freeze cannot share the children's commit: they fill one.
    const tree = await buildTree(doomed.orchestrator, wideSpec(RUNS_PER_CANCEL_COMMIT), {}, ownersOfSessions);
    const before = await statusesOf(doomed.orchestrator, tree);
    await doomed.crashDuring({ eventType: 'RunCancelled' }, (orchestrator) => orchestrator.cancel(tree.runId, reason));

    const frozen = await storage.restart({ recoverOnStart: false });
    expect((await frozen.orchestrator.status(tree.runId)).run.status).toBe('running');
    for (const child of await childViews(frozen.orchestrator, tree)) {
      expect({ runId: child.run.runId, status: child.run.status }).toEqual({ runId: child.run.runId, status: 'running' });
      if (child.ownsSession) expect((await frozen.session(child.sessionId as string))?.status).toBe('open');
    }
    await storage.stop();

    const recovered = await storage.restart();
    await expectCancelComplete(recovered, tree, before);
    await expectNoOrphanSubstrates(recovered);
    await expectRebuildKeepsTree(recovered.orchestrator, tree.runId);
  });

  it("a crash after the children's commit leaves all of them cancelled and their sessions closed; recovery cancels the root", async () => {
    const doomed = await storage.startDoomed({ multiStreamAppend: true });
    const tree = await buildTree(doomed.orchestrator, wideSpec(3), {}, ownersOfSessions);
    const before = await statusesOf(doomed.orchestrator, tree);
    await doomed.crashDuring({ eventType: 'RunCancelled', when: 'after' }, (orchestrator) => orchestrator.cancel(tree.runId, reason));

    const frozen = await storage.restart({ recoverOnStart: false });
    expect((await frozen.orchestrator.status(tree.runId)).run.status).toBe('running');
    const children = await childViews(frozen.orchestrator, tree);
    expect(children.map((child) => child.run.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    const sessions = await Promise.all(children.filter((child) => child.ownsSession).map(async (child) => (await frozen.session(child.sessionId as string))?.status));
    expect(sessions).toEqual(['closed', 'open']);
    await storage.stop();

    const recovered = await storage.restart();
    await expectCancelComplete(recovered, tree, before);
    await expectRebuildKeepsTree(recovered.orchestrator, tree.runId);
  });

  it('depth 4: the levels commit together, so a crash in that commit leaves the chain as it was and the retried cancel does it all', async () => {
    const doomed = await storage.startDoomed({ multiStreamAppend: true });
    const tree = await buildTree(doomed.orchestrator, chainSpec(4));
    const before = await statusesOf(doomed.orchestrator, tree);
    const commandId = randomUUID();
    await doomed.crashDuring(inRun(nodeAt(tree, 0, 0), 'CancelRequested'), (orchestrator) => orchestrator.cancel(tree.runId, reason, { commandId }));

    const restarted = await storage.restart();
    expect([...(await statusesOf(restarted.orchestrator, tree)).values()].map((run) => run.status)).toEqual(allRuns(tree).map(() => 'running'));
    const journal = (await restarted.orchestrator.collect(tree.runId, { includeDescendants: true, includeJournal: true })).journal ?? [];
    expect(journal.filter((entry) => entry.type === 'CancelRequested' || entry.type === 'RunCancelled')).toEqual([]);
    await restarted.orchestrator.cancel(tree.runId, reason, { commandId });
    await expectCancelComplete(restarted, tree, before);
    await expectRetryChangesNothing(restarted, () => restarted.orchestrator.cancel(tree.runId, reason, { commandId }));
    await expectRebuildKeepsTree(restarted.orchestrator, tree.runId);
  });
});
