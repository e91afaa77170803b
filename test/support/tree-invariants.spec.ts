import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Child, CollectResult, JournalEntry, Run } from '@runtree/orchestration';
import { startOrchestrator, type StartedOrchestrator } from './orchestrator-targets.js';
import { treeViolations } from './tree-invariants.js';

/** A tree as the orchestrator collects it, so the checker is shown real read models, healthy and then broken by hand. */
let started: StartedOrchestrator;
let healthy: CollectResult;

beforeAll(async () => {
  started = await startOrchestrator({ store: { kind: 'sqlite', path: ':memory:' } });
  const { orchestrator } = started;
  const root = await orchestrator.startRun({ runId: 'root' });
  await orchestrator.spawn(root.runId, { runId: 'a' });
  await orchestrator.spawn('a', { runId: 'a1' });
  await orchestrator.delegate(root.runId, { task: 1 }, { runId: 'b' });
  await orchestrator.completeRun('b', {});
  await orchestrator.cancel('a', 'test');
  healthy = await orchestrator.collect('root', { includeDescendants: true, includeJournal: true });
});
afterAll(async () => {
  await started.close();
});

const withRun = (tree: CollectResult, runId: string, change: Partial<Run>): CollectResult => ({
  ...tree,
  descendants: tree.descendants!.map((child): Child => (child.run.runId === runId ? { ...child, run: { ...child.run, ...change } } : child)),
});

describe('treeViolations', () => {
  it('finds nothing wrong in trees the orchestrator built', () => {
    expect(treeViolations([healthy])).toEqual([]);
  });

  it('names a run that appears twice', () => {
    expect(treeViolations([healthy, { ...healthy, descendants: [], journal: [] }])).toContain('root: appears more than once in the trees');
  });

  it('names a half-cancelled tree: a cancelled run with a running descendant', () => {
    const { journal: _journal, ...withoutJournal } = healthy;
    expect(treeViolations([withRun(withoutJournal, 'a1', { status: 'running', cancelReason: undefined })])).toEqual(['a: cancelled, but its descendants a1 are running']);
  });

  it('names a child whose run and link disagree on its parent', () => {
    const { journal: _journal, ...withoutJournal } = healthy;
    expect(treeViolations([withRun(withoutJournal, 'b', { parentRunId: 'a' })])).toEqual(['b: its link names parent root, its run names a']);
  });

  it('names a link whose child never started, and a status the journal does not end in', () => {
    const withoutChild = healthy.journal!.filter((entry) => entry.streamName !== 'run-a1');
    expect(treeViolations([{ ...healthy, descendants: healthy.descendants!.filter((child) => child.run.runId !== 'a1'), journal: withoutChild }])).toEqual([
      `a: links a1, which never started (a pending link)`,
    ]);
    expect(treeViolations([withRun(healthy, 'b', { status: 'running' })])).toContain('b: the read models say running, its journal says completed');
  });

  it('names an event after a terminal one and a gap in a stream', () => {
    const ofB = healthy.journal!.filter((entry) => entry.streamName === 'run-b');
    const afterEnd: JournalEntry = { ...ofB.at(-1)!, eventId: 'extra', type: 'CancelRequested', revision: String(ofB.length) };
    expect(treeViolations([{ ...healthy, journal: [...healthy.journal!, afterEnd] }])).toContain('b: CancelRequested after RunCompleted');
    const gap: JournalEntry = { ...afterEnd, revision: String(ofB.length + 1) };
    expect(treeViolations([{ ...healthy, journal: [...healthy.journal!, gap] }])).toContain(`run-b: event ${ofB.length} has revision ${ofB.length + 1}`);
  });
});
