import type { AllStreamSubscription, ResolvedEvent, StreamSubscription } from '@eventstore/db-client';
import { StoreUnavailableError } from '../port/errors.js';
import { comparePositions } from '../port/position.js';
import type { Position, RecordedEvent, Subscription, SubscriptionMessage } from '../port/types.js';
import { toStoreError } from './client-errors.js';
import { toRecordedEvent } from './mapping.js';

export type ClientSubscription = StreamSubscription | AllStreamSubscription;

export interface PulledSubscriptionOptions {
  /** Starts the client's subscription; `onCheckpoint` is to be wired to the filter's checkpointReached. */
  readonly open: (onCheckpoint: (position: Position) => void) => Promise<ClientSubscription>;
  /** Events the consumer must not see (system events on `$all`). */
  readonly skip?: (event: RecordedEvent) => boolean;
  /**
   * For filtered `$all`: a position the server has surely gone through once it reports caught up (the log
   * head read before subscribing, or the start position), so a checkpoint can be sent then even if the
   * filter matched nothing.
   */
  readonly checkpointOnCaughtUp?: () => Position | undefined;
  /** Told once the subscription has stopped, whoever stopped it. */
  readonly onStopped?: () => void;
}

/**
 * Turns the client's pushed subscription into our pulled one. The client's Node stream is read in paused
 * mode, so its own buffer (a few dozen messages) is the only one: when the consumer does not pull, gRPC
 * flow control holds the server back and nothing is dropped or repeated.
 *
 * `caughtUp` and checkpoints reach us as side channels (an emitted event, a callback) at the moment the
 * client's transform handles them, while the events handled before may still sit unread in the stream's
 * buffer. Draining that buffer first keeps every marker exactly where the server placed it.
 */
export class PulledSubscription implements Subscription {
  private source?: ClientSubscription;
  /** Messages taken out of the source's buffer, in order, waiting to be pulled. */
  private readonly ready: SubscriptionMessage[] = [];
  private failure?: unknown;
  private stopped = false;
  private caughtUp = false;
  /** The furthest position the server has gone through, events skipped or filtered out included. */
  private lastConsidered?: Position;
  private lastCheckpoint?: Position;
  private wakeConsumer?: () => void;

  constructor(private readonly options: PulledSubscriptionOptions) {
    // Opened at once, not on the first pull, so `end` means the end when the caller subscribed.
    options.open((position) => this.onCheckpoint(position)).then(
      (source) => this.attach(source),
      (error: unknown) => this.fail(error),
    );
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.ready.length = 0;
    this.wake();
    const source = this.source;
    if (source) await closeSource(source);
    this.options.onStopped?.();
  }

  [Symbol.asyncIterator](): AsyncIterator<SubscriptionMessage> {
    return {
      next: () => this.next(),
      return: async () => {
        await this.stop();
        return { done: true, value: undefined };
      },
    };
  }

  private async next(): Promise<IteratorResult<SubscriptionMessage>> {
    for (;;) {
      if (this.stopped) return { done: true, value: undefined };
      if (this.ready.length === 0) this.drainSource();
      const message = this.ready.shift();
      if (message) return { done: false, value: message };
      if (this.failure !== undefined) {
        const failure = this.failure;
        await this.stop();
        throw failure;
      }
      await new Promise<void>((resolve) => (this.wakeConsumer = resolve));
    }
  }

  /** Moves what the source has buffered into `ready`; bounded by the source's highWaterMark. */
  private drainSource(): void {
    if (!this.source || this.stopped) return;
    try {
      let resolved: ResolvedEvent | null;
      while ((resolved = this.source.read() as ResolvedEvent | null) !== null) {
        const event = toRecordedEvent(resolved);
        if (!event) continue;
        this.advanceTo(event.position);
        if (!this.options.skip?.(event)) this.ready.push({ type: 'event', event });
      }
    } catch (error) {
      // Also runs inside the client's stream callbacks, where a throw would go unhandled.
      this.fail(error);
    }
  }

  private attach(source: ClientSubscription): void {
    this.source = source;
    if (this.stopped) {
      void closeSource(source);
      return;
    }
    source
      .on('readable', () => this.wake())
      .on('caughtUp', () => this.onCaughtUp())
      .on('error', (error: Error) => this.fail(error))
      .on('close', () => this.fail(new StoreUnavailableError('EventStoreDB ended the subscription')));
  }

  private onCaughtUp(): void {
    if (this.caughtUp) return; // after a fellBehind the server may report it again; ours is sent once
    this.caughtUp = true;
    this.drainSource();
    if (this.options.checkpointOnCaughtUp) {
      const considered = this.options.checkpointOnCaughtUp();
      if (considered) this.advanceTo(considered);
      if (this.lastConsidered) this.pushCheckpoint(this.lastConsidered);
    }
    this.ready.push({ type: 'caught_up' });
    this.wake();
  }

  private onCheckpoint(position: Position): void {
    this.drainSource();
    this.advanceTo(position);
    this.pushCheckpoint(position);
    this.wake();
  }

  private pushCheckpoint(position: Position): void {
    // The server may itself checkpoint right where we add one on catching up.
    if (this.lastCheckpoint && comparePositions(this.lastCheckpoint, position) === 0) return;
    this.lastCheckpoint = position;
    this.ready.push({ type: 'checkpoint', position });
  }

  private advanceTo(position: Position): void {
    if (!this.lastConsidered || comparePositions(position, this.lastConsidered) > 0) this.lastConsidered = position;
  }

  private fail(error: unknown): void {
    if (this.stopped || this.failure !== undefined) return;
    this.failure = toStoreError(error);
    this.wake();
  }

  private wake(): void {
    const wakeConsumer = this.wakeConsumer;
    this.wakeConsumer = undefined;
    wakeConsumer?.();
  }
}

async function closeSource(source: ClientSubscription): Promise<void> {
  // Unsubscribing a call that never started rejects with the reason it did not; we are ending it anyway.
  await source.unsubscribe().catch(() => undefined);
  // Drained, not destroyed: a call that had already ended holds its last messages until they are read,
  // and the client's dispose() waits for every call to finish. A 'readable' listener would keep it paused.
  source.removeAllListeners('readable');
  source.resume();
}
