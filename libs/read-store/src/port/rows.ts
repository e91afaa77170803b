import type { JsonValue } from '@runtree/event-store';

export type RunStatus = 'running' | 'completed' | 'failed' | 'cancelled';
export type Relation = 'spawned' | 'delegated';
export type Substrate = 'run' | 'session' | 'thread' | 'session_thread';
export type JsonObject = { [key: string]: JsonValue };

/**
 * What the projection keeps about a run besides its payloads: small, and rewritten often (every
 * child that starts or ends moves its parent's and its root's counters). Payloads live in their
 * own insert-only rows, so rewriting this one never copies a 40 KB output.
 */
export interface RunRow {
  readonly runId: string;
  readonly kind: string;
  status: RunStatus;
  readonly createdAt: string;
  updatedAt: string;
  /** The last revision of `run-<runId>` applied. */
  revision: number;
  readonly sessionId?: string;
  readonly threadId?: string;
  /** From the run's own RunStarted (its lineage); present on a child even before its link shows. */
  readonly parentRunId?: string;
  readonly relation?: Relation;
  readonly substrate?: Substrate;
  /** The link is applied: the run is visible as a child of `parentRunId`. */
  linked: boolean;
  /** The link started or resumed the child's thread: its child view shows the thread. */
  threadPlacedByLink: boolean;
  /** 0 for a root. */
  depth: number;
  rootRunId: string;
  cancelRequested: boolean;
  stepCount: number;
  activeStepCount: number;
  /** Visible children. */
  childCount: number;
  activeChildCount: number;
  /** On a root: visible descendants still running. */
  runningDescendants: number;
  /**
   * The log position of the run's RunStarted: its place in listings (newest first) and in their
   * cursors, the same in every rebuild of the read models.
   */
  readonly listingKey: number;
}

/** The payloads a run starts with (written once). */
export interface RunPayloadRow {
  readonly runId: string;
  readonly metadata: JsonObject;
  readonly input?: JsonValue;
}

/** Output, error or cancel reason (the status says which); written once, when the run ends. */
export interface RunOutcomeRow {
  readonly runId: string;
  readonly outcome: JsonValue;
}

/** A run with its payloads: what a query answers. */
export interface RunRecord extends RunRow {
  readonly metadata: JsonObject;
  readonly input?: JsonValue;
  readonly outcome?: JsonValue;
}

/** A link without its payloads: what the projection needs to attach the child. */
export interface LinkCore {
  readonly childRunId: string;
  readonly parentRunId: string;
  readonly relation: Relation;
  readonly substrate: Substrate;
  readonly sequence: number;
  readonly ownsSession: boolean;
  readonly stopSessionOnCancel: boolean;
  /** The session and thread the link placed the child in. */
  readonly placementSessionId?: string;
  readonly placementThreadId?: string;
  /** The link started or resumed a thread for the child. */
  readonly placesThread: boolean;
  /** The link event's occurredAt. */
  readonly createdAt: string;
  /** False while the child's RunStarted is not applied: readers do not see a pending link. */
  visible: boolean;
  childSessionId?: string;
  childThreadId?: string;
}

export interface LinkRow extends LinkCore {
  /** Commit position of the link event: the order pending links are found in. */
  readonly projectedOrder: number;
  /** The caller's metadata as given. */
  readonly metadata: JsonObject;
  readonly task?: JsonValue;
}

export interface StepCore {
  readonly runId: string;
  readonly stepId: string;
  status: RunStatus;
}

export interface StepRow extends StepCore {
  /** Start order within the run, from 0. */
  readonly sequence: number;
  readonly name: string;
  readonly kind: string;
  readonly startedAt: string;
  updatedAt: string;
  readonly input?: JsonValue;
  output?: JsonValue;
  error?: JsonValue;
}

/** A step that ended: what changes in its row. */
export interface StepFinish {
  readonly runId: string;
  readonly stepId: string;
  readonly status: Exclude<RunStatus, 'running'>;
  readonly updatedAt: string;
  readonly output?: JsonValue;
  readonly error?: JsonValue;
}

export interface SessionRow {
  readonly sessionId: string;
  readonly metadata: JsonObject;
  status: 'open' | 'closed';
  readonly ownerRunId?: string;
  readonly createdAt: string;
}

export interface ThreadRow {
  readonly threadId: string;
  readonly sessionId: string;
  readonly name?: string;
  readonly metadata: JsonObject;
  status: 'open' | 'closed';
  readonly createdAt: string;
}

/** A visible child: its link, its run, and the thread its link started or resumed. */
export interface ChildRecord {
  readonly link: LinkRow;
  readonly run: RunRecord;
  readonly thread?: ThreadRow;
}

/** The tree around a parent, for the policy; children being created count as children. */
export interface TreeShape {
  readonly rootRunId: string;
  readonly parentDepth: number;
  readonly parentChildCount: number;
  readonly runningDescendantsOfRoot: number;
}
