import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  jsonEvent,
  metastreamOf,
  START,
  type AllStreamResolvedEvent,
  type EventData,
  type ResolvedEvent,
  type StreamingRead,
} from '@eventstore/db-client';
import { InvalidRequestError, StoreUnavailableError, StreamNotFoundError, WrongExpectedRevisionError } from '../port/errors.js';
import { isSystemEventType, isVisibleInGlobalLog } from '../port/log-filter.js';
import { comparePositions } from '../port/position.js';
import {
  assertAfterPosition,
  assertCheckpointInterval,
  assertEventsToAppend,
  assertExpectedRevision,
  assertFilter,
  assertFromPosition,
  assertFromRevision,
  assertMaxCount,
  assertStreamMetadata,
  assertStreamName,
  assertStreamNames,
} from '../port/validation.js';
import type {
  AppendOptions,
  AppendResult,
  DeleteStreamOptions,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  Position,
  ReadAllOptions,
  ReadStreamOptions,
  ReadStreamsOptions,
  RecordedEvent,
  SetStreamMetadataOptions,
  StreamMetadata,
  StreamMetadataResult,
  SubscribeToAllOptions,
  SubscribeToStreamOptions,
  Subscription,
} from '../port/types.js';
import { mappingErrors, type ErrorContext } from './client-errors.js';
import {
  fromMetadataEventData,
  toClientEvent,
  toClientExpectedRevision,
  toClientFilter,
  toMetadataEventData,
  toRecordedEvent,
} from './mapping.js';
import { PulledSubscription, type PulledSubscriptionOptions } from './pulled-subscription.js';

export interface EsdbEventStoreOptions {
  /** An EventStoreDB connection string, e.g. `esdb://localhost:2113?tls=false`. */
  readonly connectionString: string;
}

export function openEsdbEventStore(options: EsdbEventStoreOptions): EsdbEventStore {
  return new EsdbEventStore(options);
}

const DEFAULT_CHECKPOINT_INTERVAL = 32;
/** Stream reads in flight at once for `readStreams`. */
const PARALLEL_STREAM_READS = 16;

/**
 * The EventStore port on EventStoreDB / KurrentDB. A thin layer: the server checks expected revisions,
 * answers idempotent retries and applies stream metadata; this class validates, translates and maps errors.
 * It has no `appendToStreams`: client 6.2.1 cannot send a multi-stream append (KurrentDB 25.1+ takes
 * one through `@kurrent/kurrentdb-client`), so the orchestration writes one stream at a time here.
 */
export class EsdbEventStore implements EventStore {
  private readonly client: EventStoreDBClient;
  private readonly subscriptions = new Set<PulledSubscription>();
  private closed = false;

  constructor(options: EsdbEventStoreOptions) {
    try {
      this.client = EventStoreDBClient.connectionString(options.connectionString);
    } catch (error) {
      throw new InvalidRequestError(`Invalid EventStoreDB connection string: ${(error as Error).message}`);
    }
  }

  async appendToStream(streamName: string, events: readonly EventToAppend[], options: AppendOptions): Promise<AppendResult> {
    assertStreamName(streamName);
    assertEventsToAppend(events);
    assertExpectedRevision(options?.expectedRevision);
    return this.append(streamName, events.map(toClientEvent), options.expectedRevision);
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    assertStreamName(streamName);
    assertMaxCount(options.maxCount);
    assertFromRevision(options.fromRevision);
    const direction = options.direction ?? 'forwards';
    const events = await this.call({ streamName }, () =>
      collect(
        this.client.readStream(streamName, {
          direction: direction === 'forwards' ? FORWARDS : BACKWARDS,
          fromRevision: options.fromRevision ?? (direction === 'forwards' ? START : END),
          // Still ask for one event when none are wanted, so a missing stream is reported as such.
          maxCount: options.maxCount === 0 ? 1 : options.maxCount,
        }),
      ),
    );
    return events.slice(0, options.maxCount);
  }

  async readStreams(streamNames: readonly string[], options: ReadStreamsOptions = {}): Promise<RecordedEvent[]> {
    assertStreamNames(streamNames);
    assertAfterPosition(options.afterPosition);
    assertMaxCount(options.maxCount);
    if (options.maxCount === 0) return [];
    const names = [...new Set(streamNames)];
    const perStream: RecordedEvent[][] = [];
    // A read per stream (the server has no multi-stream read), a bounded number in flight. No stream
    // can give the merged page more than maxCount events, so each read stops there.
    let next = 0;
    const reader = async (): Promise<void> => {
      while (next < names.length) perStream.push(await this.readStreamAfter(names[next++], options.afterPosition, options.maxCount));
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_STREAM_READS, names.length) }, reader));
    return perStream
      .flat()
      .sort((a, b) => comparePositions(a.position, b.position))
      .slice(0, options.maxCount);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    assertMaxCount(options.maxCount);
    assertFromPosition(options.fromPosition);
    assertFilter(options.filter);
    if (options.maxCount === 0) return [];
    const direction = options.direction ?? 'forwards';
    // Filtered on our side, so the server's count cannot be used: read lazily and stop at maxCount.
    const read = () =>
      this.client.readAll({
        direction: direction === 'forwards' ? FORWARDS : BACKWARDS,
        fromPosition: options.fromPosition ?? (direction === 'forwards' ? START : END),
      });
    const isWanted = (event: RecordedEvent) => isVisibleInGlobalLog(event.streamName, event.type, options.filter);
    return this.call({}, () => collect(read(), isWanted, options.maxCount));
  }

  subscribeToStream(streamName: string, options: SubscribeToStreamOptions = {}): Subscription {
    assertStreamName(streamName);
    assertFromRevision(options.fromRevision);
    return this.track({
      open: async () => this.client.subscribeToStream(streamName, { fromRevision: options.fromRevision ?? START }),
    });
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): Subscription {
    assertFromPosition(options.fromPosition);
    assertFilter(options.filter);
    assertCheckpointInterval(options.checkpointInterval);
    const fromPosition = options.fromPosition ?? 'start';
    const filtered = options.filter !== undefined;
    let passedOnCaughtUp: Position | undefined;
    return this.track({
      open: async (onCheckpoint) => {
        if (filtered) passedOnCaughtUp = await this.positionPassedOnCatchUp(fromPosition);
        const checkpoint = filtered ? { interval: options.checkpointInterval ?? DEFAULT_CHECKPOINT_INTERVAL, onCheckpoint } : undefined;
        return this.client.subscribeToAll({ fromPosition, filter: toClientFilter(options.filter, checkpoint) });
      },
      skip: (event) => isSystemEventType(event.type),
      checkpointOnCaughtUp: filtered ? () => passedOnCaughtUp : undefined,
    });
  }

  async getStreamMetadata(streamName: string): Promise<StreamMetadataResult> {
    assertStreamName(streamName);
    // Not the client's getStreamMetadata: 6.2.1 reports the metadata event's commit position as its revision.
    const [latest] = await this.readStream(metastreamOf(streamName), { direction: 'backwards', maxCount: 1 }).catch(
      (error: unknown) => (error instanceof StreamNotFoundError ? [] : Promise.reject(error)),
    );
    return latest
      ? { streamName, metadata: fromMetadataEventData(latest.data), metastreamRevision: latest.revision }
      : { streamName, metadata: {}, metastreamRevision: 'no_stream' };
  }

  async setStreamMetadata(streamName: string, metadata: StreamMetadata, options: SetStreamMetadataOptions = {}): Promise<AppendResult> {
    assertStreamName(streamName);
    assertStreamMetadata(metadata);
    const expectedRevision = options.expectedRevision ?? 'any';
    assertExpectedRevision(expectedRevision);
    const metastream = metastreamOf(streamName);
    // Written as the client's setStreamMetadata does, but with our key mapping (bigint truncateBefore, custom fields kept apart).
    const event = jsonEvent({ type: '$metadata', data: toMetadataEventData(metadata) });
    return this.append(metastream, [event], expectedRevision);
  }

  async deleteStream(streamName: string, options: DeleteStreamOptions = {}): Promise<void> {
    assertStreamName(streamName);
    const expectedRevision = options.expectedRevision ?? 'any';
    assertExpectedRevision(expectedRevision);
    if (expectedRevision === 'stream_exists') {
      // The client's deleteStream cannot send `stream_exists`; check it here, then delete unconditionally.
      await this.readStream(streamName, { direction: 'backwards', maxCount: 1 }).catch((error: unknown) => {
        throw error instanceof StreamNotFoundError ? new WrongExpectedRevisionError(streamName, expectedRevision, 'no_stream') : error;
      });
    }
    const checkedByServer = expectedRevision === 'stream_exists' ? 'any' : expectedRevision;
    await this.call({ streamName, expectedRevision }, () =>
      this.client.deleteStream(streamName, { expectedRevision: toClientExpectedRevision(checkedByServer) }),
    );
  }

  async headPosition(): Promise<Position | 'start'> {
    // System events count here: the head is the last record of the log, whatever its type.
    const [last] = await this.call({}, () => collect(this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 })));
    return last?.position ?? 'start';
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    await this.client.dispose();
  }

  private async append(streamName: string, events: EventData[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    return this.call({ streamName, expectedRevision }, async () => {
      const result = await this.client.appendToStream(streamName, events, { expectedRevision: toClientExpectedRevision(expectedRevision) });
      return {
        nextExpectedRevision: result.nextExpectedRevision,
        position: result.position ?? (await this.positionOf(streamName, result.nextExpectedRevision)),
      };
    });
  }

  /** The stream's first `maxCount` events after the position, read forwards from its start; none if it is missing or deleted. */
  private async readStreamAfter(streamName: string, after: Position | undefined, maxCount: number | undefined): Promise<RecordedEvent[]> {
    const isAfter = (event: RecordedEvent) => after === undefined || comparePositions(event.position, after) > 0;
    const read = () => this.client.readStream(streamName, { direction: FORWARDS, fromRevision: START });
    try {
      return await this.call({ streamName }, () => collect(read(), isAfter, maxCount));
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
  }

  private async call<T>(context: ErrorContext, operation: () => Promise<T>): Promise<T> {
    if (this.closed) throw new StoreUnavailableError('The EventStoreDB store is closed');
    return mappingErrors(operation, context);
  }

  private track(options: PulledSubscriptionOptions): Subscription {
    const subscription: PulledSubscription = new PulledSubscription({
      ...options,
      onStopped: () => this.subscriptions.delete(subscription),
    });
    this.subscriptions.add(subscription);
    if (this.closed) void subscription.stop();
    return subscription;
  }

  /** The server omits the position when it answers an idempotent retry; the event itself has it. */
  private async positionOf(streamName: string, revision: bigint): Promise<Position> {
    const [event] = await collect(this.client.readStream(streamName, { fromRevision: revision, maxCount: 1 }));
    if (!event) throw new StoreUnavailableError(`EventStoreDB did not return event ${revision} of ${streamName}`);
    return event.position;
  }

  /**
   * Every event up to this position has been through the server's filter once it reports caught up:
   * the log's head now (read before subscribing) or the exclusive start, whichever is further.
   */
  private async positionPassedOnCatchUp(fromPosition: Position | 'start' | 'end'): Promise<Position | undefined> {
    const head = await this.headPosition();
    if (head === 'start') return typeof fromPosition === 'object' ? fromPosition : undefined;
    return typeof fromPosition === 'object' && comparePositions(fromPosition, head) > 0 ? fromPosition : head;
  }
}

/**
 * Reads to the end, or cancels the server's read once `maxCount` wanted events are in. Either way the
 * read is drained to its end: a gRPC call that already ended holds its last messages until they are
 * read, and the client's `dispose()` waits for every call to finish, so a read left half-read would
 * make closing the store hang.
 */
async function collect(
  read: StreamingRead<ResolvedEvent | AllStreamResolvedEvent>,
  isWanted: (event: RecordedEvent) => boolean = () => true,
  maxCount = Infinity,
): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  let cancelled: Promise<void> | undefined;
  for await (const resolved of read) {
    if (cancelled) continue;
    const event = toRecordedEvent(resolved);
    if (event && isWanted(event)) events.push(event);
    // Cancelling an already finished read can fail; the events read are what was asked for.
    if (events.length >= maxCount) cancelled = read.cancel().catch(() => undefined);
  }
  await cancelled;
  return events;
}
