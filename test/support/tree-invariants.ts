import type { Child, CollectResult, JournalEntry, Run, RunStatus } from '@runtree/orchestration';

/**
 * The spec's tree invariants, checked over whole trees as the read models answer them (each root
 * collected with `includeDescendants`, and `includeJournal` for the journal checks). Returns one
 * readable line per violation, naming the run; none means every invariant holds.
 */
export function treeViolations(trees: readonly CollectResult[]): string[] {
  const violations: string[] = [];
  const seen = new Set<string>();
  for (const tree of trees) {
    for (const run of [tree.run, ...(tree.descendants ?? []).map((child) => child.run)]) {
      if (seen.has(run.runId)) violations.push(`${run.runId}: appears more than once in the trees`);
      seen.add(run.runId);
    }
    violations.push(...lineageViolations(tree), ...statusViolations(tree));
    if (tree.journal !== undefined) violations.push(...journalViolations(tree, tree.journal));
  }
  return violations;
}

const TERMINAL_EVENTS: Readonly<Record<string, Exclude<RunStatus, 'running'>>> = { RunCompleted: 'completed', RunFailed: 'failed', RunCancelled: 'cancelled' };
const LINK_EVENTS = new Set(['ChildSpawned', 'ChildDelegated']);

/** Links and runs agree both ways: each child's link names the parent its run names, which is in the tree above it. */
function lineageViolations(tree: CollectResult): string[] {
  const violations: string[] = [];
  const descendants = tree.descendants ?? [];
  const above = new Set([tree.run.runId]);
  for (const child of descendants) {
    const { runId } = child.run;
    if (!above.has(child.parentRunId)) violations.push(`${runId}: linked under ${child.parentRunId}, which is not above it in the tree`);
    if (child.run.parentRunId !== child.parentRunId) violations.push(`${runId}: its link names parent ${child.parentRunId}, its run names ${child.run.parentRunId}`);
    if (child.run.relation !== child.relation) violations.push(`${runId}: its link says ${child.relation}, its run says ${child.run.relation}`);
    above.add(runId);
  }
  if (tree.run.parentRunId !== undefined) violations.push(`${tree.run.runId}: a root that names parent ${tree.run.parentRunId}`);
  const listed = tree.children.map((child) => child.run.runId);
  const underRoot = descendants.filter((child) => child.parentRunId === tree.run.runId).map((child) => child.run.runId);
  if (listed.join() !== underRoot.join()) violations.push(`${tree.run.runId}: lists children [${listed.join(', ')}], its descendants under it are [${underRoot.join(', ')}]`);
  if (new Set(listed).size !== listed.length) violations.push(`${tree.run.runId}: lists a child more than once: [${listed.join(', ')}]`);
  return violations;
}

/** Statuses are legal, carry what their status needs, and no cancelled run has a running descendant (no half-cancelled tree). */
function statusViolations(tree: CollectResult): string[] {
  const violations: string[] = [];
  const runs = [tree.run, ...(tree.descendants ?? []).map((child) => child.run)];
  for (const run of runs) {
    if (!['running', 'completed', 'failed', 'cancelled'].includes(run.status)) violations.push(`${run.runId}: unknown status ${run.status}`);
    if (run.status === 'cancelled' && run.cancelReason === undefined) violations.push(`${run.runId}: cancelled without a reason`);
    if (run.status === 'failed' && run.error === undefined) violations.push(`${run.runId}: failed without an error`);
  }
  const childrenOf = groupByParent(tree.descendants ?? []);
  for (const run of runs.filter((each) => each.status === 'cancelled')) {
    const running = subtreeOf(run.runId, childrenOf).filter((descendant) => descendant.status === 'running');
    if (running.length > 0) violations.push(`${run.runId}: cancelled, but its descendants ${running.map((each) => each.runId).join(', ')} are running`);
  }
  return violations;
}

/**
 * What only the journal shows: no event twice and no gap in a stream, every link's child started,
 * nothing after a run's terminal event (statuses only move running → terminal), and each run's
 * status in the read models is the one its journal ends in.
 */
function journalViolations(tree: CollectResult, journal: readonly JournalEntry[]): string[] {
  const violations: string[] = [];
  const eventIds = new Set<string>();
  const streams = new Map<string, JournalEntry[]>();
  for (const entry of journal) {
    if (eventIds.has(entry.eventId)) violations.push(`${entry.streamName}@${entry.revision}: event ${entry.eventId} appears twice`);
    eventIds.add(entry.eventId);
    streams.set(entry.streamName, [...(streams.get(entry.streamName) ?? []), entry]);
  }
  const runs = new Map<string, Run>([tree.run, ...(tree.descendants ?? []).map((child) => child.run)].map((run) => [run.runId, run]));
  for (const [streamName, entries] of streams) {
    entries.forEach((entry, index) => {
      if (entry.revision !== String(index)) violations.push(`${streamName}: event ${index} has revision ${entry.revision}`);
    });
    if (!streamName.startsWith('run-')) continue;
    const runId = streamName.slice('run-'.length);
    const terminalAt = entries.findIndex((entry) => entry.type in TERMINAL_EVENTS);
    if (terminalAt >= 0 && terminalAt < entries.length - 1) {
      violations.push(`${runId}: ${entries.slice(terminalAt + 1).map((entry) => entry.type).join(', ')} after ${entries[terminalAt]!.type}`);
    }
    const journalStatus = terminalAt >= 0 ? TERMINAL_EVENTS[entries[terminalAt]!.type] : 'running';
    const modelStatus = runs.get(runId)?.status;
    if (modelStatus !== undefined && modelStatus !== journalStatus) violations.push(`${runId}: the read models say ${modelStatus}, its journal says ${journalStatus}`);
    for (const link of entries.filter((entry) => LINK_EVENTS.has(entry.type))) {
      const childRunId = (link.data as { childRunId: string }).childRunId;
      if (!streams.get(`run-${childRunId}`)?.some((entry) => entry.type === 'RunStarted')) violations.push(`${runId}: links ${childRunId}, which never started (a pending link)`);
    }
  }
  return violations;
}

function groupByParent(descendants: readonly Child[]): Map<string, Run[]> {
  const childrenOf = new Map<string, Run[]>();
  for (const child of descendants) childrenOf.set(child.parentRunId, [...(childrenOf.get(child.parentRunId) ?? []), child.run]);
  return childrenOf;
}

function subtreeOf(runId: string, childrenOf: ReadonlyMap<string, readonly Run[]>): Run[] {
  return (childrenOf.get(runId) ?? []).flatMap((child) => [child, ...subtreeOf(child.runId, childrenOf)]);
}
