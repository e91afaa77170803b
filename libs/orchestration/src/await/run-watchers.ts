import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import * as E from 'fp-ts/lib/Either.js';
import { subscribeToStreamResuming, type EventStore, type Subscription } from '@runtree/event-store';
import { domainError, type DomainError } from '../api/errors.js';
import type { AwaitResult } from '../api/model.js';
import { EVENT_STORE } from '../module/tokens.js';
import { ProjectionRunner } from '../projections/projection-runner.js';
import { runNotFound } from '../queries/lookup-errors.js';
import { runStream } from '../streams/stream-names.js';
import { awaitAborted, awaitResult, awaitTimedOut } from './await-result.js';

export type AwaitOutcome = E.Either<DomainError, AwaitResult>;

const TERMINAL_EVENT_TYPES: ReadonlySet<string> = new Set(['RunCompleted', 'RunFailed', 'RunCancelled']);
/** setTimeout's longest delay; a longer timeout is waited in several legs. */
const MAX_TIMER_MS = 2_147_483_647;

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
 * however many waiters, closed when the last one leaves. The terminal event wakes every
 * waiter once the read models have applied it, so the result is the run as the models show it.
 */
@Injectable()
export class RunWatchers implements OnModuleDestroy {
  private readonly watches = new Map<string, RunWatch>();

  constructor(
    private readonly projection: ProjectionRunner,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  /** Runs being watched (one stream subscription each). */
  get watcherCount(): number {
    return this.watches.size;
  }

  get waiterCount(): number {
    let count = 0;
    for (const watch of this.watches.values()) count += watch.waiters.size;
    return count;
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
    const entry = this.projection.readModels.getRun(runId);
    if (entry === undefined) return settle(E.left(runNotFound(runId)));
    if (entry.status !== 'running') return settle(E.right(awaitResult(entry.run)));
    if (timeoutMs <= 0) return settle(E.left(awaitTimedOut(runId, timeoutMs)));
    const watch = this.watches.get(runId) ?? this.startWatch(runId, BigInt(entry.streamRevision));
    const waiter = new Waiter(settle);
    watch.waiters.add(waiter);
    this.armTimeout(watch, waiter, timeoutMs, timeoutMs);
    if (signal !== undefined) this.leaveOnAbort(watch, waiter, signal, timeoutMs);
  }

  onModuleDestroy(): void {
    for (const watch of [...this.watches.values()]) {
      this.settleAll(watch, E.left(domainError('store_unavailable', 'The orchestrator is shutting down', { runId: watch.runId })));
    }
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
        const entry = this.projection.readModels.getRun(watch.runId);
        // Gone: the read models were cleared meanwhile. Still running: the models skipped the event.
        if (entry === undefined) return this.settleAll(watch, E.left(runNotFound(watch.runId)));
        if (entry.status !== 'running') return this.settleAll(watch, E.right(awaitResult(entry.run)));
      }
      // After the last waiter left this settles nobody; it only makes sure the watch is closed.
      this.settleAll(watch, E.left(domainError('store_unavailable', `The watch of run ${watch.runId} ended`, { runId: watch.runId })));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.settleAll(watch, E.left(domainError('store_unavailable', `Watching run ${watch.runId} failed: ${reason}`, { runId: watch.runId })));
    }
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
    watch.waiters.delete(waiter);
    if (watch.waiters.size === 0) this.close(watch);
    waiter.release();
    waiter.settle(outcome);
  }

  private settleAll(watch: RunWatch, outcome: AwaitOutcome): void {
    this.close(watch);
    const waiters = [...watch.waiters];
    watch.waiters.clear();
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
}
