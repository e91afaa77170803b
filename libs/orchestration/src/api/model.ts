import type { JsonValue } from '@runtree/event-store';

/** Only `running` is not terminal. */
export type RunStatus = 'running' | 'completed' | 'failed' | 'cancelled';
export type StepStatus = RunStatus;
export type Relation = 'spawned' | 'delegated';
export type Substrate = 'run' | 'session' | 'thread' | 'session_thread';
export type JsonObject = { [key: string]: JsonValue };

export interface Run {
  readonly runId: string;
  readonly kind: string;
  readonly status: RunStatus;
  readonly input?: JsonValue;
  readonly output?: JsonValue;
  readonly error?: JsonValue;
  readonly cancelReason?: JsonValue;
  readonly sessionId?: string;
  readonly threadId?: string;
  /** The caller's metadata, plus `orchestrator` (the lineage) for a child run. */
  readonly metadata: JsonObject;
  /** Present on a child run. */
  readonly parentRunId?: string;
  readonly relation?: Relation;
  readonly substrate?: Substrate;
  /** ISO-8601. */
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Revision of the run's stream (`run-<runId>`) this view reflects. */
  readonly revision: string;
}

/** A run without its payloads (`metadata`, `input`, `output`, `error`, `cancelReason`). */
export type RunSummary = Omit<Run, 'metadata' | 'input' | 'output' | 'error' | 'cancelReason'>;

/** A run as `listRuns` gives it: the payloads asked for with `include`, no others. */
export type ListedRun = RunSummary & Partial<Pick<Run, 'metadata' | 'input' | 'output' | 'error' | 'cancelReason'>>;

/** One page of `listRuns`, newest first. */
export interface RunPage {
  readonly runs: ListedRun[];
  /** Present when more runs follow: pass it as `cursor` for the next page. */
  readonly nextCursor?: string;
}

export interface Step {
  readonly stepId: string;
  readonly runId: string;
  readonly name: string;
  readonly kind: string;
  readonly status: StepStatus;
  readonly input?: JsonValue;
  readonly output?: JsonValue;
  readonly error?: JsonValue;
  readonly startedAt: string;
  readonly updatedAt: string;
}

export interface Session {
  readonly sessionId: string;
  readonly metadata: JsonObject;
  readonly status: 'open' | 'closed';
  readonly ownerRunId?: string;
  readonly createdAt: string;
}

export interface Thread {
  readonly threadId: string;
  readonly sessionId: string;
  readonly name?: string;
  readonly metadata: JsonObject;
  readonly status: 'open' | 'closed';
  readonly createdAt: string;
}

/** The lineage record of a child. */
export interface Link {
  readonly parentRunId: string;
  readonly childRunId: string;
  readonly relation: Relation;
  readonly substrate: Substrate;
  /** The caller's metadata as given. */
  readonly metadata: JsonObject;
  readonly task?: JsonValue;
  readonly childSessionId?: string;
  readonly childThreadId?: string;
  readonly ownsSession: boolean;
  readonly stopSessionOnCancel: boolean;
  /** Order of creation under the parent, from 0. */
  readonly sequence: number;
  readonly createdAt: string;
}

export interface Child {
  readonly relation: Relation;
  readonly substrate: Substrate;
  readonly parentRunId: string;
  readonly run: Run;
  readonly metadata: JsonObject;
  readonly task?: JsonValue;
  readonly sessionId?: string;
  readonly threadId?: string;
  readonly ownsSession?: boolean;
  readonly stopSessionOnCancel?: boolean;
  /** The thread record, when one was started or resumed for the child. */
  readonly thread?: Thread;
}

export interface ChildStatus {
  readonly run: Run;
  readonly stepCount: number;
  readonly activeStepCount: number;
  readonly childCount: number;
  readonly activeChildCount: number;
  readonly awaitable: boolean;
  readonly relation?: Relation;
  readonly parentRunId?: string;
  readonly substrate?: Substrate;
  readonly sessionId?: string;
  readonly threadId?: string;
  readonly metadata?: JsonObject;
  readonly task?: JsonValue;
}

export interface JournalEntry {
  readonly eventId: string;
  readonly type: string;
  readonly streamName: string;
  readonly revision: string;
  /** `commit/prepare` of the global log. */
  readonly position: string;
  readonly data: JsonValue;
  readonly metadata: JsonValue;
  readonly created: string;
}

export interface CollectResult {
  readonly run: Run;
  readonly children: Child[];
  readonly link?: Link;
  readonly steps?: Step[];
  /** Depth-first pre-order; siblings oldest first. */
  readonly descendants?: Child[];
  /** Merged in global commit order. */
  readonly journal?: JournalEntry[];
}

/** A run that is still running when the timeout passes rejects with code `timeout` instead. */
export interface AwaitResult {
  readonly status: Exclude<RunStatus, 'running'>;
  readonly run: Run;
  readonly output?: JsonValue;
  readonly error?: JsonValue;
  readonly cancelReason?: JsonValue;
}

export interface CancelResult {
  readonly runId: string;
  /** The runs this call moved to `cancelled`, descendants before their ancestors. Empty when nothing was running. */
  readonly cancelled: string[];
}
