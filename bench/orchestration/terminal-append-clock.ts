import type {
  AppendOptions,
  AppendResult,
  DeleteStreamOptions,
  EventStore,
  EventToAppend,
  Position,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SetStreamMetadataOptions,
  StreamMetadata,
  StreamMetadataResult,
  SubscribeToAllOptions,
  SubscribeToStreamOptions,
  Subscription,
} from '@runtree/event-store';

const TERMINAL_EVENT_TYPES: ReadonlySet<string> = new Set(['RunCompleted', 'RunFailed', 'RunCancelled']);

/**
 * The store, passed through, noting when each run's terminal event was durably appended
 * (the append resolved): where the `await` wake-up latency starts.
 */
export class TerminalAppendClock implements EventStore {
  private readonly appendedAt = new Map<string, number>();

  constructor(private readonly store: EventStore) {}

  /** `performance.now()` when the terminal append to `streamName` resolved. */
  terminalAppendedAt(streamName: string): number {
    const at = this.appendedAt.get(streamName);
    if (at === undefined) throw new Error(`no terminal event was appended to ${streamName}`);
    return at;
  }

  async appendToStream(streamName: string, events: readonly EventToAppend[], options: AppendOptions): Promise<AppendResult> {
    const result = await this.store.appendToStream(streamName, events, options);
    if (events.some((event) => TERMINAL_EVENT_TYPES.has(event.type))) this.appendedAt.set(streamName, performance.now());
    return result;
  }

  readStream(streamName: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return this.store.readStream(streamName, options);
  }

  readStreams(streamNames: readonly string[]): Promise<RecordedEvent[]> {
    return this.store.readStreams(streamNames);
  }

  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.store.readAll(options);
  }

  subscribeToStream(streamName: string, options?: SubscribeToStreamOptions): Subscription {
    return this.store.subscribeToStream(streamName, options);
  }

  subscribeToAll(options?: SubscribeToAllOptions): Subscription {
    return this.store.subscribeToAll(options);
  }

  getStreamMetadata(streamName: string): Promise<StreamMetadataResult> {
    return this.store.getStreamMetadata(streamName);
  }

  setStreamMetadata(streamName: string, metadata: StreamMetadata, options?: SetStreamMetadataOptions): Promise<AppendResult> {
    return this.store.setStreamMetadata(streamName, metadata, options);
  }

  deleteStream(streamName: string, options?: DeleteStreamOptions): Promise<void> {
    return this.store.deleteStream(streamName, options);
  }

  headPosition(): Promise<Position | 'start'> {
    return this.store.headPosition();
  }

  close(): Promise<void> {
    return this.store.close();
  }
}
