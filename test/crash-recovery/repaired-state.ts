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

/** The metadata that ties an event to the command that wrote it, its request and its trace. */
function commandContextOf(metadata: unknown) {
  const { commandId, correlationId, causationId, traceparent, tracestate } = (metadata ?? {}) as Record<string, unknown>;
  return { commandId, correlationId, causationId, traceparent, tracestate };
}

/**
 * Every write that made the child (its run, an owned session, its thread's start or resume) carries
 * the context of the command that linked it (command, correlation, causation, trace), whoever
 * finished it: a crashed spawn finished by recovery reads as the spawn would have written it.
 */
export async function expectChildWritesCarryTheLinkContext(restarted: RestartedOrchestrator, parentRunId: string, childRunId: string): Promise<void> {
  const journal = await restarted.journal();
  const link = journal.find((event) => event.streamName === `run-${parentRunId}` && (event.data as { childRunId?: string }).childRunId === childRunId);
  expect(link).toBeDefined();
  const linked = commandContextOf(link!.metadata);
  const childWrites = journal.filter((event) => event.streamName !== link!.streamName && commandContextOf(event.metadata).commandId === linked.commandId);
  expect(childWrites.map((event) => event.type)).toContain('RunStarted');
  for (const event of childWrites) expect({ type: event.type, ...commandContextOf(event.metadata) }).toEqual({ type: event.type, ...linked });
}

/**
 * What recovery wrote to finish the cancel sent with `commandId` (and `correlationId`) is its own
 * command, caused by that cancel, in the cancel's correlation and trace.
 */
export async function expectRecoveryContinuesTheCancel(restarted: RestartedOrchestrator, commandId: string, correlationId: string): Promise<void> {
  const journal = await restarted.journal();
  const sentByCancel = journal.filter((event) => commandContextOf(event.metadata).commandId === commandId);
  const { traceparent } = commandContextOf(sentByCancel[0]?.metadata);
  expect(traceparent).toEqual(expect.stringMatching(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/));
  const byRecovery = journal.filter((event) => String(commandContextOf(event.metadata).commandId).startsWith('recovery-'));
  expect(byRecovery.length).toBeGreaterThan(0);
  for (const event of byRecovery) {
    const { correlationId: correlation, causationId, traceparent: trace } = commandContextOf(event.metadata);
    expect({ type: event.type, correlation, causationId, trace }).toEqual({ type: event.type, correlation: correlationId, causationId: commandId, trace: traceparent });
  }
}
