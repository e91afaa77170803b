import type { JsonValue } from '@runtree/event-store';
import type { AwaitResult, CancelResult, Child, ChildStatus, CollectResult, Run, RunPage, Session, Step, Thread } from './model.js';
import type {
  CollectOptions,
  CommandOptions,
  DelegateOptions,
  ListRunsOptions,
  OpenSessionOptions,
  ParentRef,
  SpawnOptions,
  StartRunOptions,
  StartStepOptions,
  StartThreadOptions,
} from './options.js';

/**
 * The operations of the spec (docs/spec.md). Every method rejects with
 * `OrchestratorError` (`code`, `message`, `details`). Inputs are `unknown`-safe: a caller
 * from plain JavaScript or the bus gets a coded error for a malformed argument, never a crash.
 */
export interface OrchestratorApi {
  ensureReady(): Promise<void>;
  startRun(options?: StartRunOptions): Promise<Run>;
  spawn(parent: ParentRef, options?: SpawnOptions): Promise<Child>;
  delegate(parent: ParentRef, task: JsonValue, options?: DelegateOptions): Promise<Run>;
  listChildren(parent: ParentRef): Promise<Child[]>;
  status(runId: string): Promise<ChildStatus>;
  collect(runId: string, options?: CollectOptions): Promise<CollectResult>;
  /** Runs matching the filters, newest first, a page at a time (`nextCursor`). */
  listRuns(options?: ListRunsOptions): Promise<RunPage>;
  /** `signal`: when it aborts, the await stops waiting and rejects with `timeout` (details `aborted: true`). */
  await(runId: string, timeoutMs: number, signal?: AbortSignal): Promise<AwaitResult>;
  cancel(runId: string, reason?: JsonValue, options?: CommandOptions): Promise<CancelResult>;
  completeRun(runId: string, output?: JsonValue, options?: CommandOptions): Promise<Run>;
  failRun(runId: string, error: JsonValue, options?: CommandOptions): Promise<Run>;
  startStep(runId: string, options?: StartStepOptions): Promise<Step>;
  completeStep(runId: string, stepId: string, output?: JsonValue, options?: CommandOptions): Promise<Step>;
  failStep(runId: string, stepId: string, error: JsonValue, options?: CommandOptions): Promise<Step>;
  openSession(options?: OpenSessionOptions): Promise<Session>;
  closeSession(sessionId: string, options?: CommandOptions): Promise<Session>;
  startThread(sessionId: string, options?: StartThreadOptions): Promise<Thread>;
  closeThread(threadId: string, options?: CommandOptions): Promise<Thread>;
  /** Forgets the read models (not the journal) and moves their checkpoint to the end of the log. */
  clear(): Promise<void>;
  /** Replays the whole journal into fresh read models, swapped in once they have caught up. */
  rebuild(): Promise<void>;
}

/** A tuple of the same length, every element `unknown`. */
type UnknownArguments<T extends readonly unknown[]> = { [I in keyof T]: unknown };

/**
 * The same operations with every argument `unknown`: how a caller holding undecoded input (an HTTP
 * body, a bus payload) sees the facade. True of `Orchestrator` at run time, since each method
 * decodes its arguments with the codecs and rejects a malformed one with a coded error; get it with
 * `uncheckedInput(orchestrator)`, or inject `@Inject(Orchestrator)` with this type.
 */
export type UncheckedOrchestratorApi = {
  readonly [K in keyof OrchestratorApi]: (...args: UnknownArguments<Parameters<OrchestratorApi[K]>>) => ReturnType<OrchestratorApi[K]>;
};

/**
 * The facade seen through `UncheckedOrchestratorApi`. TypeScript cannot see that a method typed
 * `(options?: StartRunOptions)` also accepts `unknown`; the codecs every method runs first make it so.
 */
export function uncheckedInput(orchestrator: OrchestratorApi): UncheckedOrchestratorApi {
  return orchestrator as unknown as UncheckedOrchestratorApi;
}
