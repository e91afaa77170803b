import type Database from 'better-sqlite3';
import { StoreUnavailableError, StreamNotFoundError } from '../port/errors.js';
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
  assertStreamAppends,
  assertStreamName,
  assertStreamNames,
} from '../port/validation.js';
import type {
  AppendOptions,
  AppendResult,
  DeleteStreamOptions,
  EventStore,
  EventToAppend,
  Position,
  ReadAllOptions,
  ReadStreamOptions,
  ReadStreamsOptions,
  RecordedEvent,
  SetStreamMetadataOptions,
  StreamAppend,
  StreamMetadata,
  StreamMetadataResult,
  SubscribeToAllOptions,
  SubscribeToStreamOptions,
  Subscription,
} from '../port/types.js';
import { AllPageReader } from './all-page-reader.js';
import { CommitSignal } from './commit-signal.js';
import { toRecordedEvent } from './event-rows.js';
import { GlobalLog } from './global-log.js';
import { GroupCommit, type GroupCommitStats } from './group-commit.js';
import { LastCommitFailure } from './last-commit-failure.js';
import { LogWriter } from './log-writer.js';
import { readVisibleEventsOf } from './multi-stream-read.js';
import { PulledSubscription, type PageReader } from './pulled-subscription.js';
import { readDurabilitySettings, type SynchronousMode } from './schema.js';
import { prepareStatements, type Statements } from './statements.js';
import { asEventStoreError } from './store-unavailable.js';
import { StreamPageReader } from './stream-page-reader.js';
import { currentRevision, emptyStreamRow, metadataOf, visibleBounds } from './stream-row.js';
import { createWritabilityProbe } from './writability-probe.js';

const DEFAULT_CHECKPOINT_INTERVAL = 32;

/** The embedded EventStore: one SQLite file (or memory), group-committed writes, in-process live subscriptions. */
export class SqliteEventStore implements EventStore {
  private readonly sql: Statements;
  private readonly writer: LogWriter;
  private readonly log: GlobalLog;
  private readonly commits = new CommitSignal();
  private readonly groupCommit: GroupCommit;
  private readonly subscriptions = new Set<PulledSubscription>();
  /** Streams written since the last commit notice: their subscribers are the ones to wake. */
  private writtenStreams = new Set<string>();
  private closed = false;
  private readonly probeWritable: () => void;
  private readonly lastCommitFailure: LastCommitFailure;

  constructor(
    private readonly db: Database.Database,
    private readonly now: () => number = Date.now,
  ) {
    this.sql = prepareStatements(db);
    this.writer = new LogWriter(this.sql, now);
    this.log = new GlobalLog(this.sql);
    this.lastCommitFailure = new LastCommitFailure(now);
    this.groupCommit = new GroupCommit(
      db,
      () => {
        this.lastCommitFailure.clear();
        const written = this.writtenStreams;
        this.writtenStreams = new Set();
        this.commits.notify(written);
      },
      (error) => this.lastCommitFailure.record(error),
    );
    this.probeWritable = createWritabilityProbe(db);
  }

  async appendToStream(streamName: string, events: readonly EventToAppend[], options: AppendOptions): Promise<AppendResult> {
    assertStreamName(streamName);
    assertEventsToAppend(events);
    assertExpectedRevision(options?.expectedRevision);
    return this.write([streamName], () => this.writer.append(streamName, events, options.expectedRevision));
  }

  /** One savepoint holds every stream's append, so a refusal of one rolls back all; still group-committed. */
  async appendToStreams(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    assertStreamAppends(appends);
    const streamNames = appends.map((append) => append.streamName);
    return this.write(streamNames, () => this.writer.appendAll(appends));
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    assertStreamName(streamName);
    assertMaxCount(options.maxCount);
    assertFromRevision(options.fromRevision);
    return this.read(() => {
      const head = this.sql.stream.get(streamName);
      if (head === undefined || currentRevision(head) === 'no_stream') throw new StreamNotFoundError(streamName);
      const backwards = options.direction === 'backwards';
      const from = options.fromRevision ?? (backwards ? 'end' : 'start');
      if (from === 'end' && !backwards) return [];
      const query = {
        streamId: head.stream_id,
        from: from === 'start' ? 0n : from === 'end' ? head.last_revision : from,
        ...visibleBounds(head, this.now()),
        limit: options.maxCount ?? -1,
      };
      const rows = backwards ? this.sql.visibleBackwards.all(query) : this.sql.visibleForwards.all(query);
      return rows.map(toRecordedEvent);
    });
  }

  async readStreams(streamNames: readonly string[], options: ReadStreamsOptions = {}): Promise<RecordedEvent[]> {
    assertStreamNames(streamNames);
    assertAfterPosition(options.afterPosition);
    assertMaxCount(options.maxCount);
    const page = { afterPosition: options.afterPosition?.commit ?? 0n, maxCount: options.maxCount ?? Number.POSITIVE_INFINITY };
    return this.read(() => readVisibleEventsOf(this.sql, streamNames, this.now(), page));
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    assertMaxCount(options.maxCount);
    assertFromPosition(options.fromPosition);
    assertFilter(options.filter);
    return this.read(() => this.log.read(options));
  }

  subscribeToStream(streamName: string, options: SubscribeToStreamOptions = {}): Subscription {
    assertStreamName(streamName);
    assertFromRevision(options.fromRevision);
    return this.subscribe(() => {
      const from = options.fromRevision ?? 'start';
      const after =
        from === 'start' ? -1n : from === 'end' ? (this.sql.stream.get(streamName) ?? emptyStreamRow(streamName)).last_revision : from;
      return new StreamPageReader(this.sql, streamName, after, this.now);
    });
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): Subscription {
    assertFromPosition(options.fromPosition);
    assertFilter(options.filter);
    assertCheckpointInterval(options.checkpointInterval);
    return this.subscribe(() => {
      const from = options.fromPosition ?? 'start';
      const after = from === 'start' ? 0n : from === 'end' ? (this.log.headPosition() ?? 0n) : from.commit;
      const interval = options.checkpointInterval ?? DEFAULT_CHECKPOINT_INTERVAL;
      return new AllPageReader(this.log, after, options.filter, interval);
    });
  }

  async getStreamMetadata(streamName: string): Promise<StreamMetadataResult> {
    assertStreamName(streamName);
    return this.read(() => {
      const metastream = this.sql.stream.get(`$$${streamName}`);
      if (metastream === undefined) return { streamName, metadata: {}, metastreamRevision: 'no_stream' };
      const head = this.sql.stream.get(streamName) ?? emptyStreamRow(streamName);
      return { streamName, metadata: metadataOf(head), metastreamRevision: metastream.last_revision };
    });
  }

  async setStreamMetadata(streamName: string, metadata: StreamMetadata, options: SetStreamMetadataOptions = {}): Promise<AppendResult> {
    assertStreamName(streamName);
    assertStreamMetadata(metadata);
    const expected = options.expectedRevision ?? 'any';
    assertExpectedRevision(expected);
    return this.write([streamName], () => this.writer.setMetadata(streamName, metadata, expected));
  }

  async deleteStream(streamName: string, options: DeleteStreamOptions = {}): Promise<void> {
    assertStreamName(streamName);
    const expected = options.expectedRevision ?? 'any';
    assertExpectedRevision(expected);
    return this.write([streamName], () => this.writer.softDelete(streamName, expected));
  }

  async headPosition(): Promise<Position | 'start'> {
    return this.read(() => {
      const head = this.log.headPosition();
      return head === undefined ? 'start' : { commit: head, prepare: head };
    });
  }

  /** Group commit at work: how many transactions carried how many writes. */
  stats(): GroupCommitStats {
    return this.groupCommit.stats();
  }

  /** The journal mode and synchronous level SQLite applies, read back from the connection. */
  durability(): { journalMode: string; synchronous: SynchronousMode | 'EXTRA' } {
    return this.read(() => readDurabilitySettings(this.db));
  }

  /**
   * Throws `StoreUnavailableError` naming the file and the reason while it cannot take a write, or
   * while the last commit failed and none succeeded since (for a bounded time); writes nothing.
   */
  async checkWritable(): Promise<void> {
    this.read(this.probeWritable);
    // The probe never commits, so a failure only COMMIT meets is known from the last batch alone.
    this.lastCommitFailure.assertNoneReported();
  }

  /** Writes what is queued, ends subscriptions, then closes the database. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.groupCommit.flush();
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    this.db.close();
  }

  /** Queues `work` on the group commit; the streams (and their metastreams) count as written if it succeeds. */
  private write<T>(streamNames: readonly string[], work: () => T): Promise<T> {
    this.assertOpen();
    return this.groupCommit.submit(() => {
      const result = work();
      for (const streamName of streamNames) this.writtenStreams.add(streamName).add(`$$${streamName}`);
      return result;
    });
  }

  private read<T>(work: () => T): T {
    this.assertOpen();
    try {
      return work();
    } catch (error) {
      throw asEventStoreError(error, this.db.name);
    }
  }

  private subscribe(createReader: () => PageReader): Subscription {
    const reader = this.read(createReader);
    const subscription = new PulledSubscription(reader, this.commits, (ended) => this.subscriptions.delete(ended));
    this.subscriptions.add(subscription);
    return subscription;
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreUnavailableError('SQLite event store is closed');
  }
}
