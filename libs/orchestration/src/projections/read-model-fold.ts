import type { JsonValue, RecordedEvent } from '@runtree/event-store';
import type { LinkCore, RunRow, RunStatus, StepFinish } from '@runtree/read-store';
import type { Relation } from '../api/model.js';
import type { DomainEvent, EventOf } from '../events/event-registry.js';
import type { ChildLinked } from '../events/run-events.js';
import { streamPrefixes } from '../streams/stream-names.js';
import { occurredAtOf } from './recorded-metadata.js';
import type { WorkingSet } from './working-set.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type RunStreamEvent = Exclude<DomainEvent, EventOf<'RunStarted' | 'SessionOpened' | 'SessionClosed' | 'ThreadStarted' | 'ThreadResumed' | 'ThreadClosed'>>;
type Terminal = Exclude<RunStatus, 'running'>;

/** The id in a stream name with this prefix, or undefined when it has another one. */
export function idIn(streamName: string, prefix: string): string | undefined {
  return streamName.startsWith(prefix) ? streamName.slice(prefix.length) : undefined;
}

/**
 * The lineage and status read models' semantics: one event at a time, on the rows of a working set.
 * Deterministic: the same log builds the same rows. Events of runs the read models do not know
 * (forgotten by `clear()`) are ignored. A child is visible under its parent once both its link and
 * its RunStarted are applied, whichever the log holds first.
 */
export function applyEvent(rows: WorkingSet, recorded: RecordedEvent, event: DomainEvent): void {
  const at = occurredAtOf(recorded);
  switch (event.type) {
    case 'SessionOpened': {
      const { sessionId, metadata, ownerRunId } = event.data;
      rows.putSession({ sessionId, metadata, status: 'open', createdAt: at, ...(ownerRunId !== undefined ? { ownerRunId } : {}) });
      return;
    }
    case 'SessionClosed': {
      const sessionId = idIn(recorded.streamName, streamPrefixes.session);
      if (sessionId !== undefined) rows.closeSession(sessionId);
      return;
    }
    case 'ThreadStarted': {
      const { threadId, sessionId, metadata, name } = event.data;
      rows.putThread({ threadId, sessionId, metadata, status: 'open', createdAt: at, ...(name !== undefined ? { name } : {}) });
      return;
    }
    case 'ThreadClosed': {
      const threadId = idIn(recorded.streamName, streamPrefixes.thread);
      if (threadId !== undefined) rows.closeThread(threadId);
      return;
    }
    case 'ThreadResumed':
      return;
    case 'RunStarted':
      return startRun(rows, recorded, event.data, at);
    default:
      return applyToRun(rows, recorded, event, at);
  }
}

function startRun(rows: WorkingSet, recorded: RecordedEvent, data: EventOf<'RunStarted'>['data'], at: string): void {
  if (rows.run(data.runId) !== undefined) return;
  const { runId, kind, metadata, input, sessionId, threadId, lineage } = data;
  const run: Mutable<RunRow> = {
    runId,
    kind,
    status: 'running',
    createdAt: at,
    updatedAt: at,
    revision: Number(recorded.revision),
    linked: false,
    threadPlacedByLink: false,
    depth: 0,
    rootRunId: runId,
    cancelRequested: false,
    stepCount: 0,
    activeStepCount: 0,
    childCount: 0,
    activeChildCount: 0,
    runningDescendants: 0,
    // The prepare part: unique per event on every store (on EventStoreDB one commit may hold several events).
    listingKey: Number(recorded.position.prepare),
  };
  if (sessionId !== undefined) run.sessionId = sessionId;
  if (threadId !== undefined) run.threadId = threadId;
  if (lineage !== undefined) {
    run.parentRunId = lineage.parentRunId;
    run.relation = lineage.relation;
    run.substrate = lineage.substrate;
  }
  rows.addRun(run, { runId, metadata, ...(input !== undefined ? { input } : {}) });
  const pending = lineage === undefined ? undefined : rows.link(lineage.parentRunId, runId);
  if (pending !== undefined && !pending.visible) attach(rows, run, pending);
}

function applyToRun(rows: WorkingSet, recorded: RecordedEvent, event: RunStreamEvent, at: string): void {
  const runId = idIn(recorded.streamName, streamPrefixes.run);
  const run = runId === undefined ? undefined : rows.run(runId);
  if (run === undefined) return;
  run.revision = Number(recorded.revision);
  run.updatedAt = at;
  rows.touch(run);
  switch (event.type) {
    case 'ChildSpawned':
      return recordLink(rows, recorded, run, 'spawned', event.data, at);
    case 'ChildDelegated':
      return recordLink(rows, recorded, run, 'delegated', event.data, at);
    case 'SpawnDenied':
      return;
    case 'StepStarted': {
      const { stepId, name, kind, input } = event.data;
      if (rows.step(run.runId, stepId) !== undefined) return;
      rows.addStep({ runId: run.runId, stepId, sequence: run.stepCount, name, kind, status: 'running', startedAt: at, updatedAt: at, ...(input !== undefined ? { input } : {}) });
      run.stepCount++;
      run.activeStepCount++;
      return;
    }
    case 'StepCompleted':
      return finishStep(rows, run, { runId: run.runId, stepId: event.data.stepId, status: 'completed', updatedAt: at, ...(event.data.output !== undefined ? { output: event.data.output } : {}) });
    case 'StepFailed':
      return finishStep(rows, run, { runId: run.runId, stepId: event.data.stepId, status: 'failed', updatedAt: at, error: event.data.error });
    case 'StepCancelled':
      return finishStep(rows, run, { runId: run.runId, stepId: event.data.stepId, status: 'cancelled', updatedAt: at });
    case 'RunCompleted':
      return finishRun(rows, run, 'completed', event.data.output);
    case 'RunFailed':
      return finishRun(rows, run, 'failed', event.data.error);
    case 'CancelRequested':
      run.cancelRequested = true;
      return;
    case 'RunCancelled':
      return finishRun(rows, run, 'cancelled', event.data.reason);
  }
}

function recordLink(rows: WorkingSet, recorded: RecordedEvent, parent: RunRow, relation: Relation, data: ChildLinked, at: string): void {
  const { placement } = data;
  const link = {
    childRunId: data.childRunId,
    parentRunId: parent.runId,
    relation,
    substrate: data.substrate,
    sequence: data.sequence,
    ownsSession: placement.ownsSession,
    stopSessionOnCancel: placement.stopSessionOnCancel,
    placesThread: placement.startThread !== undefined || placement.resumeThread === true,
    createdAt: at,
    visible: false,
    projectedOrder: Number(recorded.position.commit),
    metadata: data.metadata,
    ...(placement.sessionId !== undefined ? { placementSessionId: placement.sessionId } : {}),
    ...(placement.threadId !== undefined ? { placementThreadId: placement.threadId } : {}),
    ...(data.task !== undefined ? { task: data.task } : {}),
  };
  rows.putLink(link);
  // The protocol starts the child after linking it; should the log say otherwise, attach it now.
  const child = rows.run(data.childRunId);
  if (child !== undefined && !child.linked && child.parentRunId === parent.runId) attach(rows, child, link);
}

/** Makes a child visible under its parent: both its link and its RunStarted have been applied. */
function attach(rows: WorkingSet, child: RunRow, link: LinkCore): void {
  const parent = rows.run(link.parentRunId);
  if (parent === undefined) return;
  rows.attach(link, child.sessionId ?? link.placementSessionId, child.threadId ?? link.placementThreadId);
  child.linked = true;
  child.threadPlacedByLink = link.placesThread;
  child.depth = parent.depth + 1;
  child.rootRunId = parent.rootRunId;
  parent.childCount++;
  rows.touch(child);
  rows.touch(parent);
  if (child.status === 'running') countRunningChild(rows, child, +1);
}

function countRunningChild(rows: WorkingSet, child: RunRow, delta: 1 | -1): void {
  const parent = child.parentRunId === undefined ? undefined : rows.run(child.parentRunId);
  if (parent !== undefined) {
    parent.activeChildCount += delta;
    rows.touch(parent);
  }
  const root = rows.run(child.rootRunId);
  if (root !== undefined) {
    root.runningDescendants += delta;
    rows.touch(root);
  }
}

function finishStep(rows: WorkingSet, run: RunRow, finish: StepFinish): void {
  const step = rows.step(run.runId, finish.stepId);
  if (step === undefined || step.status !== 'running') return;
  rows.finishStep(step, finish);
  run.activeStepCount--;
}

/** Only `running` moves to a terminal status; the deciders never write a second terminal event. */
function finishRun(rows: WorkingSet, run: RunRow, status: Terminal, outcome: JsonValue | undefined): void {
  if (run.status !== 'running') return;
  run.status = status;
  if (outcome !== undefined) rows.setOutcome(run.runId, outcome);
  if (run.linked) countRunningChild(rows, run, -1);
}
