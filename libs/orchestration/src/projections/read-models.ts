import type { JsonValue, RecordedEvent } from '@runtree/event-store';
import type { Child, Link, Relation, Session, Step, StepStatus, Thread } from '../api/model.js';
import type { DomainEvent, EventOf, EventType } from '../events/event-registry.js';
import type { ChildLinked } from '../events/run-events.js';
import type { TreeShape } from '../policy/orchestration-policy.js';
import { streamPrefixes } from '../streams/stream-names.js';
import { occurredAtOf } from './recorded-metadata.js';
import { RunRecord, type RunEntry } from './run-record.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type RunStreamEvent = Exclude<DomainEvent, EventOf<'RunStarted' | SubstrateEventType>>;
type SubstrateEventType = Extract<EventType, `Session${string}` | `Thread${string}`>;

/** A link whose child has not started yet: the child is not visible until it has. */
export interface PendingLink {
  readonly parentRunId: string;
  readonly relation: Relation;
  /** The link event's data: everything needed to finish creating the child. */
  readonly link: ChildLinked;
  /** The link event's occurredAt. */
  readonly linkedAt: string;
}

/** A cancelled run whose own session (stopSessionOnCancel) is still open. */
export interface OwnedOpenSession {
  readonly runId: string;
  readonly sessionId: string;
}

export interface ReadModelsSnapshot {
  readonly runs: { readonly [runId: string]: unknown };
  readonly sessions: { readonly [sessionId: string]: Session };
  readonly threads: { readonly [threadId: string]: Thread };
  readonly pendingLinks: { readonly [childRunId: string]: PendingLink };
  readonly cancelRequestedAndRunning: readonly string[];
}

/** The id in a stream name with this prefix, or undefined when it has another one. */
function idIn(streamName: string, prefix: string): string | undefined {
  return streamName.startsWith(prefix) ? streamName.slice(prefix.length) : undefined;
}

type StepOutcome = Pick<Step, 'output' | 'error'>;

/**
 * The step as it ends, with the fields in the same order as when it started. Written out rather
 * than spread: a spread copy with an added field takes about twice the heap per step.
 */
function finishedStep(step: Step, status: StepStatus, updatedAt: string, outcome: StepOutcome): Step {
  const finished: Mutable<Step> = { stepId: step.stepId, runId: step.runId, name: step.name, kind: step.kind, status, startedAt: step.startedAt, updatedAt };
  if (step.input !== undefined) finished.input = step.input;
  if (outcome.output !== undefined) finished.output = outcome.output;
  if (outcome.error !== undefined) finished.error = outcome.error;
  return finished;
}

/**
 * The lineage and status read models, fed the decoded log one event at a time. Deterministic:
 * the same log always builds the same models. Events of runs it does not know (forgotten by
 * `clear()`) are ignored.
 */
export class ReadModels {
  private readonly runs = new Map<string, RunRecord>();
  private readonly sessions = new Map<string, Session>();
  private readonly threads = new Map<string, Thread>();
  private readonly pending = new Map<string, PendingLink>();
  private readonly cancelRequestedRunning = new Set<string>();
  private readonly sequenceOf = (runId: string): number => this.runs.get(runId)?.link?.sequence ?? 0;

  apply(recorded: RecordedEvent, event: DomainEvent): void {
    const at = occurredAtOf(recorded);
    switch (event.type) {
      case 'SessionOpened': {
        const { sessionId, metadata, ownerRunId } = event.data;
        const session: Mutable<Session> = { sessionId, metadata, status: 'open', createdAt: at };
        if (ownerRunId !== undefined) session.ownerRunId = ownerRunId;
        this.sessions.set(sessionId, session);
        return;
      }
      case 'SessionClosed':
        return this.closeSubstrate(this.sessions, idIn(recorded.streamName, streamPrefixes.session));
      case 'ThreadStarted': {
        const { threadId, sessionId, metadata, name } = event.data;
        const thread: Mutable<Thread> = { threadId, sessionId, metadata, status: 'open', createdAt: at };
        if (name !== undefined) thread.name = name;
        this.threads.set(threadId, thread);
        return;
      }
      case 'ThreadClosed':
        return this.closeSubstrate(this.threads, idIn(recorded.streamName, streamPrefixes.thread));
      case 'ThreadResumed':
        return;
      case 'RunStarted':
        return this.startRun(recorded, event.data, at);
      default:
        return this.applyToRun(recorded, event, at);
    }
  }

  getRun(runId: string): RunEntry | undefined {
    return this.runs.get(runId);
  }

  getSession(sessionId: string): Session | undefined {
    return this.sessions.get(sessionId);
  }

  getThread(threadId: string): Thread | undefined {
    return this.threads.get(threadId);
  }

  get runCount(): number {
    return this.runs.size;
  }

  /** The child's view under its parent; undefined for a root run or an unknown id. */
  childView(childRunId: string): Child | undefined {
    const child = this.runs.get(childRunId);
    const link = child?.link;
    if (child === undefined || link === undefined) return undefined;
    const view: Mutable<Child> = {
      relation: link.relation,
      substrate: link.substrate,
      parentRunId: link.parentRunId,
      run: child.run,
      metadata: link.metadata,
      ownsSession: link.ownsSession,
      stopSessionOnCancel: link.stopSessionOnCancel,
    };
    if (link.task !== undefined) view.task = link.task;
    if (child.sessionId !== undefined) view.sessionId = child.sessionId;
    if (child.threadId !== undefined) view.threadId = child.threadId;
    const thread = child.threadPlacedByLink && child.threadId !== undefined ? this.threads.get(child.threadId) : undefined;
    if (thread !== undefined) view.thread = thread;
    return view;
  }

  /** Direct children, oldest first; undefined when the parent is unknown. */
  childrenOf(parentRunId: string): Child[] | undefined {
    return this.runs.get(parentRunId)?.childIds.map((childRunId) => this.childView(childRunId)!);
  }

  /** Every descendant, depth-first pre-order, siblings oldest first. */
  descendantIds(runId: string): string[] {
    const order: string[] = [];
    const stack = [...(this.runs.get(runId)?.childIds ?? [])].reverse();
    for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
      order.push(next);
      const children = this.runs.get(next)?.childIds ?? [];
      for (let index = children.length - 1; index >= 0; index--) stack.push(children[index]);
    }
    return order;
  }

  /**
   * Running descendants of the root (the root not counted), including children being created
   * (pending links): they are about to run, and the policy's limits must not let a burst through.
   */
  runningDescendantsOfRoot(rootRunId: string): number {
    let count = this.runs.get(rootRunId)?.runningDescendants ?? 0;
    for (const pending of this.pending.values()) {
      if (this.runs.get(pending.parentRunId)?.rootRunId === rootRunId) count++;
    }
    return count;
  }

  /** The tree around a parent, for the policy; children being created count as children. */
  treeShape(parentRunId: string): TreeShape | undefined {
    const parent = this.runs.get(parentRunId);
    if (parent === undefined) return undefined;
    let pendingChildren = 0;
    for (const pending of this.pending.values()) if (pending.parentRunId === parentRunId) pendingChildren++;
    return {
      rootRunId: parent.rootRunId,
      parentDepth: parent.depth,
      parentChildCount: parent.childCount + pendingChildren,
      runningDescendantsOfRoot: this.runningDescendantsOfRoot(parent.rootRunId),
    };
  }

  /** Links whose child has not started: spawns a crash interrupted, for start-up recovery. In log order. */
  pendingLinks(): PendingLink[] {
    return [...this.pending.values()];
  }

  /** Runs whose cancel was requested but not finished (recovery finishes them). */
  runsWithCancelRequestedAndRunning(): string[] {
    return [...this.cancelRequestedRunning];
  }

  /** Sessions that a cancel should have closed but has not (recovery closes them). */
  cancelledOwnersWithOpenSession(): OwnedOpenSession[] {
    const found: OwnedOpenSession[] = [];
    for (const session of this.sessions.values()) {
      if (session.status !== 'open' || session.ownerRunId === undefined) continue;
      const owner = this.runs.get(session.ownerRunId);
      if (owner?.status === 'cancelled' && owner.link?.ownsSession && owner.link.stopSessionOnCancel) {
        found.push({ runId: owner.runId, sessionId: session.sessionId });
      }
    }
    return found;
  }

  /** Everything the models hold, as plain JSON-comparable data (keys sorted), for tests. */
  snapshot(): ReadModelsSnapshot {
    const runs: { [runId: string]: unknown } = {};
    for (const runId of [...this.runs.keys()].sort()) {
      const record = this.runs.get(runId)!;
      runs[runId] = {
        run: record.run,
        steps: [...record.steps],
        activeStepCount: record.activeStepCount,
        childIds: [...record.childIds],
        activeChildCount: record.activeChildCount,
        link: record.link ?? null,
        threadPlacedByLink: record.threadPlacedByLink,
        depth: record.depth,
        rootRunId: record.rootRunId,
        cancelRequested: record.cancelRequested,
        runningDescendants: record.runningDescendants,
      };
    }
    return {
      runs,
      sessions: sortedObject(this.sessions),
      threads: sortedObject(this.threads),
      pendingLinks: sortedObject(this.pending),
      cancelRequestedAndRunning: [...this.cancelRequestedRunning].sort(),
    };
  }

  private startRun(recorded: RecordedEvent, data: EventOf<'RunStarted'>['data'], at: string): void {
    if (this.runs.has(data.runId)) return;
    const { runId, kind, metadata, input, sessionId, threadId, lineage } = data;
    const record = new RunRecord(runId, kind, metadata, input, sessionId, threadId, lineage, at, Number(recorded.revision));
    this.runs.set(runId, record);
    const pending = this.pending.get(runId);
    if (pending !== undefined && pending.parentRunId === lineage?.parentRunId) this.attach(record, pending);
  }

  private applyToRun(recorded: RecordedEvent, event: RunStreamEvent, at: string): void {
    const runId = idIn(recorded.streamName, streamPrefixes.run);
    const record = runId === undefined ? undefined : this.runs.get(runId);
    if (record === undefined) return;
    record.streamRevision = Number(recorded.revision);
    record.updatedAt = at;
    switch (event.type) {
      case 'ChildSpawned':
        return this.recordLink(record, 'spawned', event.data, at);
      case 'ChildDelegated':
        return this.recordLink(record, 'delegated', event.data, at);
      case 'SpawnDenied':
        return;
      case 'StepStarted': {
        const { stepId, name, kind, input } = event.data;
        const step: Mutable<Step> = { stepId, runId: record.runId, name, kind, status: 'running', startedAt: at, updatedAt: at };
        if (input !== undefined) step.input = input;
        record.addStep(step);
        record.activeStepCount++;
        return;
      }
      case 'StepCompleted':
        return this.finishStep(record, event.data.stepId, 'completed', at, event.data.output === undefined ? {} : { output: event.data.output });
      case 'StepFailed':
        return this.finishStep(record, event.data.stepId, 'failed', at, { error: event.data.error });
      case 'StepCancelled':
        return this.finishStep(record, event.data.stepId, 'cancelled', at, {});
      case 'RunCompleted':
        return this.finishRun(record, 'completed', event.data.output);
      case 'RunFailed':
        return this.finishRun(record, 'failed', event.data.error);
      case 'CancelRequested':
        record.cancelRequested = true;
        if (record.status === 'running') this.cancelRequestedRunning.add(record.runId);
        return;
      case 'RunCancelled':
        return this.finishRun(record, 'cancelled', event.data.reason);
    }
  }

  private recordLink(parent: RunRecord, relation: Relation, link: ChildLinked, linkedAt: string): void {
    const pending: PendingLink = { parentRunId: parent.runId, relation, link, linkedAt };
    this.pending.set(link.childRunId, pending);
    // The protocol starts the child after linking it; should the log say otherwise, link it now.
    const child = this.runs.get(link.childRunId);
    if (child !== undefined && child.link === undefined && child.lineage?.parentRunId === parent.runId) this.attach(child, pending);
  }

  /** Makes a child visible under its parent: both its link and its RunStarted have been applied. */
  private attach(child: RunRecord, pending: PendingLink): void {
    const parent = this.runs.get(pending.parentRunId);
    if (parent === undefined) return;
    this.pending.delete(child.runId);
    const { link: data, relation, linkedAt } = pending;
    const { placement } = data;
    const link: Mutable<Link> = {
      parentRunId: parent.runId,
      childRunId: child.runId,
      relation,
      substrate: data.substrate,
      metadata: data.metadata,
      ownsSession: placement.ownsSession,
      stopSessionOnCancel: placement.stopSessionOnCancel,
      sequence: data.sequence,
      createdAt: linkedAt,
    };
    if (data.task !== undefined) link.task = data.task;
    const childSessionId = child.sessionId ?? placement.sessionId;
    if (childSessionId !== undefined) link.childSessionId = childSessionId;
    const childThreadId = child.threadId ?? placement.threadId;
    if (childThreadId !== undefined) link.childThreadId = childThreadId;
    child.link = link;
    child.threadPlacedByLink = placement.startThread !== undefined || placement.resumeThread === true;
    child.depth = parent.depth + 1;
    child.rootRunId = parent.rootRunId;
    parent.insertChild(child.runId, data.sequence, this.sequenceOf);
    if (child.status === 'running') this.countRunningChild(child, +1);
  }

  private countRunningChild(child: RunRecord, delta: 1 | -1): void {
    const parent = this.runs.get(child.link!.parentRunId);
    if (parent !== undefined) parent.activeChildCount += delta;
    const root = this.runs.get(child.rootRunId);
    if (root !== undefined) root.runningDescendants += delta;
  }

  private finishStep(record: RunRecord, stepId: string, status: StepStatus, at: string, outcome: StepOutcome): void {
    const steps = record.steps;
    // The step being finished is usually the newest one.
    for (let index = steps.length - 1; index >= 0; index--) {
      const step = steps[index];
      if (step.stepId !== stepId) continue;
      if (step.status !== 'running') return;
      record.replaceStep(index, finishedStep(step, status, at, outcome));
      record.activeStepCount--;
      return;
    }
  }

  /** Only `running` moves to a terminal status; the deciders never write a second terminal event. */
  private finishRun(record: RunRecord, status: Exclude<RunRecord['status'], 'running'>, outcome: JsonValue | undefined): void {
    if (record.status !== 'running') return;
    record.status = status;
    record.outcome = outcome;
    this.cancelRequestedRunning.delete(record.runId);
    if (record.link !== undefined) this.countRunningChild(record, -1);
  }

  private closeSubstrate<T extends Session | Thread>(records: Map<string, T>, id: string | undefined): void {
    const current = id === undefined ? undefined : records.get(id);
    if (current !== undefined && current.status === 'open') records.set(id!, { ...current, status: 'closed' });
  }
}

function sortedObject<T>(entries: Map<string, T>): { [key: string]: T } {
  const sorted: { [key: string]: T } = {};
  for (const key of [...entries.keys()].sort()) sorted[key] = entries.get(key)!;
  return sorted;
}
