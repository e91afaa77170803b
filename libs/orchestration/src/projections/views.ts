import type { ChildRecord, LinkRow, RunRecord, RunRow, SessionRow, StepRow, ThreadRow } from '@runtree/read-store';
import type { Child, ChildStatus, JsonObject, Link, Run, RunSummary, Session, Step, Thread } from '../api/model.js';
import type { PolicyParent } from '../policy/orchestration-policy.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The run's fields every view shows, without its payloads. */
export function runSummaryOf(row: RunRow): Mutable<RunSummary> {
  const run: Mutable<RunSummary> = {
    runId: row.runId,
    kind: row.kind,
    status: row.status,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    revision: String(row.revision),
  };
  if (row.sessionId !== undefined) run.sessionId = row.sessionId;
  if (row.threadId !== undefined) run.threadId = row.threadId;
  if (row.parentRunId !== undefined) run.parentRunId = row.parentRunId;
  if (row.relation !== undefined) run.relation = row.relation;
  if (row.substrate !== undefined) run.substrate = row.substrate;
  return run;
}

/** The run with its metadata, without its input and outcome (what the policy sees of a parent). */
export function withMetadata(row: RunRow & { readonly metadata: JsonObject }): PolicyParent {
  return { ...runSummaryOf(row), metadata: row.metadata };
}

/** The outcome as the field its status names: output, error or cancel reason. */
export function withOutcome<T extends Mutable<Partial<Run>>>(run: T, status: Run['status'], outcome: RunRecord['outcome']): T {
  if (outcome === undefined) return run;
  if (status === 'completed') run.output = outcome;
  else if (status === 'failed') run.error = outcome;
  else if (status === 'cancelled') run.cancelReason = outcome;
  return run;
}

/** Field order as the API has always given it: payloads beside the fields they belong with. */
export function runOf(record: RunRecord): Run {
  const run: Mutable<Run> = {
    runId: record.runId,
    kind: record.kind,
    status: record.status,
    metadata: record.metadata,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    revision: String(record.revision),
  };
  if (record.input !== undefined) run.input = record.input;
  withOutcome(run, record.status, record.outcome);
  if (record.sessionId !== undefined) run.sessionId = record.sessionId;
  if (record.threadId !== undefined) run.threadId = record.threadId;
  if (record.parentRunId !== undefined) run.parentRunId = record.parentRunId;
  if (record.relation !== undefined) run.relation = record.relation;
  if (record.substrate !== undefined) run.substrate = record.substrate;
  return run;
}

export function linkOf(row: LinkRow): Link {
  const link: Mutable<Link> = {
    parentRunId: row.parentRunId,
    childRunId: row.childRunId,
    relation: row.relation,
    substrate: row.substrate,
    metadata: row.metadata,
    ownsSession: row.ownsSession,
    stopSessionOnCancel: row.stopSessionOnCancel,
    sequence: row.sequence,
    createdAt: row.createdAt,
  };
  if (row.task !== undefined) link.task = row.task;
  if (row.childSessionId !== undefined) link.childSessionId = row.childSessionId;
  if (row.childThreadId !== undefined) link.childThreadId = row.childThreadId;
  return link;
}

export function childOf({ link, run, thread }: ChildRecord): Child {
  const child: Mutable<Child> = {
    relation: link.relation,
    substrate: link.substrate,
    parentRunId: link.parentRunId,
    run: runOf(run),
    metadata: link.metadata,
    ownsSession: link.ownsSession,
    stopSessionOnCancel: link.stopSessionOnCancel,
  };
  if (link.task !== undefined) child.task = link.task;
  if (run.sessionId !== undefined) child.sessionId = run.sessionId;
  if (run.threadId !== undefined) child.threadId = run.threadId;
  if (thread !== undefined) child.thread = threadOf(thread);
  return child;
}

export function statusOf(record: RunRecord, child: ChildRecord | undefined): ChildStatus {
  const run = runOf(record);
  const status: Mutable<ChildStatus> = {
    run,
    stepCount: record.stepCount,
    activeStepCount: record.activeStepCount,
    childCount: record.childCount,
    activeChildCount: record.activeChildCount,
    awaitable: run.status === 'running',
  };
  if (child !== undefined) {
    const view = childOf(child);
    status.relation = view.relation;
    status.parentRunId = view.parentRunId;
    status.substrate = view.substrate;
    if (view.sessionId !== undefined) status.sessionId = view.sessionId;
    if (view.threadId !== undefined) status.threadId = view.threadId;
    status.metadata = view.metadata;
    if (view.task !== undefined) status.task = view.task;
  }
  return status;
}

export function stepOf(row: StepRow): Step {
  const step: Mutable<Step> = {
    stepId: row.stepId,
    runId: row.runId,
    name: row.name,
    kind: row.kind,
    status: row.status,
    startedAt: row.startedAt,
    updatedAt: row.updatedAt,
  };
  if (row.input !== undefined) step.input = row.input;
  if (row.output !== undefined) step.output = row.output;
  if (row.error !== undefined) step.error = row.error;
  return step;
}

export function sessionOf(row: SessionRow): Session {
  const session: Mutable<Session> = { sessionId: row.sessionId, metadata: row.metadata, status: row.status, createdAt: row.createdAt };
  if (row.ownerRunId !== undefined) session.ownerRunId = row.ownerRunId;
  return session;
}

export function threadOf(row: ThreadRow): Thread {
  const thread: Mutable<Thread> = { threadId: row.threadId, sessionId: row.sessionId, metadata: row.metadata, status: row.status, createdAt: row.createdAt };
  if (row.name !== undefined) thread.name = row.name;
  return thread;
}
