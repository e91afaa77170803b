import type { LinkRow, RunRow, SessionRow, StepFinish, StepRow, ThreadRow } from '../port/rows.js';
import { runCounterColumns } from './columns.js';
import { flag, toJsonColumn, toLabelColumn } from './json-columns.js';

/** Parameters in the order of `runCoreColumns`. */
export function runParams(run: RunRow): unknown[] {
  return [
    run.runId,
    toLabelColumn(run.kind),
    run.status,
    run.createdAt,
    run.updatedAt,
    run.revision,
    run.sessionId ?? null,
    run.threadId ?? null,
    run.parentRunId ?? null,
    run.relation ?? null,
    run.substrate ?? null,
    flag(run.linked),
    flag(run.threadPlacedByLink),
    run.depth,
    run.rootRunId,
    flag(run.cancelRequested),
    run.stepCount,
    run.activeStepCount,
    run.childCount,
    run.activeChildCount,
    run.runningDescendants,
    run.listingKey,
  ];
}

const counterValue: { readonly [column: string]: (run: RunRow) => unknown } = {
  updated_at: (run) => run.updatedAt,
  revision: (run) => run.revision,
  linked: (run) => flag(run.linked),
  thread_placed_by_link: (run) => flag(run.threadPlacedByLink),
  depth: (run) => run.depth,
  step_count: (run) => run.stepCount,
  active_step_count: (run) => run.activeStepCount,
  child_count: (run) => run.childCount,
  active_child_count: (run) => run.activeChildCount,
  running_descendants: (run) => run.runningDescendants,
};

/** Parameters in the order of `runCounterColumns`, then the run id. */
export function runCounterParams(run: RunRow): unknown[] {
  return [...runCounterColumns.map((column) => counterValue[column](run)), run.runId];
}

/** Parameters in the order of `linkColumns`. */
export function linkParams(link: LinkRow): unknown[] {
  return [
    link.childRunId,
    link.parentRunId,
    link.relation,
    link.substrate,
    link.sequence,
    flag(link.ownsSession),
    flag(link.stopSessionOnCancel),
    link.placementSessionId ?? null,
    link.placementThreadId ?? null,
    flag(link.placesThread),
    link.createdAt,
    flag(link.visible),
    link.childSessionId ?? null,
    link.childThreadId ?? null,
    toJsonColumn(link.metadata),
    toJsonColumn(link.task),
    link.projectedOrder,
  ];
}

/** Parameters in the order of `stepColumns`. */
export function stepParams(step: StepRow): unknown[] {
  return [
    step.runId,
    step.stepId,
    step.sequence,
    toLabelColumn(step.name),
    toLabelColumn(step.kind),
    step.status,
    step.startedAt,
    step.updatedAt,
    toJsonColumn(step.input),
    toJsonColumn(step.output),
    toJsonColumn(step.error),
  ];
}

/** `status, updated_at, output, error` then the key. */
export function stepFinishParams(finish: StepFinish): unknown[] {
  return [finish.status, finish.updatedAt, toJsonColumn(finish.output), toJsonColumn(finish.error), finish.runId, finish.stepId];
}

export function sessionParams(session: SessionRow): unknown[] {
  return [session.sessionId, toJsonColumn(session.metadata), session.status, session.ownerRunId ?? null, session.createdAt];
}

export function threadParams(thread: ThreadRow): unknown[] {
  return [thread.threadId, thread.sessionId, thread.name === undefined ? null : toLabelColumn(thread.name), toJsonColumn(thread.metadata), thread.status, thread.createdAt];
}
