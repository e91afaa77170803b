import {
  StoreUnavailableError,
  supportsMultiStreamAppend,
  type AppendOptions,
  type AppendResult,
  type DeleteStreamOptions,
  type EventStore,
  type EventToAppend,
  type Position,
  type ReadAllOptions,
  type ReadStreamOptions,
  type ReadStreamsOptions,
  type RecordedEvent,
  type SetStreamMetadataOptions,
  type StreamAppend,
  type StreamMetadata,
  type StreamMetadataResult,
  type SubscribeToAllOptions,
  type SubscribeToStreamOptions,
  type Subscription,
  type SubscriptionMessage,
} from '@runtree/event-store';

/** Which append dies. Every given criterion must hold; none given means the next append. */
export interface AppendFault {
  /** The stream name starts with this (e.g. `session-`, or `run-<id>` for one run). */
  readonly streamPrefix?: string;
  /** The batch holds an event of this type. */
  readonly eventType?: string;
  /** The n-th matching append after arming dies (1 = the first). Default 1. */
  readonly occurrence?: number;
  /**
   * `before` (default): the append never reaches the store. `after`: it is written, then the process
   * dies before it hears so (the crash between a commit and its answer).
   */
  readonly when?: 'before' | 'after';
}

/** What the faulty store throws: a store that went away, as the process died. */
export class SimulatedCrashError extends StoreUnavailableError {
  constructor(readonly reason: string) {
    super(`Simulated crash: ${reason}`);
    this.name = 'SimulatedCrashError';
  }
}

export interface FaultyEventStoreOptions {
  /** Each subscription message is delivered this much later (a store whose live feed lags, as over a network). */
  readonly subscriptionDelayMs?: number;
  /** Offer the real store's `appendToStreams` (a fault then matches a multi-stream append when one of its streams does). Default: not offered. */
  readonly multiStreamAppend?: boolean;
}

/**
 * An EventStore that delegates to a real one until an armed append comes: that append throws
 * without reaching the real store, and so does every later call (the process is dead), so a
 * command stops exactly between two of its writes. Writes already handed to the real store
 * before the crash complete, as they would in a real crash; `close()` waits for them, then
 * closes the real store.
 */
export class FaultyEventStore implements EventStore {
  private fault: (AppendFault & { remaining: number }) | undefined;
  private crashedBy: string | undefined;
  private readonly inFlight = new Set<Promise<unknown>>();

  /** Present only with the `multiStreamAppend` option, as on a store that has it. */
  readonly appendToStreams?: (appends: readonly StreamAppend[]) => Promise<AppendResult[]>;

  constructor(
    private readonly inner: EventStore,
    private readonly options: FaultyEventStoreOptions = {},
  ) {
    if (options.multiStreamAppend && supportsMultiStreamAppend(inner)) {
      this.appendToStreams = (appends) => this.faultyAppend(appends, () => inner.appendToStreams(appends));
    }
  }

  /** Arms the fault: the matching append (and everything after it) will throw. */
  failAppend(fault: AppendFault = {}): void {
    this.fault = { ...fault, remaining: fault.occurrence ?? 1 };
  }

  /** The append that crashed the store (`<stream>: <types>`), undefined while it is alive. */
  get crash(): string | undefined {
    return this.crashedBy;
  }

  appendToStream(streamName: string, events: readonly EventToAppend[], options: AppendOptions): Promise<AppendResult> {
    return this.faultyAppend([{ streamName, events, expectedRevision: options.expectedRevision }], () => this.inner.appendToStream(streamName, events, options));
  }

  readStream(streamName: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return this.call(() => this.inner.readStream(streamName, options));
  }

  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.call(() => this.inner.readAll(options));
  }

  readStreams(streamNames: readonly string[], options?: ReadStreamsOptions): Promise<RecordedEvent[]> {
    return this.call(() => this.inner.readStreams(streamNames, options));
  }

  subscribeToStream(streamName: string, options?: SubscribeToStreamOptions): Subscription {
    this.throwIfCrashed();
    return this.dyingWithTheStore(this.inner.subscribeToStream(streamName, options));
  }

  subscribeToAll(options?: SubscribeToAllOptions): Subscription {
    this.throwIfCrashed();
    return this.dyingWithTheStore(this.inner.subscribeToAll(options));
  }

  getStreamMetadata(streamName: string): Promise<StreamMetadataResult> {
    return this.call(() => this.inner.getStreamMetadata(streamName));
  }

  setStreamMetadata(streamName: string, metadata: StreamMetadata, options?: SetStreamMetadataOptions): Promise<AppendResult> {
    return this.call(() => this.inner.setStreamMetadata(streamName, metadata, options));
  }

  deleteStream(streamName: string, options?: DeleteStreamOptions): Promise<void> {
    return this.call(() => this.inner.deleteStream(streamName, options));
  }

  headPosition(): Promise<Position | 'start'> {
    return this.call(() => this.inner.headPosition());
  }

  /** Lets the writes that reached the real store before the crash finish, then closes it. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
    await this.inner.close();
  }

  /** The append, unless the armed fault matches it: then the process dies before or after it reaches the store. */
  private faultyAppend<T>(appends: readonly StreamAppend[], append: () => Promise<T>): Promise<T> {
    return this.call(async () => {
      const fault = this.fault;
      if (fault === undefined || !this.isArmedFor(fault, appends)) return append();
      this.fault = undefined;
      const crash = appends.map(({ streamName, events }) => `${streamName}: ${events.map((event) => event.type).join(', ')}`).join('; ');
      this.crashedBy = crash;
      if (fault.when === 'after') await append();
      throw new SimulatedCrashError(`append to ${crash}${fault.when === 'after' ? ' (written)' : ''}`);
    });
  }

  private isArmedFor(fault: AppendFault & { remaining: number }, appends: readonly StreamAppend[]): boolean {
    const matches = appends.some(
      ({ streamName, events }) =>
        (fault.streamPrefix === undefined || streamName.startsWith(fault.streamPrefix)) &&
        (fault.eventType === undefined || events.some((event) => event.type === fault.eventType)),
    );
    if (!matches) return false;
    fault.remaining--;
    return fault.remaining === 0;
  }

  private throwIfCrashed(): void {
    if (this.crashedBy !== undefined) throw new SimulatedCrashError(`the store is dead since the append to ${this.crashedBy}`);
  }

  /** Runs a call on the real store (unless dead), keeping track of it until it settles. */
  private async call<T>(work: () => Promise<T>): Promise<T> {
    this.throwIfCrashed();
    const pending = work();
    this.inFlight.add(pending);
    try {
      return await pending;
    } finally {
      this.inFlight.delete(pending);
    }
  }

  /** A subscription that fails on its next message once the store is dead (and lags when asked to). */
  private dyingWithTheStore(inner: Subscription): Subscription {
    const isDead = () => this.crashedBy !== undefined;
    const deadError = () => new SimulatedCrashError(`the store died under a subscription (${this.crashedBy})`);
    const delayMs = this.options.subscriptionDelayMs ?? 0;
    return {
      stop: () => inner.stop(),
      async *[Symbol.asyncIterator](): AsyncGenerator<SubscriptionMessage> {
        for await (const message of inner) {
          if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
          if (isDead()) throw deadError();
          yield message;
        }
      },
    };
  }
}
