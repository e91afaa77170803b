import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { PublicationFeed, type Position, type PublicationSubscription, type PublisherCheckpoint } from '@runtree/orchestration';
import { BrokerHealth } from '../ops/index.js';
import { BUS_PREFIX } from './bus-prefix.js';
import { busNames, type BusNames } from './bus-names.js';
import type { EventSink } from './event-sink.js';
import { EVENT_SINKS } from './event-sinks.js';
/**
 * A checkpoint is saved after this many events, and every this long while some are unsaved. So after
 * a broker loss or a restart a subscriber receives again at most this many events it already had.
 */
export const CHECKPOINT_EVERY_EVENTS = 100;
const CHECKPOINT_EVERY_MS = 1_000;
/** Wait before trying again after a broker or the store failed. */
const RETRY_AFTER_MS = 2_000;

/**
 * Publishes every Runtree event to every configured broker as `<prefix>.events.<EventType>.<kind>`
 * (the run's kind; no kind for a session's or thread's event, see `BusNames.eventSubject`), from
 * one checkpointed subscription to the global log (`PublicationFeed`). The checkpoint is saved only once every broker
 * has taken the events before it, so after a crash or a broker failure publication starts again
 * at the checkpoint: at least once and without gaps (subscribers de-duplicate by `eventId`).
 */
@Injectable()
export class EventPublisher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(EventPublisher.name);
  private readonly names: BusNames;
  private readonly checkpoint: PublisherCheckpoint;
  private stopped = false;
  private running: Promise<void> = Promise.resolve();
  private subscription: PublicationSubscription | undefined;
  private wakeUp: (() => void) | undefined;
  // The pass in progress: how far it has published, how much of that is unsaved, why it must end.
  private progress: Position | undefined;
  private unsavedEvents = 0;
  private saving: Promise<void> = Promise.resolve();
  private failure: unknown;

  constructor(
    @Inject(BUS_PREFIX) prefix: string,
    private readonly feed: PublicationFeed,
    @Inject(EVENT_SINKS) private readonly sinks: EventSink[],
    brokerHealth: BrokerHealth,
  ) {
    this.names = busNames(prefix);
    this.checkpoint = feed.checkpoint(this.names.publisherCheckpointStream);
    for (const sink of sinks) brokerHealth.register(sink.name, () => sink.isAlive());
  }

  onApplicationBootstrap(): void {
    if (this.sinks.length > 0) this.running = this.publishUntilStopped();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.wakeUp?.();
    await this.subscription?.stop();
    await this.running;
  }

  private async publishUntilStopped(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.publishFromCheckpoint();
      } catch (error) {
        if (!this.stopped) this.logger.warn(`Event publication stopped, resuming from the checkpoint in ${RETRY_AFTER_MS} ms: ${String(error)}`);
      }
      if (!this.stopped) await this.pause(RETRY_AFTER_MS);
    }
  }

  /** One pass: open the brokers, publish from the saved checkpoint until stopped or failed. */
  private async publishFromCheckpoint(): Promise<void> {
    this.resetPass();
    const timer = setInterval(() => this.saveInBackground(), CHECKPOINT_EVERY_MS);
    try {
      await Promise.all(this.sinks.map((sink) => sink.open((reason) => this.endPass(reason))));
      const fromPosition = await this.checkpoint.load();
      if (this.stopped) return;
      this.subscription = this.feed.subscribe(fromPosition);
      // A broker lost while the pass was opening: end it before it publishes anything.
      if (this.failure !== undefined) void this.subscription.stop();
      for await (const message of this.subscription) {
        if (message.type === 'event') {
          const subject = this.names.eventSubject(message.entry.type, message.runKind);
          for (const sink of this.sinks) sink.publish(subject, message.entry);
          this.progress = message.position;
          if (++this.unsavedEvents >= CHECKPOINT_EVERY_EVENTS) await this.save();
        } else if (message.type === 'checkpoint') {
          // Nothing of ours up to here: saved with the next events' checkpoint, not on its own.
          this.progress = message.position;
        }
      }
      if (this.failure !== undefined) throw this.failure;
      await this.save();
    } finally {
      clearInterval(timer);
      this.subscription = undefined;
      await Promise.all(this.sinks.map((sink) => sink.close()));
    }
  }

  private resetPass(): void {
    this.progress = undefined;
    this.unsavedEvents = 0;
    this.saving = Promise.resolve();
    this.failure = undefined;
  }

  /** Saves run one at a time: the periodic one and the loop's never interleave. */
  private save(): Promise<void> {
    this.saving = this.saving.then(() => this.flushAndSave());
    return this.saving;
  }

  private saveInBackground(): void {
    this.save().catch((error: unknown) => this.endPass(error));
  }

  /** Ends the pass in progress (a failed save, a lost broker): the loop rethrows it and a new pass starts from the checkpoint. */
  private endPass(error: unknown): void {
    this.failure ??= error;
    void this.subscription?.stop();
  }

  private async flushAndSave(): Promise<void> {
    const position = this.progress;
    const unsaved = this.unsavedEvents;
    if (position === undefined || unsaved === 0) return;
    // Everything up to `position` was handed to the sinks before this flush: once it resolves, the brokers hold it.
    await Promise.all(this.sinks.map((sink) => sink.flush()));
    await this.checkpoint.save(position);
    this.unsavedEvents -= unsaved;
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
