import { Inject, Injectable } from '@nestjs/common';
import * as E from 'fp-ts/lib/Either.js';
import {
  StreamNotFoundError,
  WrongExpectedRevisionError,
  comparePositions,
  supportsMultiStreamAppend,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  type MultiStreamEventStore,
  type Position,
  type RecordedEvent,
} from '@runtree/event-store';
import { domainError, type DomainError } from '../api/errors.js';
import type { Decider } from '../domain/decider.js';
import type { DomainEvent } from '../events/event-registry.js';
import type { EventMetadata } from '../events/event-metadata.js';
import { decodeRecordedEvent } from './decode-recorded.js';
import { envelope, type CommandContext } from './event-envelope.js';
import { AtomicWriteLocks, StreamLockTaken } from './atomic-write-locks.js';
import { KeyedLock } from './keyed-lock.js';
import type { MemoryBudget } from './memory-budget.js';
import { StoreRetry } from './store-retry.js';
import { StreamCache } from './stream-cache.js';
import { withoutPayloads } from './without-payloads.js';
import { EVENT_STORE, MEMORY_BUDGET } from '../module/tokens.js';

/** A stream folded into its decider's state. `revision` is -1n for a stream with no events. */
export interface Loaded<State> {
  readonly state: State;
  readonly revision: bigint;
  readonly lastHash: string;
  readonly lastPosition?: Position;
}

export interface Executed<State> {
  /** The state before this command's events (the store holds the truth after it). */
  readonly before: State;
  readonly appended: readonly DomainEvent[];
  /** Position of the last event the stream holds after the command: what readers wait for. */
  readonly position?: Position;
}

export interface ExecuteOptions<State> {
  /** Seed of the event ids when it is not the command id (see deriveEventId). */
  readonly idSeed?: string;
  /** True when the state shows this command already applied: a retry then appends nothing. */
  readonly alreadyApplied?: (state: State) => boolean;
  /**
   * The stream is almost surely new (its id was just derived from the command): when nothing of it is
   * cached, decide on its initial state without reading it. An append then expects `no_stream`, so a
   * stream that does exist refuses it and is read; a refusal is confirmed from the store as always.
   */
  readonly presumedNew?: boolean;
}

/** A stream and the id its decider starts it with. */
export interface StreamRef {
  readonly streamName: string;
  readonly id: string;
}

/** The command to decide, or a domain error found while choosing it from the loaded state. */
export type Plan<State, Command> = Command | ((state: State) => E.Either<DomainError, Command>);

/**
 * Decides on one stream and writes the events: at once (`StreamRepository` itself), or staged for
 * one commit with the other streams of an `atomically` (then `Executed.position` is undefined: the
 * commit's position is the one to wait for).
 */
export interface StreamWriter {
  execute<State, Command>(
    streamName: string,
    id: string,
    decider: Decider<State, Command>,
    plan: Plan<State, Command>,
    context: CommandContext,
    options?: ExecuteOptions<State>,
  ): Promise<E.Either<DomainError, Executed<State>>>;
}

export interface Committed<T> {
  readonly value: T;
  /** The last position the commit wrote; undefined when it wrote nothing (or wrote stream by stream). */
  readonly position?: Position;
}

/** An append decided inside `atomically`, waiting for the commit. */
interface StagedAppend {
  readonly streamName: string;
  readonly events: EventToAppend[];
  readonly expectedRevision: ExpectedRevision;
  /** Caches the stream's state once the commit wrote it at `revision`. */
  readonly remember: (revision: bigint, position: Position) => void;
  /** Reads the stream again into the cache, after the commit lost the race on it. */
  readonly reload: () => Promise<unknown>;
}

const MAX_ATTEMPTS = 8;
/** Times an atomic write starts again because a lock it needed was taken (each time it takes more first). */
const MAX_LOCK_RESTARTS = 16;
/** What an appended event not yet folded into the cached state is counted at. */
const OWN_EVENT_BYTES = 400;

/** What this process appended to a stream after its cached state, folded in on the next use. */
interface OwnAppend {
  readonly events: readonly DomainEvent[];
  readonly ids: readonly string[];
  readonly context: CommandContext;
  readonly revision: bigint;
  readonly lastHash: string;
  readonly position: Position;
}

interface CacheEntry {
  readonly loaded: Loaded<unknown>;
  readonly ownAppend?: OwnAppend;
}

type Folding<State> = Pick<Decider<State, never>, 'initialState' | 'evolve' | 'weigh'>;

/**
 * Loads streams through their deciders and appends decisions with optimistic concurrency.
 * Folded states are cached per stream; the cache only ever holds what was read from the store or
 * what this process appended to it, so it never disagrees with the journal, it can only be behind.
 * `load` catches the cached state up from the store. `execute` decides on the cached state
 * without reading: the append's expected revision rejects a stale decision (another process
 * wrote), and a refusal or a no-op is confirmed on a state read from the store before it is
 * answered, so every answer is one the store's current state gives. The cache is bounded by the
 * bytes its states weigh (the memory budget's `streamCacheBytes`), least recently used first out.
 */
@Injectable()
export class StreamRepository implements StreamWriter {
  private readonly locks = new KeyedLock();
  private readonly cache: StreamCache<CacheEntry>;
  /** True when the store commits several streams at once: `atomically` then makes one commit. */
  readonly commitsAtomically: boolean;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly retry: StoreRetry,
    @Inject(MEMORY_BUDGET) budget: MemoryBudget,
  ) {
    this.cache = new StreamCache(budget.streamCacheBytes);
    this.commitsAtomically = supportsMultiStreamAppend(store);
  }

  /** Bytes the cached states are counted at now. */
  get cachedBytes(): number {
    return this.cache.bytes;
  }

  /** The decoded event at `revision` of the stream (`last`: its newest), or undefined when it is not there (any more). */
  async readAt(streamName: string, revision: bigint | 'last'): Promise<{ readonly event: DomainEvent; readonly id: string; readonly metadata: EventMetadata } | undefined> {
    const options = revision === 'last' ? ({ direction: 'backwards', fromRevision: 'end', maxCount: 1 } as const) : { fromRevision: revision, maxCount: 1 };
    let recorded: RecordedEvent[];
    try {
      recorded = await this.retry.run(() => this.store.readStream(streamName, options));
    } catch (error) {
      if (error instanceof StreamNotFoundError) return undefined;
      throw error;
    }
    const [found] = recorded;
    if (found === undefined || (revision !== 'last' && found.revision !== revision)) return undefined;
    const { domainEvent, metadata } = decodeRecordedEvent(found);
    return { event: domainEvent, id: found.id, metadata };
  }

  /** Runs `work` while no other command of this process writes the stream. */
  exclusive<T>(streamName: string, work: () => Promise<T>): Promise<T> {
    return this.locks.run(streamName, work);
  }

  /** The stream's state, caught up with the store. */
  async load<State>(streamName: string, id: string, decider: Folding<State>): Promise<Loaded<State>> {
    const cached = this.cached(streamName, id, decider);
    const loaded = foldRecorded(cached, await this.readAfter(streamName, cached.revision), decider);
    this.remember(streamName, { loaded }, decider);
    return loaded;
  }

  /**
   * Caches the states of those of these streams it holds nothing of, read together in one
   * `readStreams` (one query on SQLite, instead of one per stream): for work about to write many
   * streams, such as cancelling a run's children. When one must be read, the streams `ahead` names
   * (those the work is likely to need next) are read with them, so a walk down a narrow tree reads
   * its streams in a few large reads, not one per level. What it caches was read from the store,
   * so `execute` may decide on it; the append's expected revision still refuses a stale one.
   */
  async warm<State>(streams: readonly StreamRef[], decider: Folding<State>, ahead?: () => readonly StreamRef[]): Promise<void> {
    const cold = streams.filter(({ streamName }) => !this.cache.has(streamName));
    if (cold.length === 0) return;
    if (ahead !== undefined) {
      const named = new Set(cold.map(({ streamName }) => streamName));
      for (const stream of ahead()) {
        if (named.has(stream.streamName) || this.cache.has(stream.streamName)) continue;
        named.add(stream.streamName);
        cold.push(stream);
      }
    }
    const recorded = await this.retry.run(() => this.store.readStreams(cold.map(({ streamName }) => streamName)));
    const byStream = new Map<string, RecordedEvent[]>();
    for (const event of recorded) {
      const events = byStream.get(event.streamName);
      if (events) events.push(event);
      else byStream.set(event.streamName, [event]);
    }
    for (const { streamName, id } of cold) {
      const events = byStream.get(streamName);
      // A stream read as empty is not cached: `execute` then reads it as it would have.
      if (events === undefined || this.cache.has(streamName)) continue;
      this.remember(streamName, { loaded: foldRecorded(unwritten(id, decider), events, decider) }, decider);
    }
  }

  /**
   * The stream's state as this process last saw or wrote it, without reading the store when it has
   * seen events of it: for facts that never change once written (a run's session and thread).
   */
  async peek<State>(streamName: string, id: string, decider: Folding<State>): Promise<Loaded<State>> {
    const cached = this.cached(streamName, id, decider);
    return cached.revision >= 0n ? cached : this.load(streamName, id, decider);
  }

  /**
   * Decide on the cached state, append at its revision; on a lost race reload and decide again
   * (bounded). Callers hold `exclusive(streamName)` when they need the decision and the append to
   * be atomic with other work in this process; `execute` takes the lock itself otherwise.
   */
  execute<State, Command>(
    streamName: string,
    id: string,
    decider: Decider<State, Command>,
    plan: Plan<State, Command>,
    context: CommandContext,
    options: ExecuteOptions<State> = {},
  ): Promise<E.Either<DomainError, Executed<State>>> {
    return this.exclusive(streamName, async () => {
      let fromStore = false;
      for (let attempt = 0; attempt < MAX_ATTEMPTS; ) {
        const decided = await this.decideLatest(streamName, id, decider, plan, options, fromStore);
        if (decided.kind === 'answer') return decided.result;
        const { loaded, answer } = decided;
        const { events: toAppend, lastHash } = envelope(streamName, loaded.revision + 1n, loaded.lastHash, answer.events, context, options.idSeed);
        try {
          // Safe to retry: the event ids derive from the command (see StoreRetry).
          const expectedRevision = loaded.revision < 0n ? 'no_stream' : loaded.revision;
          const result = await this.retry.run(() => this.store.appendToStream(streamName, toAppend, { expectedRevision }));
          this.rememberOwnAppend(streamName, loaded, decider, {
            events: answer.events.map(withoutPayloads),
            ids: toAppend.map((event) => event.id),
            context,
            revision: result.nextExpectedRevision,
            lastHash,
            position: result.position,
          });
          return E.right({ before: loaded.state, appended: answer.events, position: result.position });
        } catch (error) {
          if (!(error instanceof WrongExpectedRevisionError)) throw error;
          this.cache.delete(streamName);
          fromStore = true;
          await backoff(attempt);
          attempt++;
        }
      }
      return E.left(domainError('conflict', `Writing ${streamName} lost the race ${MAX_ATTEMPTS} times`, { streamName, attempts: MAX_ATTEMPTS }));
    });
  }

  /**
   * Runs `stage`, whose writes (through the writer it gets) land in ONE commit when the store has
   * `appendToStreams`: all of them or none. Each staged stream stays locked in this process until the
   * commit (taken as `AtomicWriteLocks` says, so two atomic writes never wait for each other). On a
   * lost race the refused stream is read again and `stage` runs again (bounded), as it does when a
   * lock it needs is taken; so `stage` must only decide from what it reads through the writer; inputs
   * decided before (policy, placement) are passed in, never set from inside it. `lockFirst`: streams
   * the stage is known to write, locked before it runs. On a store without `appendToStreams`, `stage`
   * runs once with this repository as its writer: every write lands at once, one stream at a time.
   */
  async atomically<T>(stage: (writer: StreamWriter) => Promise<E.Either<DomainError, T>>, lockFirst: readonly string[] = []): Promise<E.Either<DomainError, Committed<T>>> {
    if (!this.commitsAtomically) return E.map((value: T) => ({ value }))(await stage(this));
    let takeFirst: Iterable<string> = lockFirst;
    for (let attempt = 0, lockRestarts = 0; attempt < MAX_ATTEMPTS; ) {
      const staged = new Map<string, StagedAppend>();
      const locks = new AtomicWriteLocks(this.locks);
      try {
        await locks.takeFirst(takeFirst);
        const outcome = await stage(this.stagingWriter(staged, locks));
        if (E.isLeft(outcome) || staged.size === 0) return E.map((value: T) => ({ value }))(outcome);
        return E.right({ value: outcome.right, position: await this.commit([...staged.values()]) });
      } catch (error) {
        if (error instanceof StreamLockTaken) {
          if (++lockRestarts > MAX_LOCK_RESTARTS) return E.left(domainError('conflict', `An atomic write found ${error.streamName} locked ${MAX_LOCK_RESTARTS} times`, { streamName: error.streamName, attempts: MAX_LOCK_RESTARTS }));
          takeFirst = locks.asked;
          continue;
        }
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        this.cache.delete(error.streamName);
        // Read now, so the next attempt decides on it even where it was presumed new.
        await staged.get(error.streamName)?.reload();
      } finally {
        locks.releaseAll();
      }
      await backoff(attempt);
      attempt++;
    }
    return E.left(domainError('conflict', `An atomic write lost the race ${MAX_ATTEMPTS} times`, { attempts: MAX_ATTEMPTS }));
  }

  /** Forget cached states (after a rebuild or when another process may have written). */
  forget(): void {
    this.cache.clear();
  }

  /** A writer that decides as `execute` does and stages the append in `staged`, each stream locked through `locks`. */
  private stagingWriter(staged: Map<string, StagedAppend>, locks: AtomicWriteLocks): StreamWriter {
    const written = new Set<string>();
    return {
      execute: async (streamName, id, decider, plan, context, options = {}) => {
        if (written.has(streamName)) throw new Error(`${streamName} is written twice in one atomic write`);
        written.add(streamName);
        await locks.take(streamName);
        const decided = await this.decideLatest(streamName, id, decider, plan, options, false);
        if (decided.kind === 'answer') return decided.result;
        const { loaded, answer } = decided;
        const { events, lastHash } = envelope(streamName, loaded.revision + 1n, loaded.lastHash, answer.events, context, options.idSeed);
        const own = { events: answer.events.map(withoutPayloads), ids: events.map((event) => event.id), context, lastHash };
        staged.set(streamName, {
          streamName,
          events,
          expectedRevision: loaded.revision < 0n ? 'no_stream' : loaded.revision,
          remember: (revision, position) => this.rememberOwnAppend(streamName, loaded, decider, { ...own, revision, position }),
          reload: () => this.load(streamName, id, decider),
        });
        return E.right({ before: loaded.state, appended: answer.events });
      },
    };
  }

  /** One `appendToStreams` of the staged appends; caches each stream's new state; the last position written. */
  private async commit(appends: readonly StagedAppend[]): Promise<Position> {
    const store = this.store as MultiStreamEventStore;
    const parts = appends.map(({ streamName, events, expectedRevision }) => ({ streamName, events, expectedRevision }));
    // Safe to retry: the event ids derive from the command (see StoreRetry).
    const results = await this.retry.run(() => store.appendToStreams(parts));
    let last = results[0].position;
    appends.forEach((append, index) => {
      const { nextExpectedRevision, position } = results[index];
      append.remember(nextExpectedRevision, position);
      if (comparePositions(position, last) > 0) last = position;
    });
    return last;
  }

  /**
   * Decides on the cached state (the initial one for a stream `presumedNew`), or on the store's when
   * nothing is cached, `fromStore` is set, or an answer without events must be confirmed: a command
   * the cache shows applied is applied (the journal only grows); other refusals and no-ops are
   * answered from the store's state, never from a cache that may be behind.
   */
  private async decideLatest<State, Command>(
    streamName: string,
    id: string,
    decider: Decider<State, Command>,
    plan: Plan<State, Command>,
    options: ExecuteOptions<State>,
    fromStore: boolean,
  ): Promise<{ kind: 'append'; loaded: Loaded<State>; answer: { events: DomainEvent[] } } | { kind: 'answer'; result: E.Either<DomainError, Executed<State>> }> {
    let readStore = fromStore || (!this.cache.has(streamName) && !options.presumedNew);
    for (;;) {
      const loaded = readStore ? await this.load(streamName, id, decider) : this.cached(streamName, id, decider);
      const answer = this.decideOn(loaded, decider, plan, options);
      if (answer.kind === 'append') return { kind: 'append', loaded, answer };
      if (readStore || answer.alreadyApplied) return answer;
      readStore = true;
    }
  }

  /** The events to append, or the command's answer without appending (a refusal or a no-op). */
  private decideOn<State, Command>(
    loaded: Loaded<State>,
    decider: Decider<State, Command>,
    plan: Plan<State, Command>,
    options: ExecuteOptions<State>,
  ): { kind: 'append'; events: DomainEvent[] } | { kind: 'answer'; result: E.Either<DomainError, Executed<State>>; alreadyApplied?: true } {
    const nothingAppended = { kind: 'answer', result: E.right({ before: loaded.state, appended: [], position: loaded.lastPosition }) } as const;
    if (options.alreadyApplied?.(loaded.state)) return { ...nothingAppended, alreadyApplied: true };
    const command = typeof plan === 'function' ? (plan as (state: State) => E.Either<DomainError, Command>)(loaded.state) : E.right(plan);
    if (E.isLeft(command)) return { kind: 'answer', result: command };
    const decision = decider.decide(command.right, loaded.state);
    if (E.isLeft(decision)) return { kind: 'answer', result: decision };
    return decision.right.length === 0 ? nothingAppended : { kind: 'append', events: decision.right };
  }

  /** The cached state with this process's last append folded in; the initial state when nothing is cached. */
  private cached<State>(streamName: string, id: string, decider: Folding<State>): Loaded<State> {
    const entry = this.cache.get(streamName);
    if (entry === undefined) return unwritten(id, decider);
    const own = entry.ownAppend;
    if (own === undefined) return entry.loaded as Loaded<State>;
    let state = entry.loaded.state as State;
    const firstRevision = own.revision - BigInt(own.events.length) + 1n;
    own.events.forEach((event, index) => {
      const context = { eventId: own.ids[index], commandId: own.context.commandId, occurredAt: own.context.occurredAt, revision: firstRevision + BigInt(index) };
      state = decider.evolve(state, event, context);
    });
    const loaded: Loaded<State> = { state, revision: own.revision, lastHash: own.lastHash, lastPosition: own.position };
    this.remember(streamName, { loaded }, decider);
    return loaded;
  }

  private async readAfter(streamName: string, revision: bigint): Promise<RecordedEvent[]> {
    try {
      return await this.retry.run(() => this.store.readStream(streamName, { fromRevision: revision + 1n }));
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
  }

  /**
   * Folding is deferred to the next use, so `before` (handed to the caller) stays the state before
   * this append until then. An append that did not land right after the cached revision (an
   * idempotent repeat elsewhere in the stream) is not cached: the next use reads the store.
   */
  private rememberOwnAppend<State>(streamName: string, before: Loaded<State>, decider: Folding<State>, own: OwnAppend): void {
    if (own.revision !== before.revision + BigInt(own.events.length)) this.cache.delete(streamName);
    else this.remember(streamName, { loaded: before, ownAppend: own }, decider);
  }

  private remember<State>(streamName: string, entry: CacheEntry, decider: Folding<State>): void {
    const bytes = decider.weigh(entry.loaded.state as State) + (entry.ownAppend?.events.length ?? 0) * OWN_EVENT_BYTES;
    this.cache.set(streamName, entry, bytes);
  }
}

/** A stream with no events yet, as its decider starts it. */
function unwritten<State>(id: string, decider: Folding<State>): Loaded<State> {
  return { state: decider.initialState(id), revision: -1n, lastHash: '' };
}

function foldRecorded<State>(from: Loaded<State>, recorded: readonly RecordedEvent[], decider: Folding<State>): Loaded<State> {
  let loaded = from;
  for (const event of recorded) {
    const { domainEvent, metadata } = decodeRecordedEvent(event);
    loaded = {
      state: decider.evolve(loaded.state, domainEvent, { eventId: event.id, commandId: metadata.commandId, occurredAt: metadata.occurredAt, revision: event.revision }),
      revision: event.revision,
      lastHash: metadata.hash,
      lastPosition: event.position,
    };
  }
  return loaded;
}

/** Jittered exponential backoff between attempts, a few milliseconds at first. */
function backoff(attempt: number): Promise<void> {
  const ms = Math.random() * Math.min(100, 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, ms));
}
