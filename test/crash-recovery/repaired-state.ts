import { expect } from '@jest/globals';
import type { Orchestrator } from '@runtree/orchestration';
import type { RestartedOrchestrator } from './restartable.js';

/** Live read models after recovery equal the ones replayed from the journal. */
export async function expectRebuildKeepsTree(orchestrator: Orchestrator, rootRunId: string): Promise<void> {
  const options = { includeDescendants: true, includeJournal: true };
  const live = await orchestrator.collect(rootRunId, options);
  await orchestrator.rebuild();
  expect(await orchestrator.collect(rootRunId, options)).toEqual(live);
}

/** The run is a child its parent lists exactly once. */
export async function expectLinkedOnce(orchestrator: Orchestrator, runId: string): Promise<void> {
  const { parentRunId } = await orchestrator.status(runId);
  expect(parentRunId).toBeDefined();
  const siblings = await orchestrator.listChildren(parentRunId as string);
  expect(siblings.filter((child) => child.run.runId === runId)).toHaveLength(1);
}

/**
 * No session or thread is left to a run that is not a linked child: every session opened for an owner,
 * every thread started or resumed for a run, names a run its parent lists.
 */
export async function expectNoOrphanSubstrates(restarted: RestartedOrchestrator): Promise<void> {
  const claimedBy = (await restarted.substrateEvents()).flatMap((event) => {
    const data = event.data as { ownerRunId?: string; startedByRunId?: string; runId?: string };
    if (event.type === 'SessionOpened') return data.ownerRunId ? [data.ownerRunId] : [];
    if (event.type === 'ThreadStarted') return data.startedByRunId ? [data.startedByRunId] : [];
    if (event.type === 'ThreadResumed') return data.runId ? [data.runId] : [];
    return [];
  });
  for (const runId of new Set(claimedBy)) await expectLinkedOnce(restarted.orchestrator, runId);
}

/** Sending the command again (same commandId) gives `expected` and appends nothing to the log. */
export async function expectRetryChangesNothing(restarted: RestartedOrchestrator, retry: () => Promise<unknown>, expected?: unknown): Promise<void> {
  const head = await restarted.headPosition();
  const result = await retry();
  if (expected !== undefined) expect(result).toEqual(expected);
  expect(await restarted.headPosition()).toEqual(head);
}
