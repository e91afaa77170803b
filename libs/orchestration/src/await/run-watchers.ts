import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import * as E from 'fp-ts/lib/Either.js';
import { subscribeToStreamResuming, type EventStore, type Subscription } from '@runtree/event-store';
import type { ReadStore } from '@runtree/read-store';
import { domainError, type DomainError } from '../api/errors.js';
import type { AwaitResult } from '../api/model.js';
import { EVENT_STORE, MEMORY_BUDGET, READ_STORE } from '../module/tokens.js';
import { ProjectionRunner } from '../projections/projection-runner.js';
import { runOf } from '../projections/views.js';
import { runNotFound } from '../queries/lookup-errors.js';
import { runStream } from '../streams/stream-names.js';
import type { MemoryBudget } from '../write/memory-budget.js';
import { awaitAborted, awaitResult, awaitTimedOut } from './await-result.js';

export type AwaitOutcome = E.Either<DomainError, AwaitResult>;

const TERMINAL_EVENT_TYPES: ReadonlySet<string> = new Set(['RunCompleted', 'RunFailed', 'RunCancelled']);
/** setTimeout's longest delay; a longer timeout is waited in several legs. */
const MAX_TIMER_MS = 2_147_483_647;
/**
 * Heap a watched run costs (its subscription, buffers and bookkeeping) and a waiter on it (its
 * timer, closures and promise), measured with `npm run bench` (orchestration, await): the budget
 * in bytes is turned into a number of watches and waiters with these.
 */
export const WATCH_BYTES = 4096;
export const WAITER_BYTES = 512;

class Waiter {
  timer: ReturnType<typeof setTimeout> | undefined = undefined;
  stopListening: (() => void) | undefined = undefined;
  constructor(readonly settle: (outcome: AwaitOutcome) => void) {}

  /** Before settling: a long-lived signal must not keep a settled waiter (and its watch) reachable. */
  release(): void {
    clearTimeout(this.timer);
    this.stopListening?.();
  }
}

/** One subscription to a run's stream, shared by everyone awaiting that run. */
class RunWatch {
  readonly waiters = new Set<Waiter>();
  constructor(
    readonly runId: string,
    readonly subscription: Subscription,
  ) {}
}

/**
 * `await` without polling: one subscription to the tail of the run's stream per awaited run,
 * however many waiters, closed when the last one leaves. The terminal event wakes every waiter
 * once the read models have applied it, so the result is the run as the read models show it,
 * read once for all of them. What the watches and waiters may hold is bounded by the memory
 * budget's `awaitBytes`; past it an await is refused with `too_many_requests`.
 */
@Injectable()
export class RunWatchers implements OnModuleDestroy {
  private readonly watches = new Map<string, RunWatch>();
  private waiters = 0;
  private destroyed = false;

  constructor(
    private readonly projection: ProjectionRunner,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(MEMORY_BUDGET) private readonly budget: MemoryBudget,
  ) {}

  /** Runs being watched (one stream subscription each). */
  get watcherCount(): number {
    return this.watches.size;
  }

  get waiterCount(): number {
    return this.waiters;
  }

  /** Heap the watches and waiters are estimated to hold now. */
  get heldBytes(): number {
    return this.watches.size * WATCH_BYTES + this.waiters * WAITER_BYTES;
  }

  /**
   * Calls `settle` once with the answer: at once when there is nothing to wait for, else from the
   * run's wake-up, which settles every waiter of the run in one synchronous pass (no promise steps
   * per waiter). `timeoutMs` is a validated non-negative integer. When `signal` aborts (the caller
   * has gone), the waiter leaves at once with `timeout` (details `aborted: true`), closing the run's
   * subscription if it was the last; an already-aborted signal is answered so without a look at the run.
   */
  await(runId: string, timeoutMs: number, settle: (outcome: AwaitOutcome) => void, signal?: AbortSignal): void {
    if (signal?.aborted) return settle(E.left(awaitAborted(runId, timeoutMs)));
    this.readStore.runCore(runId).then(
      (core) => {
        if (signal?.aborted) return settle(E.left(awaitAborted(runId, timeoutMs)));
        if (this.destroyed) return settle(E.left(shuttingDown(runId)));
        if (core === undefined) return settle(E.left(runNotFound(runId)));
        if (core.status !== 'running') return this.answerFromReadModels(runId, [settle]);
        if (timeoutMs <= 0) return settle(E.left(awaitTimedOut(runId, timeoutMs)));
        const watch = this.watches.get(runId);
        const extraBytes = WAITER_BYTES + (watch === undefined ? WATCH_BYTES : 0);
        if (this.heldBytes + extraBytes > this.budget.awaitBytes) return settle(E.left(this.overBudget(runId)));
        this.join(watch ?? this.startWatch(runId, BigInt(core.revision)), settle, timeoutMs, signal);
      },
      (error: unknown) => settle(E.left(readFailed(runId, error))),
    );
  }

  onModuleDestroy(): void {
    this.destroyed = true;
    for (const watch of [...this.watches.values()]) this.settleAll(watch, E.left(shuttingDown(watch.runId)));
  }

  private join(watch: RunWatch, settle: (outcome: AwaitOutcome) => void, timeoutMs: number, signal: AbortSignal | undefined): void {
    const waiter = new Waiter(settle);
    watch.waiters.add(waiter);
    this.waiters++;
    this.armTimeout(watch, waiter, timeoutMs, timeoutMs);
    if (signal !== undefined) this.leaveOnAbort(watch, waiter, signal, timeoutMs);
  }

  /**
   * Subscribes after the revision the read models show: the terminal event is necessarily later.
   * A store outage does not end the watch: it resumes once the store is back, so waiters get their
   * answer or their timeout.
   */
  private startWatch(runId: string, afterRevision: bigint): RunWatch {
    const watch = new RunWatch(runId, subscribeToStreamResuming(this.store, runStream(runId), { fromRevision: afterRevision }));
    this.watches.set(runId, watch);
    void this.follow(watch);
    return watch;
  }

  /** Settles the waiters before leaving the loop: leaving waits for the subscription to end. */
  private async follow(watch: RunWatch): Promise<void> {
    try {
      for await (const message of watch.subscription) {
        if (message.type !== 'event' || !TERMINAL_EVENT_TYPES.has(message.event.type)) continue;
        await this.projection.waitFor(message.event.position);
        const record = await this.readStore.run(watch.runId);
        // Gone: the read models were cleared meanwhile. Still running: the read models skipped the event.
        if (record === undefined) return this.settleAll(watch, E.left(runNotFound(watch.runId)));
        if (record.status !== 'running') return this.settleAll(watch, E.right(awaitResult(runOf(record))));
      }
      // After the last waiter left this settles nobody; it only makes sure the watch is closed.
      this.settleAll(watch, E.left(domainError('store_unavailable', `The watch of run ${watch.runId} ended`, { runId: watch.runId })));
    } catch (error) {
      this.settleAll(watch, E.left(readFailed(watch.runId, error)));
    }
  }

  private answerFromReadModels(runId: string, settles: readonly ((outcome: AwaitOutcome) => void)[]): void {
    this.readStore.run(runId).then(
      (record) => {
        const outcome: AwaitOutcome = record === undefined ? E.left(runNotFound(runId)) : E.right(awaitResult(runOf(record)));
        for (const settle of settles) settle(outcome);
      },
      (error: unknown) => {
        for (const settle of settles) settle(E.left(readFailed(runId, error)));
      },
    );
  }

  private armTimeout(watch: RunWatch, waiter: Waiter, remainingMs: number, timeoutMs: number): void {
    const leg = Math.min(remainingMs, MAX_TIMER_MS);
    waiter.timer = setTimeout(() => {
      if (remainingMs > leg) return this.armTimeout(watch, waiter, remainingMs - leg, timeoutMs);
      this.leave(watch, waiter, E.left(awaitTimedOut(watch.runId, timeoutMs)));
    }, leg);
  }

  private leaveOnAbort(watch: RunWatch, waiter: Waiter, signal: AbortSignal, timeoutMs: number): void {
    const onAbort = (): void => this.leave(watch, waiter, E.left(awaitAborted(watch.runId, timeoutMs)));
    signal.addEventListener('abort', onAbort, { once: true });
    waiter.stopListening = () => signal.removeEventListener('abort', onAbort);
  }

  /** One waiter goes; the run's subscription goes with the last one. */
  private leave(watch: RunWatch, waiter: Waiter, outcome: AwaitOutcome): void {
    if (watch.waiters.delete(waiter)) this.waiters--;
    if (watch.waiters.size === 0) this.close(watch);
    waiter.release();
    waiter.settle(outcome);
  }

  private settleAll(watch: RunWatch, outcome: AwaitOutcome): void {
    this.close(watch);
    const waiters = [...watch.waiters];
    watch.waiters.clear();
    this.waiters -= waiters.length;
    for (const waiter of waiters) {
      waiter.release();
      waiter.settle(outcome);
    }
  }

  private close(watch: RunWatch): void {
    // A newer watch of the same run may have taken its place: leave that one alone.
    if (this.watches.get(watch.runId) === watch) this.watches.delete(watch.runId);
    void watch.subscription.stop();
  }

  private overBudget(runId: string): DomainError {
    return domainError(
      'too_many_requests',
      `Runtree is watching as many runs as its await memory budget allows (${this.budget.awaitBytes} bytes): retry the await later`,
      { runId, awaitBytes: this.budget.awaitBytes, watchedRuns: this.watches.size, waiters: this.waiters },
    );
  }
}

function shuttingDown(runId: string): DomainError {
  return domainError('store_unavailable', 'The orchestrator is shutting down', { runId });
}

/** A read that failed: the store's trouble, as the caller sees it. */
function readFailed(runId: string, error: unknown): DomainError {
  const reason = error instanceof Error ? error.message : String(error);
  return domainError('store_unavailable', `Watching run ${runId} failed: ${reason}`, { runId });
}
