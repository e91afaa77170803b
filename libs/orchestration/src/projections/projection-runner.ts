import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import * as E from 'fp-ts/lib/Either.js';
import {
  comparePositions,
  positionToString,
  type EventStore,
  type Position,
  type RecordedEvent,
  type Subscription,
  type SubscriptionMessage,
} from '@runtree/event-store';
import { ReadStoreUnavailableError, type ReadStore, type StoredCheckpoint, type TableSet } from '@runtree/read-store';
import { decodeDomainEvent } from '../events/event-registry.js';
import { EVENT_STORE, PROJECTION_OPTIONS, READ_STORE } from '../module/tokens.js';
import { runtreeStreams } from '../streams/stream-names.js';
import type { ProjectedEvent } from './batch-rows.js';
import { projectBatch } from './project-batch.js';
import { hasReached, PositionWaiters } from './position-waiters.js';
import { schemaVersionOf } from './recorded-metadata.js';

/**
 * Events per catch-up page and per transaction. Pages are garbage once applied: pages of 4,096
 * outlived V8's young generation (the collector promoted, then swept them); 512 did not.
 */
const PAGE_SIZE = 512;
/**
 * A rebuild's pages: larger, for fewer transactions and fewer rows loaded again; measured on 1M
 * events of agent work: 512 gave 30k events/s, 2,048 45k, 8,192 no more.
 */
const REBUILD_PAGE_SIZE = 2048;
const CHECKPOINT_INTERVAL = 256;
const RETRY_FIRST_MS = 50;
const RETRY_MAX_MS = 5000;
/** Contending for the projector role again after a failure: soon, since nothing projects meanwhile. */
const RETRY_ROLE_MAX_MS = 1000;
/** During an outage, waiters cut a retry wait short at most this often: a read side still down is not retried on every command. */
const EARLY_RETRY_INTERVAL_MS = 250;
const IDLE = Symbol('idle');

export interface ProjectionOptions {
  /** How long a command waits for the read models to show its writes before it answers `store_unavailable`. */
  readonly readYourWritesTimeoutMs: number;
  /** How long a waiter still waits once the read side is known to be failing. */
  readonly outageGraceMs: number;
}

export const defaultProjectionOptions: ProjectionOptions = { readYourWritesTimeoutMs: 10_000, outageGraceMs: 1_500 };

/** The defaults with the module's timeout over them; a timeout that is not a positive integer throws, naming it. */
export function projectionOptions(readYourWritesTimeoutMs: number | undefined): ProjectionOptions {
  if (readYourWritesTimeoutMs === undefined) return defaultProjectionOptions;
  if (!(Number.isSafeInteger(readYourWritesTimeoutMs) && readYourWritesTimeoutMs > 0)) {
    throw new Error(`readYourWritesTimeoutMs must be a positive integer of milliseconds (got ${String(readYourWritesTimeoutMs)})`);
  }
  return { ...defaultProjectionOptions, readYourWritesTimeoutMs, outageGraceMs: Math.min(defaultProjectionOptions.outageGraceMs, readYourWritesTimeoutMs) };
}

/** The stored checkpoint moved under this projector (a reset, a swap, another projector): start again from it. */
class CheckpointMoved extends Error {
  constructor() {
    super('the checkpoint moved under the projector');
  }
}

/** Events and checkpoint messages read since the last commit. */
class Batch {
  readonly events: ProjectedEvent[] = [];
  to: Position | undefined;

  constructor(private readonly logger: Logger) {}

  add(recorded: RecordedEvent): void {
    const decoded = decodeDomainEvent(recorded.type, recorded.data, schemaVersionOf(recorded));
    if (E.isLeft(decoded)) this.logger.error(`Skipping event ${recorded.streamName}@${recorded.revision}: ${decoded.left}`);
    else this.events.push({ recorded, event: decoded.right });
    this.reach(recorded.position);
  }

  reach(position: Position): void {
    if (this.to === undefined || comparePositions(position, this.to) > 0) this.to = position;
  }

  beyond(checkpoint: StoredCheckpoint): boolean {
    return this.to !== undefined && !hasReached(checkpoint.position, this.to);
  }
}

/**
 * Keeps the read models up to date with ONE checkpointed `$all` subscription filtered to Runtree's
 * streams, on whichever instance holds the projector role (on the embedded read store: this one).
 * Each batch of events is folded on the rows it touches and committed with the checkpoint in one
 * transaction, compare-and-set on the checkpoint's version: no gap, no repeat, and a projector
 * whose checkpoint moved under it (a `clear()`, a rebuild's swap, another instance) starts again
 * from the stored one. Every instance follows the live checkpoint through the read store's feed,
 * which is what `waitFor` (read-your-writes) waits on.
 */
@Injectable()
export class ProjectionRunner implements OnModuleDestroy {
  private readonly logger = new Logger(ProjectionRunner.name);
  private readonly waiters = new PositionWaiters();
  private known: StoredCheckpoint | undefined;
  private outage: Error | undefined;
  private generation = 0;
  private running: Promise<void> | undefined;
  private abortRole: AbortController | undefined;
  private subscription: Subscription | undefined;
  private cancelRetryWait: (() => void) | undefined;
  private earlyRetryAt = Number.NEGATIVE_INFINITY;
  private stopWatching: (() => void) | undefined;
  private projecting = false;
  /** Settles once the read store is open and its checkpoint known: reads before that would find no tables. */
  private opened = new Signal();
  /** stop, clear and rebuild run one at a time. */
  private lastControl: Promise<unknown> = Promise.resolve();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(PROJECTION_OPTIONS) private readonly options: ProjectionOptions = defaultProjectionOptions,
  ) {}

  /** The live checkpoint as this instance last heard of it: everything up to here is in the read models. */
  get checkpoint(): Position | 'start' {
    return this.known?.position ?? 'start';
  }

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  /** Whether this instance holds the projector role now (on a shared read store only one does). */
  get isProjector(): boolean {
    return this.projecting;
  }

  /** Starts following; calling it again while running does nothing. */
  start(): void {
    if (this.running !== undefined) return;
    const generation = ++this.generation;
    this.running = this.run(generation);
  }

  /** Stops following; pending `waitFor` calls reject, since nothing will advance them. */
  stop(): Promise<void> {
    return this.oneAtATime(async () => {
      await this.halt();
      this.waiters.rejectAll(new ReadStoreUnavailableError('The projection was stopped'));
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }

  /**
   * Resolves once the read models hold everything up to `position` (read-your-writes), on this
   * instance or any other sharing the read store; rejects with `ReadStoreUnavailableError` if that
   * takes longer than the configured timeout, or than a short grace while the read side is failing.
   */
  waitFor(position: Position): Promise<void> {
    if (hasReached(this.checkpoint, position)) return Promise.resolve();
    if (this.outage !== undefined) this.retryNowTheJournalAnswers();
    const ms = this.outage === undefined ? this.options.readYourWritesTimeoutMs : this.options.outageGraceMs;
    return this.waiters.wait(position, { ms, error: () => this.notReached(position) });
  }

  /** Resolves once the read models hold every Runtree event written before the call, however long that takes. */
  async whenCaughtUp(): Promise<void> {
    if (this.running === undefined) throw new Error('The projection is not started');
    await this.opened.promise;
    const last = await this.lastRuntreeEvent();
    if (last !== undefined && !hasReached(this.checkpoint, last)) await this.waiters.wait(last);
  }

  /** Forgets the read models (not the journal): they follow on from the end of the log. */
  clear(): Promise<void> {
    return this.oneAtATime(async () => {
      const head = await this.store.headPosition();
      await this.readStore.reset('live', head);
    });
  }

  /**
   * Replays the whole journal into tables beside the live ones and swaps them in once they have
   * caught up: readers see the old read models until then, never a half-built one.
   */
  rebuild(): Promise<void> {
    return this.oneAtATime(() =>
      this.readStore.exclusiveRebuild(async () => {
        let checkpoint = await this.readStore.reset('rebuild', 'start');
        for (;;) {
          checkpoint = await this.catchUp('rebuild', checkpoint, () => true);
          if (await this.readStore.swapRebuild()) return;
        }
      }),
    );
  }

  /**
   * How far the checkpoint is behind the last Runtree event of the log, in position units (0 when
   * caught up, whatever other events follow it, such as the bus publisher's checkpoints).
   */
  async lag(): Promise<number> {
    const last = await this.lastRuntreeEvent();
    if (last === undefined || hasReached(this.checkpoint, last)) return 0;
    const at = this.checkpoint === 'start' ? 0n : this.checkpoint.commit;
    return Math.max(1, Number(last.commit - at));
  }

  /** The position of the newest event of Runtree's streams: what "caught up" is measured against. */
  private async lastRuntreeEvent(): Promise<Position | undefined> {
    const [last] = await this.store.readAll({ direction: 'backwards', fromPosition: 'end', maxCount: 1, filter: runtreeStreams });
    return last?.position;
  }

  private oneAtATime<T>(control: () => Promise<T>): Promise<T> {
    const result = this.lastControl.then(control, control);
    this.lastControl = result.catch(() => undefined);
    return result;
  }

  private async halt(): Promise<void> {
    if (this.running === undefined) return;
    this.generation++;
    this.abortRole?.abort();
    this.cancelRetryWait?.();
    await this.subscription?.stop();
    await this.running;
    this.running = undefined;
    this.opened = new Signal();
    this.stopWatching?.();
    this.stopWatching = undefined;
  }

  private async run(generation: number): Promise<void> {
    const current = () => generation === this.generation;
    await this.untilDone(current, 'Opening the read store', () => this.readStore.open());
    if (!current()) return;
    this.stopWatching = this.readStore.watchCheckpoint({
      moved: (checkpoint) => this.heard(checkpoint),
      interrupted: (error) => this.readSideFailing(error),
    });
    let retryDelay = RETRY_FIRST_MS;
    while (current()) {
      this.abortRole = new AbortController();
      const contended = await this.readStore.acquireProjectorRole(this.abortRole.signal).then(
        (role) => ({ role }),
        (error: unknown) => ({ error }),
      );
      if ('error' in contended) {
        if (!current()) return;
        this.readSideFailing(asError(contended.error));
        this.logger.warn(`Could not contend for the projector role (${describe(contended.error)}); trying again in ${retryDelay} ms`);
        // Hearing the read store again (its checkpoint feed reconnected) cuts this wait short.
        await this.waitBeforeRetry(retryDelay);
        retryDelay = Math.min(retryDelay * 2, RETRY_ROLE_MAX_MS);
        continue;
      }
      retryDelay = RETRY_FIRST_MS;
      const { role } = contended;
      if (!current()) return void (await role.release().catch(() => undefined));
      this.projecting = true;
      let lost = false;
      void role.lost.then(() => {
        if (lost) return;
        lost = true;
        this.logger.warn('Lost the projector role: stopping projection until it is won again');
        this.cancelRetryWait?.();
        void this.subscription?.stop();
      });
      try {
        await this.projectWhileCurrent(() => current() && !lost);
      } finally {
        lost = true;
        this.projecting = false;
        await role.release().catch(() => undefined);
      }
    }
  }

  /** Catches up from the stored checkpoint, then follows the log live; starts again after a failure. */
  private async projectWhileCurrent(current: () => boolean): Promise<void> {
    let retryDelay = RETRY_FIRST_MS;
    while (current()) {
      let checkpoint: StoredCheckpoint | undefined;
      try {
        checkpoint = await this.checkedCheckpoint();
        const before = checkpoint;
        checkpoint = await this.catchUp('live', checkpoint, current);
        if (checkpoint.version !== before.version) retryDelay = RETRY_FIRST_MS;
        if (!current()) return;
        await this.followLive(checkpoint, current);
        if (!current()) return;
        throw new Error('the subscription ended by itself');
      } catch (error) {
        if (!current()) return;
        if (error instanceof CheckpointMoved) continue;
        this.readSideFailing(asError(error));
        this.logger.warn(`Projection failed (${describe(error)}); retrying in ${retryDelay} ms`);
        await this.waitBeforeRetry(retryDelay);
        retryDelay = Math.min(retryDelay * 2, RETRY_MAX_MS);
      }
    }
  }

  /**
   * The live checkpoint, after making sure the read store belongs to this journal: a read store
   * recorded for another journal (or ahead of this one's head) is emptied and rebuilt from the start.
   */
  private async checkedCheckpoint(): Promise<StoredCheckpoint> {
    const [checkpoint, recorded, [first], head] = await Promise.all([
      this.readStore.readCheckpoint('live'),
      this.readStore.recordedJournalId(),
      this.store.readAll({ maxCount: 1 }),
      this.store.headPosition(),
    ]);
    const otherJournal = recorded !== undefined && recorded !== first?.id;
    const aheadOfJournal = checkpoint.position !== 'start' && (head === 'start' || comparePositions(checkpoint.position, head) > 0);
    if (!otherJournal && !aheadOfJournal) return checkpoint;
    this.logger.warn(
      `The read store holds read models of ${otherJournal ? 'another journal' : 'a journal ahead of this one'}: rebuilding them from this journal`,
    );
    return this.readStore.reset('live', 'start', { forgetJournal: true });
  }

  /** Reads pages until one is short (the end of the log), committing each; gives the checkpoint reached. */
  private async catchUp(set: TableSet, from: StoredCheckpoint, current: () => boolean): Promise<StoredCheckpoint> {
    const pageSize = set === 'rebuild' ? REBUILD_PAGE_SIZE : PAGE_SIZE;
    let checkpoint = from;
    for (;;) {
      const head = await this.store.headPosition();
      // Forwards reads include `fromPosition`: events already applied are dropped below.
      const page = await this.store.readAll({ fromPosition: checkpoint.position, maxCount: pageSize, filter: runtreeStreams });
      if (!current()) return checkpoint;
      const batch = new Batch(this.logger);
      for (const recorded of page) if (!hasReached(checkpoint.position, recorded.position)) batch.add(recorded);
      // A short page read the log to its end: everything up to the head read before it has been considered.
      if (page.length < pageSize && head !== 'start') batch.reach(head);
      checkpoint = await this.commitBatch(set, batch, checkpoint);
      if (page.length < pageSize) return checkpoint;
    }
  }

  /**
   * Follows the subscription, committing whenever it has nothing more to give at once (or a page
   * has gathered): appends that arrive together are projected in one transaction.
   */
  private async followLive(from: StoredCheckpoint, current: () => boolean): Promise<void> {
    let checkpoint = from;
    const subscription = this.store.subscribeToAll({ fromPosition: from.position, filter: runtreeStreams, checkpointInterval: CHECKPOINT_INTERVAL });
    this.subscription = subscription;
    const iterator = subscription[Symbol.asyncIterator]();
    const pull = () => {
      const next = iterator.next();
      next.catch(() => undefined);
      return next;
    };
    let next = pull();
    let batch = new Batch(this.logger);
    try {
      for (;;) {
        const result: IteratorResult<SubscriptionMessage> | typeof IDLE = batch.to === undefined ? await next : await nextOrIdle(next);
        if (!current()) return;
        if (result === IDLE || batch.events.length >= PAGE_SIZE) {
          checkpoint = await this.commitBatch('live', batch, checkpoint);
          batch = new Batch(this.logger);
          if (result === IDLE) continue;
        }
        if (result.done) return;
        next = pull();
        const message = result.value;
        if (message.type === 'event') {
          if (!hasReached(checkpoint.position, message.event.position)) batch.add(message.event);
        } else if (message.type === 'checkpoint') {
          batch.reach(message.position);
        }
      }
    } finally {
      if (this.subscription === subscription) this.subscription = undefined;
      await subscription.stop();
    }
  }

  /** Folds the batch on the rows it touches and commits it with the checkpoint move. */
  private async commitBatch(set: TableSet, batch: Batch, checkpoint: StoredCheckpoint): Promise<StoredCheckpoint> {
    if (!batch.beyond(checkpoint)) return checkpoint;
    const journalId = set === 'live' && checkpoint.position === 'start' ? await this.firstEventId() : undefined;
    const committed = await projectBatch(this.readStore, set, batch.events, { fromVersion: checkpoint.version, to: batch.to!, journalId }, (failed, error) =>
      this.logger.error(`Skipping event ${failed.streamName}@${failed.revision}: ${describe(error)}`),
    );
    if (committed === undefined) throw new CheckpointMoved();
    return committed;
  }

  private async firstEventId(): Promise<string | undefined> {
    const [first] = await this.store.readAll({ maxCount: 1 });
    return first?.id;
  }

  /** A live checkpoint move, from this projector's commits or another instance's. */
  private heard(checkpoint: StoredCheckpoint): void {
    // The read store answers again: a wait before retrying it ends now.
    if (this.outage !== undefined) this.cancelRetryWait?.();
    this.outage = undefined;
    this.opened.resolve();
    if (this.known === undefined || checkpoint.version > this.known.version || isAfter(checkpoint.position, this.known.position)) this.known = checkpoint;
    this.waiters.release(this.checkpoint);
  }

  /**
   * Every waiter's position was just written to or read from the journal, so the journal answers:
   * a projection waiting out its retry delay (up to 5 s into an outage) tries again now, instead of
   * leaving the first commands after the outage to answer `store_unavailable`.
   */
  private retryNowTheJournalAnswers(): void {
    const now = performance.now();
    if (now - this.earlyRetryAt < EARLY_RETRY_INTERVAL_MS) return;
    this.earlyRetryAt = now;
    this.cancelRetryWait?.();
  }

  private readSideFailing(error: Error): void {
    const first = this.outage === undefined;
    this.outage = error;
    if (first) this.waiters.shortenDeadlines(this.options.outageGraceMs, () => new ReadStoreUnavailableError(`The read side is failing: ${error.message}`, { cause: error }));
  }

  private notReached(position: Position): Error {
    const reason = this.outage === undefined ? `within ${this.options.readYourWritesTimeoutMs} ms` : `(the read side is failing: ${this.outage.message})`;
    return new ReadStoreUnavailableError(`The read models did not reach position ${positionToString(position)} ${reason}; at ${describePosition(this.checkpoint)}`);
  }

  private async untilDone(current: () => boolean, what: string, work: () => Promise<void>): Promise<void> {
    let retryDelay = RETRY_FIRST_MS;
    while (current()) {
      try {
        return await work();
      } catch (error) {
        if (!current()) return;
        this.readSideFailing(asError(error));
        this.logger.warn(`${what} failed (${describe(error)}); retrying in ${retryDelay} ms`);
        await this.waitBeforeRetry(retryDelay);
        retryDelay = Math.min(retryDelay * 2, RETRY_MAX_MS);
      }
    }
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

/** A promise with its resolver. */
class Signal {
  resolve!: () => void;
  readonly promise = new Promise<void>((resolve) => (this.resolve = resolve));
}

/** The next message if the subscription has one now, else IDLE: then the batch is committed before waiting. */
function nextOrIdle<T>(next: Promise<T>): Promise<T | typeof IDLE> {
  return Promise.race([next, new Promise<typeof IDLE>((resolve) => setImmediate(() => resolve(IDLE)))]);
}

function isAfter(a: Position | 'start', b: Position | 'start'): boolean {
  if (a === 'start') return false;
  return b === 'start' || comparePositions(a, b) > 0;
}

/** By shape, not `instanceof`: an error from another realm (Node's sockets seen from a VM context) is an error too. */
function asError(error: unknown): Error {
  if (typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string') return error as Error;
  return new Error(String(error));
}

function describe(error: unknown): string {
  return asError(error).message;
}

function describePosition(position: Position | 'start'): string {
  return position === 'start' ? 'the start' : positionToString(position);
}
