import type { JsonValue } from '@runtree/event-store';
import type { JsonObject, Link, Run, RunStatus, Step } from '../api/model.js';
import type { Lineage } from '../events/run-events.js';

/** What the read models know about one run. Read-only to everyone but the read models. */
export interface RunEntry {
  readonly runId: string;
  /** A fresh view on each access: keep it rather than reading it twice. */
  readonly run: Run;
  readonly status: RunStatus;
  /** The last revision of `run-<runId>` applied. */
  readonly streamRevision: number;
  /** In start order. The list is live: copy it to keep it. */
  readonly steps: readonly Step[];
  readonly stepCount: number;
  readonly activeStepCount: number;
  /** Visible children, by link sequence. Live: copy it to keep it. */
  readonly childIds: readonly string[];
  readonly childCount: number;
  readonly activeChildCount: number;
  /** Set once the run is visible as a child of its parent. */
  readonly link: Link | undefined;
  /** 0 for a root run. */
  readonly depth: number;
  readonly rootRunId: string;
  readonly cancelRequested: boolean;
}

// Shared empty arrays: most runs have no steps or children, so they allocate none.
const NO_STEPS: readonly Step[] = Object.freeze([]);
const NO_CHILDREN: readonly string[] = Object.freeze([]);

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * One compact record per run (a plain class: no closures, one hidden class). Output, error and
 * cancel reason share `outcome`, since the status says which one it is.
 */
export class RunRecord implements RunEntry {
  status: RunStatus = 'running';
  outcome: JsonValue | undefined = undefined;
  updatedAt: string;
  streamRevision: number;
  steps: readonly Step[] = NO_STEPS;
  activeStepCount = 0;
  childIds: readonly string[] = NO_CHILDREN;
  activeChildCount = 0;
  link: Link | undefined = undefined;
  /** The link started or resumed the child's thread: its Child view shows the thread. */
  threadPlacedByLink = false;
  depth = 0;
  rootRunId: string;
  cancelRequested = false;
  /** On a root: visible descendants still running. */
  runningDescendants = 0;

  constructor(
    readonly runId: string,
    readonly kind: string,
    readonly metadata: JsonObject,
    readonly input: JsonValue | undefined,
    readonly sessionId: string | undefined,
    readonly threadId: string | undefined,
    readonly lineage: Lineage | undefined,
    readonly createdAt: string,
    revision: number,
  ) {
    this.updatedAt = createdAt;
    this.streamRevision = revision;
    this.rootRunId = runId;
  }

  get stepCount(): number {
    return this.steps.length;
  }

  get childCount(): number {
    return this.childIds.length;
  }

  get run(): Run {
    const run: Mutable<Run> = {
      runId: this.runId,
      kind: this.kind,
      status: this.status,
      metadata: this.metadata,
      createdAt: this.createdAt,
      updatedAt: this.updatedAt,
      revision: String(this.streamRevision),
    };
    if (this.input !== undefined) run.input = this.input;
    if (this.outcome !== undefined) {
      if (this.status === 'completed') run.output = this.outcome;
      else if (this.status === 'failed') run.error = this.outcome;
      else if (this.status === 'cancelled') run.cancelReason = this.outcome;
    }
    if (this.sessionId !== undefined) run.sessionId = this.sessionId;
    if (this.threadId !== undefined) run.threadId = this.threadId;
    if (this.lineage !== undefined) {
      run.parentRunId = this.lineage.parentRunId;
      run.relation = this.lineage.relation;
      run.substrate = this.lineage.substrate;
    }
    return run;
  }

  addStep(step: Step): void {
    if (this.steps === NO_STEPS) this.steps = [step];
    else (this.steps as Step[]).push(step);
  }

  /** Steps are immutable values (a view handed out never changes); the list holds the latest. */
  replaceStep(index: number, step: Step): void {
    (this.steps as Step[])[index] = step;
  }

  /** Inserts a child by its link sequence; children usually arrive in order, so this scans from the end. */
  insertChild(childRunId: string, sequence: number, sequenceOf: (runId: string) => number): void {
    const children = this.childIds === NO_CHILDREN ? [] : (this.childIds as string[]);
    let index = children.length;
    while (index > 0 && sequenceOf(children[index - 1]) > sequence) index--;
    children.splice(index, 0, childRunId);
    this.childIds = children;
  }
}
