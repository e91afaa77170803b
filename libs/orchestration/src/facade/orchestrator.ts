import { Inject, Injectable, Optional } from '@nestjs/common';
import { ORCHESTRATOR_OBSERVER, type OperationName, type OrchestratorObserver } from './orchestrator-observer.js';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import * as E from 'fp-ts/lib/Either.js';
import { EventStoreError, type EventStore, type JsonValue, type Position } from '@runtree/event-store';
import { ReadStoreUnavailableError, type ReadStore } from '@runtree/read-store';
import { domainError, OrchestratorError, type DomainError } from '../api/errors.js';
import type { AwaitResult, CancelResult, Child, ChildStatus, CollectResult, Run, RunPage, Session, Step, Thread } from '../api/model.js';
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
} from '../api/options.js';
import type { OrchestratorApi } from '../api/orchestrator-api.js';
import { CancelTreeCommand } from '../commands/cancel-tree.command.js';
import { commandContext, createdId } from '../commands/command-context.js';
import {
  CompleteRunCommand,
  CompleteStepCommand,
  FailRunCommand,
  FailStepCommand,
  StartRunCommand,
  StartStepCommand,
} from '../commands/run-lifecycle.commands.js';
import { CloseSessionCommand, CloseThreadCommand, OpenSessionCommand, StartThreadCommand } from '../commands/session.commands.js';
import { DelegateCommand, SpawnChildCommand } from '../commands/spawn-child.command.js';
import { OrchestratorLifecycle } from '../module/orchestrator-lifecycle.js';
import { CLOCK, EVENT_STORE, ID_GENERATOR, READ_STORE, VALIDATION_LIMITS, type Clock, type IdGenerator } from '../module/tokens.js';
import { ProjectionRunner } from '../projections/projection-runner.js';
import { followRunChanges, type RunChange } from './run-changes.js';
import { CollectQuery, ListChildrenQuery, ListRunsQuery, StatusQuery } from '../queries/index.js';
import { childOf, runOf, sessionOf, stepOf, threadOf } from '../projections/views.js';
import { RunWatchers, type AwaitOutcome } from '../await/index.js';
import { StreamRepository } from '../write/stream-repository.js';
import { inSpan } from '../tracing/tracer.js';
import {
  parseCollectOptions,
  parseCommandOptions,
  parseDelegateOptions,
  parseId,
  parseListRunsOptions,
  parseOpenSessionOptions,
  parseOptionalPayload,
  parseOptionalSignal,
  parseParentRef,
  parsePayload,
  parseSpawnOptions,
  parseStartRunOptions,
  parseStartStepOptions,
  parseStartThreadOptions,
  parseTimeoutMs,
  type ValidationLimits,
} from '../validation/index.js';

/** A value, or the coded error that becomes the facade's rejection. */
function unwrap<T>(result: E.Either<DomainError, T>): T {
  if (E.isLeft(result)) throw OrchestratorError.from(result.left);
  return result.right;
}

/**
 * The orchestrator's operations as plain promises, typed with the API's options and results. Every
 * input is still parsed by its codec first (callers from JavaScript, HTTP and the bus pass anything:
 * see `UncheckedOrchestratorApi`); every failure rejects with an `OrchestratorError` carrying the
 * spec's code.
 */
@Injectable()
export class Orchestrator implements OrchestratorApi {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly projection: ProjectionRunner,
    private readonly watchers: RunWatchers,
    private readonly streams: StreamRepository,
    private readonly lifecycle: OrchestratorLifecycle,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly generateId: IdGenerator,
    @Inject(VALIDATION_LIMITS) private readonly limits: ValidationLimits,
    @Optional() @Inject(ORCHESTRATOR_OBSERVER) private readonly observer?: OrchestratorObserver,
  ) {}

  /**
   * The store answers, the read models hold everything written before the call (on a shared read
   * store, whichever instance projected it) and start-up recovery is done.
   */
  ensureReady(): Promise<void> {
    return this.guard('ensureReady', async () => {
      await this.store.headPosition();
      await this.projection.whenCaughtUp();
      await this.lifecycle.whenRecovered();
    });
  }

  startRun(options?: StartRunOptions): Promise<Run> {
    return this.guard('startRun', async () => {
      const parsed = unwrap(parseStartRunOptions(options, this.limits));
      const context = this.context(parsed);
      const runId = parsed.runId ?? createdId(context, 'run');
      const command = new StartRunCommand(runId, parsed.kind ?? 'run', parsed.metadata ?? {}, parsed.input, parsed.sessionId, parsed.threadId, context);
      const outcome = unwrap(await this.commands.execute(command));
      await this.caughtUpTo(outcome.position);
      return this.run(runId);
    });
  }

  spawn(parent: ParentRef, options?: SpawnOptions): Promise<Child> {
    return this.guard('spawn', async () => {
      const parentRunId = unwrap(parseParentRef(parent, this.limits));
      const parsed = unwrap(parseSpawnOptions(options, this.limits));
      const outcome = unwrap(await this.commands.execute(new SpawnChildCommand(parentRunId, 'spawned', parsed, this.context(parsed))));
      await this.caughtUpTo(outcome.position);
      return this.child(outcome.childRunId);
    });
  }

  delegate(parent: ParentRef, task: JsonValue, options?: DelegateOptions): Promise<Run> {
    return this.guard('delegate', async () => {
      const parentRunId = unwrap(parseParentRef(parent, this.limits));
      const parsedTask = unwrap(parsePayload(task, 'task', this.limits));
      const parsed = unwrap(parseDelegateOptions(options, this.limits));
      const outcome = unwrap(await this.commands.execute(new DelegateCommand(parentRunId, parsedTask, parsed, this.context(parsed))));
      await this.caughtUpTo(outcome.position);
      return this.run(outcome.childRunId);
    });
  }

  listChildren(parent: ParentRef): Promise<Child[]> {
    return this.guard('listChildren', async () => unwrap(await this.queries.execute(new ListChildrenQuery(unwrap(parseParentRef(parent, this.limits))))));
  }

  status(runId: string): Promise<ChildStatus> {
    return this.guard('status', async () => unwrap(await this.queries.execute(new StatusQuery(unwrap(parseId(runId, 'runId', this.limits))))));
  }

  collect(runId: string, options?: CollectOptions): Promise<CollectResult> {
    return this.guard('collect', async () => {
      const id = unwrap(parseId(runId, 'runId', this.limits));
      return unwrap(await this.queries.execute(new CollectQuery(id, unwrap(parseCollectOptions(options, this.limits)))));
    });
  }

  /**
   * Runs matching every filter given, newest first (in the order they started), a page at a time:
   * pass the page's `nextCursor` as `cursor` for the next one. A run is never listed twice across
   * the pages of one listing, whatever is written meanwhile. Runs carry no payloads unless
   * `include` names them (`metadata`, `input`, `output`: the output, error or cancel reason).
   */
  listRuns(options?: ListRunsOptions): Promise<RunPage> {
    return this.guard('listRuns', async () => this.queries.execute(new ListRunsQuery(unwrap(parseListRunsOptions(options, this.limits)))));
  }

  /**
   * For live views: resolves once the read models hold everything written so far, with every event
   * appended to a run's stream after that, each once `status` shows it, until `signal` aborts. Read
   * the runs after it resolves and apply the changes: nothing falls between. A store failure ends
   * the changes; read again and follow anew. Not an operation of the spec (nor of the bus): a
   * feed for the service's own views.
   */
  followRunChanges(signal: AbortSignal): Promise<AsyncIterable<RunChange>> {
    return followRunChanges(this.store, this.projection, signal);
  }

  /**
   * `signal` (optional) is for a caller that may go away, e.g. an HTTP client that disconnects:
   * when it aborts, the await stops waiting at once and rejects with `timeout` (details
   * `aborted: true`), and the run's subscription closes if nobody else awaits it. An
   * already-aborted signal rejects so at once. Anything but an `AbortSignal` is `invalid_option`.
   *
   * Not through `guard`: one promise per waiter, settled straight from the run's wake-up, so a
   * thousand waiters on one run cost a thousand resolutions and no promise steps in between.
   */
  await(runId: string, timeoutMs: number, signal?: AbortSignal): Promise<AwaitResult> {
    const started = performance.now();
    return new Promise((resolve, reject) => {
      try {
        const id = unwrap(parseId(runId, 'runId', this.limits));
        const timeout = unwrap(parseTimeoutMs(timeoutMs, this.limits));
        const abortSignal = unwrap(parseOptionalSignal(signal, 'signal'));
        const settle = (outcome: AwaitOutcome): void => {
          if (E.isLeft(outcome)) return reject(this.failed('await', started, OrchestratorError.from(outcome.left)));
          resolve(outcome.right);
          this.finished('await', started, 'ok');
        };
        this.watchers.await(id, timeout, settle, abortSignal);
      } catch (caught) {
        reject(this.failed('await', started, caught));
      }
    });
  }

  cancel(runId: string, reason?: JsonValue, options?: CommandOptions): Promise<CancelResult> {
    return this.guard('cancel', async () => {
      const id = unwrap(parseId(runId, 'runId', this.limits));
      const parsedReason = unwrap(parseOptionalPayload(reason, 'reason', this.limits)) ?? null;
      const parsed = unwrap(parseCommandOptions(options, this.limits));
      const outcome = unwrap(await this.commands.execute(new CancelTreeCommand(id, parsedReason, this.context(parsed))));
      await this.caughtUpTo(outcome.position);
      return { runId: id, cancelled: outcome.cancelled };
    });
  }

  completeRun(runId: string, output?: JsonValue, options?: CommandOptions): Promise<Run> {
    return this.runCommand('completeRun', runId, options, (id, context) => new CompleteRunCommand(id, unwrap(parseOptionalPayload(output, 'output', this.limits)), context));
  }

  failRun(runId: string, error: JsonValue, options?: CommandOptions): Promise<Run> {
    return this.runCommand('failRun', runId, options, (id, context) => new FailRunCommand(id, unwrap(parsePayload(error, 'error', this.limits)), context));
  }

  startStep(runId: string, options?: StartStepOptions): Promise<Step> {
    return this.guard('startStep', async () => {
      const id = unwrap(parseId(runId, 'runId', this.limits));
      const parsed = unwrap(parseStartStepOptions(options, this.limits));
      const context = this.context(parsed);
      const stepId = parsed.stepId ?? createdId(context, 'step');
      const name = parsed.name ?? parsed.kind ?? 'step';
      const outcome = unwrap(await this.commands.execute(new StartStepCommand(id, stepId, name, parsed.kind ?? name, parsed.input, context)));
      await this.caughtUpTo(outcome.position);
      return this.step(id, stepId);
    });
  }

  completeStep(runId: string, stepId: string, output?: JsonValue, options?: CommandOptions): Promise<Step> {
    return this.stepCommand('completeStep', runId, stepId, options, (id, step, context) => new CompleteStepCommand(id, step, unwrap(parseOptionalPayload(output, 'output', this.limits)), context));
  }

  failStep(runId: string, stepId: string, error: JsonValue, options?: CommandOptions): Promise<Step> {
    return this.stepCommand('failStep', runId, stepId, options, (id, step, context) => new FailStepCommand(id, step, unwrap(parsePayload(error, 'error', this.limits)), context));
  }

  openSession(options?: OpenSessionOptions): Promise<Session> {
    return this.guard('openSession', async () => {
      const parsed = unwrap(parseOpenSessionOptions(options, this.limits));
      const context = this.context(parsed);
      const sessionId = parsed.sessionId ?? createdId(context, 'session');
      const outcome = unwrap(await this.commands.execute(new OpenSessionCommand(sessionId, parsed.metadata ?? {}, context)));
      await this.caughtUpTo(outcome.position);
      return this.session(sessionId);
    });
  }

  closeSession(sessionId: string, options?: CommandOptions): Promise<Session> {
    return this.guard('closeSession', async () => {
      const id = unwrap(parseId(sessionId, 'sessionId', this.limits));
      const outcome = unwrap(await this.commands.execute(new CloseSessionCommand(id, this.context(unwrap(parseCommandOptions(options, this.limits))))));
      await this.caughtUpTo(outcome.position);
      return this.session(id);
    });
  }

  startThread(sessionId: string, options?: StartThreadOptions): Promise<Thread> {
    return this.guard('startThread', async () => {
      const id = unwrap(parseId(sessionId, 'sessionId', this.limits));
      const parsed = unwrap(parseStartThreadOptions(options, this.limits));
      const context = this.context(parsed);
      const threadId = parsed.threadId ?? createdId(context, 'thread');
      const outcome = unwrap(await this.commands.execute(new StartThreadCommand(id, threadId, parsed.name, parsed.metadata ?? {}, context)));
      await this.caughtUpTo(outcome.position);
      return this.thread(threadId);
    });
  }

  closeThread(threadId: string, options?: CommandOptions): Promise<Thread> {
    return this.guard('closeThread', async () => {
      const id = unwrap(parseId(threadId, 'threadId', this.limits));
      const outcome = unwrap(await this.commands.execute(new CloseThreadCommand(id, this.context(unwrap(parseCommandOptions(options, this.limits))))));
      await this.caughtUpTo(outcome.position);
      return this.thread(id);
    });
  }

  clear(): Promise<void> {
    return this.guard('clear', () => this.projection.clear());
  }

  rebuild(): Promise<void> {
    return this.guard('rebuild', async () => {
      this.streams.forget();
      await this.projection.rebuild();
    });
  }

  private runCommand(
    operation: OperationName,
    runId: unknown,
    options: unknown,
    build: (runId: string, context: ReturnType<Orchestrator['context']>) => CompleteRunCommand | FailRunCommand,
  ): Promise<Run> {
    return this.guard(operation, async () => {
      const id = unwrap(parseId(runId, 'runId', this.limits));
      const context = this.context(unwrap(parseCommandOptions(options, this.limits)));
      const outcome = unwrap(await this.commands.execute(build(id, context)));
      await this.caughtUpTo(outcome.position);
      return this.run(id);
    });
  }

  private stepCommand(
    operation: OperationName,
    runId: unknown,
    stepId: unknown,
    options: unknown,
    build: (runId: string, stepId: string, context: ReturnType<Orchestrator['context']>) => CompleteStepCommand | FailStepCommand,
  ): Promise<Step> {
    return this.guard(operation, async () => {
      const id = unwrap(parseId(runId, 'runId', this.limits));
      const step = unwrap(parseId(stepId, 'stepId', this.limits));
      const context = this.context(unwrap(parseCommandOptions(options, this.limits)));
      const outcome = unwrap(await this.commands.execute(build(id, step, context)));
      await this.caughtUpTo(outcome.position);
      return this.step(id, step);
    });
  }

  private context(options: CommandOptions) {
    return commandContext(options, this.clock, this.generateId);
  }

  /** Read-your-writes: a command answers once the read models hold its events. */
  private async caughtUpTo(position: Position | undefined): Promise<void> {
    if (position) await this.projection.waitFor(position);
  }

  private async run(runId: string): Promise<Run> {
    const record = await this.readStore.run(runId);
    return this.found(record && runOf(record), 'not_found', `Run ${runId} not found`, { runId });
  }

  private async child(runId: string): Promise<Child> {
    const record = await this.readStore.child(runId);
    return this.found(record && childOf(record), 'not_found', `Run ${runId} not found`, { runId });
  }

  private async step(runId: string, stepId: string): Promise<Step> {
    const row = await this.readStore.step(runId, stepId);
    return this.found(row && stepOf(row), 'not_found', `Step ${stepId} not found in run ${runId}`, { runId, stepId });
  }

  private async session(sessionId: string): Promise<Session> {
    const row = await this.readStore.session(sessionId);
    return this.found(row && sessionOf(row), 'session_not_found', `Session ${sessionId} not found`, { sessionId });
  }

  private async thread(threadId: string): Promise<Thread> {
    const row = await this.readStore.thread(threadId);
    return this.found(row && threadOf(row), 'thread_not_found', `Thread ${threadId} not found`, { threadId });
  }

  private found<T>(value: T | undefined, code: DomainError['code'], message: string, details: DomainError['details']): T {
    if (value === undefined) throw OrchestratorError.from(domainError(code, message, details));
    return value;
  }

  /**
   * Store failures reach callers as `store_unavailable`; coded errors pass through; observers see
   * every outcome. Each operation is a span: the events it writes record it as their trace context.
   */
  private guard<T>(operation: OperationName, work: () => Promise<T>): Promise<T> {
    return inSpan(`orchestrator.${operation}`, { 'runtree.operation': operation }, async () => {
      const started = performance.now();
      try {
        const result = await work();
        this.finished(operation, started, 'ok');
        return result;
      } catch (caught) {
        throw this.failed(operation, started, caught);
      }
    });
  }

  /** The error the caller gets for `caught`, with the outcome reported. */
  private failed(operation: OperationName, started: number, caught: unknown): unknown {
    const error =
      caught instanceof EventStoreError
        ? new OrchestratorError('store_unavailable', `The event store failed: ${caught.message}`, { cause: caught.code })
        : caught instanceof ReadStoreUnavailableError
          ? new OrchestratorError('store_unavailable', caught.message, { cause: 'read_store_unavailable' })
          : caught;
    this.finished(operation, started, error instanceof OrchestratorError ? error.code : 'internal_error');
    return error;
  }

  private finished(operation: OperationName, started: number, outcome: string): void {
    this.observer?.operationFinished({ operation, outcome, durationMs: performance.now() - started });
  }
}
