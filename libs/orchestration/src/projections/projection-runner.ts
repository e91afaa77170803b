import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import * as E from 'fp-ts/lib/Either.js';
import {
  positionToString,
  type EventFilter,
  type EventStore,
  type Position,
  type RecordedEvent,
  type Subscription,
  type SubscriptionMessage,
} from '@runtree/event-store';
import { decodeDomainEvent } from '../events/event-registry.js';
import { EVENT_STORE } from '../module/tokens.js';
import { streamPrefixes } from '../streams/stream-names.js';
import { hasReached, PositionWaiters } from './position-waiters.js';
import { ReadModels } from './read-models.js';
import { schemaVersionOf } from './recorded-metadata.js';

const RUNTREE_STREAMS: EventFilter = { streamNamePrefixes: Object.values(streamPrefixes) };
/**
 * Catch-up reads whole pages (one promise per page, not per event): this is what makes rebuild fast.
 * Not larger: a page's events are garbage once applied, and pages of 4,096 outlived the young
 * generation, so the collector promoted and then swept them; 512 replayed about 1.5x faster.
 */
const CATCH_UP_PAGE = 512;
const CHECKPOINT_INTERVAL = 256;
const RETRY_FIRST_MS = 50;
const RETRY_MAX_MS = 5000;

/** A promise with its resolver, for "the current subscription has caught up". */
class CaughtUpSignal {
  resolve!: () => void;
  readonly promise = new Promise<void>((resolve) => (this.resolve = resolve));
}

/**
 * Keeps the read models up to date with ONE checkpointed `$all` subscription filtered to
 * Runtree's streams. Catch-up reads pages, then the subscription follows live. If the store
 * fails it retries with backoff from its checkpoint: no gap, no repeat. An event that does not
 * decode is logged and skipped.
 *
 * Every restart (clear, rebuild, stop) bumps `generation`; a loop that sees another generation
 * than its own stops touching the models.
 */
@Injectable()
export class ProjectionRunner implements OnModuleDestroy {
  private readonly logger = new Logger(ProjectionRunner.name);
  private readonly waiters = new PositionWaiters();
  private models = new ReadModels();
  private position: Position | 'start' = 'start';
  private generation = 0;
  private following: Promise<void> | undefined;
  private subscription: Subscription | undefined;
  private caughtUp = new CaughtUpSignal();
  private cancelRetryWait: (() => void) | undefined;
  /** stop, clear and rebuild run one at a time. */
  private lastControl: Promise<unknown> = Promise.resolve();

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** The current models. Replaced by `clear()` and `rebuild()`: read it each time, do not keep it. */
  get readModels(): ReadModels {
    return this.models;
  }

  /** Everything up to here has been applied (or was not Runtree's). */
  get checkpoint(): Position | 'start' {
    return this.position;
  }

  get isRunning(): boolean {
    return this.following !== undefined;
  }

  /** Starts following the log from the checkpoint. Calling it again while running does nothing. */
  start(): void {
    if (this.following !== undefined) return;
    const generation = ++this.generation;
    this.following = this.follow(generation);
  }

  /** Stops following; pending `waitFor` calls reject, since nothing will advance them. */
  stop(): Promise<void> {
    return this.oneAtATime(async () => {
      await this.halt();
      this.waiters.rejectAll(new Error('The projection runner was stopped'));
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }

  /** Resolves once the models have applied everything up to `position` (read-your-writes). */
  waitFor(position: Position): Promise<void> {
    if (hasReached(this.position, position)) return Promise.resolve();
    return this.waiters.wait(position);
  }

  /** Resolves once the subscription has caught up with the log (since the last start, clear or rebuild). */
  whenCaughtUp(): Promise<void> {
    if (this.following === undefined) return Promise.reject(new Error('The projection runner is not started'));
    return this.caughtUp.promise;
  }

  /** Forgets the models (not the journal) and follows on from the end of the log. */
  clear(): Promise<void> {
    return this.oneAtATime(async () => this.restart(await this.store.headPosition()));
  }

  /** Replays the whole log into fresh models; resolves once caught up. */
  async rebuild(): Promise<void> {
    await this.oneAtATime(() => this.restart('start'));
    await this.whenCaughtUp();
  }

  /** How far the checkpoint is behind the head of the log, in position units (0 when caught up). */
  async lag(): Promise<number> {
    const head = await this.store.headPosition();
    if (head === 'start') return 0;
    const at = this.position === 'start' ? 0n : this.position.commit;
    return head.commit > at ? Number(head.commit - at) : 0;
  }

  private oneAtATime<T>(control: () => Promise<T>): Promise<T> {
    const result = this.lastControl.then(control, control);
    this.lastControl = result.catch(() => undefined);
    return result;
  }

  private async restart(from: Position | 'start'): Promise<void> {
    await this.halt();
    this.models = new ReadModels();
    this.position = from;
    this.waiters.release(from);
    this.start();
  }

  private async halt(): Promise<void> {
    if (this.following === undefined) return;
    this.generation++;
    this.cancelRetryWait?.();
    await this.subscription?.stop();
    await this.following;
    this.following = undefined;
    this.caughtUp = new CaughtUpSignal();
  }

  private async follow(generation: number): Promise<void> {
    let retryDelay = RETRY_FIRST_MS;
    while (generation === this.generation) {
      const before = this.position;
      try {
        await this.catchUpInPages(generation);
        if (generation !== this.generation) return;
        // The pages reached the head of the log: the models are caught up; the subscription follows on.
        this.caughtUp.resolve();
        await this.followSubscription(generation);
        if (generation !== this.generation) return;
        throw new Error('the subscription ended by itself');
      } catch (error) {
        if (generation !== this.generation) return;
        if (this.position !== before) retryDelay = RETRY_FIRST_MS;
        this.logger.warn(`Projection subscription failed (${describe(error)}); retrying in ${retryDelay} ms from ${describePosition(this.position)}`);
        await this.waitBeforeRetry(retryDelay);
        retryDelay = Math.min(retryDelay * 2, RETRY_MAX_MS);
      }
    }
  }

  private async catchUpInPages(generation: number): Promise<void> {
    for (;;) {
      // Forwards reads include `fromPosition`: `applyRecorded` skips that already-applied event.
      const page = await this.store.readAll({ fromPosition: this.position, maxCount: CATCH_UP_PAGE, filter: RUNTREE_STREAMS });
      if (generation !== this.generation) return;
      for (const recorded of page) this.applyRecorded(recorded);
      this.waiters.release(this.position);
      if (page.length < CATCH_UP_PAGE) return;
    }
  }

  private async followSubscription(generation: number): Promise<void> {
    const subscription = this.store.subscribeToAll({
      fromPosition: this.position,
      filter: RUNTREE_STREAMS,
      checkpointInterval: CHECKPOINT_INTERVAL,
    });
    this.subscription = subscription;
    try {
      for await (const message of subscription) {
        if (generation !== this.generation) return;
        this.handle(message);
      }
    } finally {
      if (this.subscription === subscription) this.subscription = undefined;
      await subscription.stop();
    }
  }

  private handle(message: SubscriptionMessage): void {
    switch (message.type) {
      case 'event':
        this.applyRecorded(message.event);
        break;
      case 'checkpoint':
        if (!hasReached(this.position, message.position)) this.position = message.position;
        break;
      case 'caught_up':
        this.caughtUp.resolve();
        break;
    }
    if (this.waiters.size !== 0) this.waiters.release(this.position);
  }

  private applyRecorded(recorded: RecordedEvent): void {
    if (hasReached(this.position, recorded.position)) return;
    const decoded = decodeDomainEvent(recorded.type, recorded.data, schemaVersionOf(recorded));
    if (E.isLeft(decoded)) {
      this.logger.error(`Skipping event ${recorded.streamName}@${recorded.revision}: ${decoded.left}`);
    } else {
      try {
        this.models.apply(recorded, decoded.right);
      } catch (error) {
        // One bad event must not stop the projection of everything after it.
        this.logger.error(`Skipping event ${recorded.streamName}@${recorded.revision}: ${describe(error)}`);
      }
    }
    this.position = recorded.position;
  }

  private waitBeforeRetry(delayMs: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, delayMs);
      this.cancelRetryWait = () => {
        clearTimeout(timer);
        resolve();
      };
    }).finally(() => (this.cancelRetryWait = undefined));
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function describePosition(position: Position | 'start'): string {
  return position === 'start' ? 'the start' : positionToString(position);
}
