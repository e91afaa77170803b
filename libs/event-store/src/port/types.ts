/** JSON as stored in event data and metadata. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * Where an event sits in the global log. Opaque: compare with `comparePositions`,
 * never assume `commit` counts events (EventStoreDB positions are byte offsets).
 */
export interface Position {
  readonly commit: bigint;
  readonly prepare: bigint;
}

/** What the writer believes the stream's last revision is. */
export type ExpectedRevision = 'no_stream' | 'any' | 'stream_exists' | bigint;

export type Direction = 'forwards' | 'backwards';

export interface EventToAppend {
  /** A UUID. Appending the same ids again at the same revisions is an idempotent success. */
  readonly id: string;
  readonly type: string;
  readonly data: JsonValue;
  readonly metadata?: JsonValue;
}

export interface RecordedEvent {
  readonly id: string;
  readonly type: string;
  readonly streamName: string;
  readonly revision: bigint;
  readonly position: Position;
  readonly data: JsonValue;
  readonly metadata: JsonValue;
  readonly created: Date;
}

export interface AppendOptions {
  readonly expectedRevision: ExpectedRevision;
}

/** One stream's part of a multi-stream append. */
export interface StreamAppend {
  readonly streamName: string;
  readonly events: readonly EventToAppend[];
  readonly expectedRevision: ExpectedRevision;
}

export interface AppendResult {
  /** The revision of the last event now in the stream: pass it as the next expectedRevision. */
  readonly nextExpectedRevision: bigint;
  /** The global position of the append's last event. */
  readonly position: Position;
}

export interface ReadStreamOptions {
  /** Default `forwards`. */
  readonly direction?: Direction;
  /** Inclusive. Default `start` forwards, `end` backwards. */
  readonly fromRevision?: bigint | 'start' | 'end';
  /** Default: no limit. */
  readonly maxCount?: number;
}

export interface ReadStreamsOptions {
  /** Exclusive: only events strictly after this position. Default: from the start of the log. */
  readonly afterPosition?: Position;
  /** The first this many events in log order. Default: no limit. */
  readonly maxCount?: number;
}

/**
 * Narrows the global log. The two kinds cannot be combined (EventStoreDB's server-side
 * filter takes one or the other). Prefixes match the start of the name, case-sensitive.
 */
export type EventFilter =
  | { readonly streamNamePrefixes: readonly string[] }
  | { readonly eventTypePrefixes: readonly string[] };

export interface ReadAllOptions {
  /** Default `forwards`. */
  readonly direction?: Direction;
  /** Forwards: inclusive. Backwards: exclusive (events strictly before it). Default `start` / `end`. */
  readonly fromPosition?: Position | 'start' | 'end';
  /** Default: no limit. */
  readonly maxCount?: number;
  readonly filter?: EventFilter;
}

export interface SubscribeToStreamOptions {
  /** Exclusive: the subscription delivers the events after this revision. Default `start` (all events). */
  readonly fromRevision?: bigint | 'start' | 'end';
}

export interface SubscribeToAllOptions {
  /** Exclusive: the subscription delivers the events after this position. Default `start`. */
  readonly fromPosition?: Position | 'start' | 'end';
  readonly filter?: EventFilter;
  /**
   * With a filter: emit a `checkpoint` at least every this many events read from the log
   * (matching or not), so a sparse subscriber can persist its progress. Default 32.
   */
  readonly checkpointInterval?: number;
}

export type SubscriptionMessage =
  | { readonly type: 'event'; readonly event: RecordedEvent }
  /** Every event up to and including `position` has been considered; safe to persist as a checkpoint. */
  | { readonly type: 'checkpoint'; readonly position: Position }
  /** The catch-up phase is over: what follows is live. Sent once. */
  | { readonly type: 'caught_up' };

/**
 * A catch-up subscription: the events already there, then live ones, in order, each once.
 * Iterate it with `for await`; `stop()` (or breaking out of the loop) ends it cleanly.
 * A slow consumer never misses or repeats an event: delivery is pulled, not pushed.
 */
export interface Subscription extends AsyncIterable<SubscriptionMessage> {
  stop(): Promise<void>;
}

export interface StreamMetadata {
  /** Only the last `maxCount` events of the stream are readable. */
  readonly maxCount?: number;
  /** Events older than this many seconds are not readable. */
  readonly maxAge?: number;
  /** Events before this revision are not readable. */
  readonly truncateBefore?: bigint;
  /** Any other fields, stored and returned as given. */
  readonly custom?: { readonly [key: string]: JsonValue };
}

export interface StreamMetadataResult {
  readonly streamName: string;
  readonly metadata: StreamMetadata;
  /** Revision of the metadata stream (`$$<stream>`), for optimistic concurrency on metadata. */
  readonly metastreamRevision: bigint | 'no_stream';
}

export interface SetStreamMetadataOptions {
  /** Expected revision of the metadata stream. Default `any`. */
  readonly expectedRevision?: ExpectedRevision;
}

export interface DeleteStreamOptions {
  /** Default `any`. */
  readonly expectedRevision?: ExpectedRevision;
}

/**
 * The one interface through which Runtree touches a database.
 *
 * Errors are typed (see errors.ts): `WrongExpectedRevisionError`, `StreamNotFoundError`,
 * `StoreUnavailableError`. Revisions and positions are bigints end to end.
 * Global reads and `$all` subscriptions never include system events (types starting with `$`).
 */
export interface EventStore {
  appendToStream(streamName: string, events: readonly EventToAppend[], options: AppendOptions): Promise<AppendResult>;
  /**
   * Several streams, each checked against its own expected revision, committed all or nothing in one
   * commit; the results follow the order given, and so do the events in the global log. Each stream
   * may appear once. Idempotent per stream as `appendToStream` is. A refusal of any stream throws its
   * `WrongExpectedRevisionError` and writes nothing. Present only on stores that commit several
   * streams atomically: callers check for it (`supportsMultiStreamAppend`), so a store without it
   * (EventStoreDB through client 6.2.1) is driven one stream at a time.
   */
  appendToStreams?(appends: readonly StreamAppend[]): Promise<AppendResult[]>;
  /** Throws `StreamNotFoundError` for a stream that never existed or was deleted. */
  readStream(streamName: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /**
   * The readable events of these streams, in global log order: what `readStream` returns for each,
   * merged. A stream that does not exist or was deleted contributes nothing (no error).
   * Pages: only events strictly after `afterPosition`, at most `maxCount` of them (the first in log
   * order); the last event's position is the next page's `afterPosition`.
   */
  readStreams(streamNames: readonly string[], options?: ReadStreamsOptions): Promise<RecordedEvent[]>;
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  subscribeToStream(streamName: string, options?: SubscribeToStreamOptions): Subscription;
  subscribeToAll(options?: SubscribeToAllOptions): Subscription;
  getStreamMetadata(streamName: string): Promise<StreamMetadataResult>;
  setStreamMetadata(streamName: string, metadata: StreamMetadata, options?: SetStreamMetadataOptions): Promise<AppendResult>;
  /** Soft delete: the stream reads as not found; appending again recreates it with revisions continuing. */
  deleteStream(streamName: string, options?: DeleteStreamOptions): Promise<void>;
  /** The global position of the last event in the log (user or system), or `start` when empty. */
  headPosition(): Promise<Position | 'start'>;
  /**
   * Throws `StoreUnavailableError` with the reason while the store cannot take a write, and
   * writes nothing. For health checks; a store whose reads already fail when writes do
   * (EventStoreDB: one server) leaves it out.
   */
  checkWritable?(): Promise<void>;
  close(): Promise<void>;
}

/** A store whose `appendToStreams` commits several streams at once. */
export type MultiStreamEventStore = EventStore & Required<Pick<EventStore, 'appendToStreams'>>;

export function supportsMultiStreamAppend(store: EventStore): store is MultiStreamEventStore {
  return typeof store.appendToStreams === 'function';
}
