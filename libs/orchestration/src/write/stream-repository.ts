import { Inject, Injectable } from '@nestjs/common';
import * as E from 'fp-ts/lib/Either.js';
import {
  StreamNotFoundError,
  WrongExpectedRevisionError,
  type EventStore,
  type Position,
  type RecordedEvent,
} from '@runtree/event-store';
import { domainError, type DomainError } from '../api/errors.js';
import type { Decider } from '../domain/decider.js';
import type { DomainEvent } from '../events/event-registry.js';
import { decodeRecordedEvent } from './decode-recorded.js';
import { envelope, type CommandContext } from './event-envelope.js';
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
}

/** The command to decide, or a domain error found while choosing it from the loaded state. */
export type Plan<State, Command> = Command | ((state: State) => E.Either<DomainError, Command>);

const MAX_ATTEMPTS = 8;
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
export class StreamRepository {
  private readonly locks = new KeyedLock();
  private readonly cache: StreamCache<CacheEntry>;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly retry: StoreRetry,
    @Inject(MEMORY_BUDGET) budget: MemoryBudget,
  ) {
    this.cache = new StreamCache(budget.streamCacheBytes);
  }

  /** Bytes the cached states are counted at now. */
  get cachedBytes(): number {
    return this.cache.bytes;
  }

  /** The decoded event at `revision` of the stream, or undefined when it is not there (any more). */
  async readAt(streamName: string, revision: bigint): Promise<{ readonly event: DomainEvent; readonly id: string; readonly commandId: string } | undefined> {
    let recorded: RecordedEvent[];
    try {
      recorded = await this.retry.run(() => this.store.readStream(streamName, { fromRevision: revision, maxCount: 1 }));
    } catch (error) {
      if (error instanceof StreamNotFoundError) return undefined;
      throw error;
    }
    const [found] = recorded;
    if (found === undefined || found.revision !== revision) return undefined;
    const { domainEvent, metadata } = decodeRecordedEvent(found);
    return { event: domainEvent, id: found.id, commandId: metadata.commandId };
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
   * streams, such as cancelling a run's children. What it caches was read from the store, so
   * `execute` may decide on it; the append's expected revision still refuses a stale one.
   */
  async warm<State>(streams: readonly { readonly streamName: string; readonly id: string }[], decider: Folding<State>): Promise<void> {
    const cold = streams.filter(({ streamName }) => !this.cache.has(streamName));
    if (cold.length === 0) return;
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
      let fromStore = !this.cache.has(streamName);
      for (let attempt = 0; attempt < MAX_ATTEMPTS; ) {
        const loaded = fromStore ? await this.load(streamName, id, decider) : this.cached(streamName, id, decider);
        const answer = this.decideOn(loaded, decider, plan, options);
        if (answer.kind === 'answer') {
          // A command the cache shows applied is applied (the journal only grows); other refusals and
          // no-ops are answered from the store's state, never from a cache that may be behind.
          if (fromStore || answer.alreadyApplied) return answer.result;
          fromStore = true;
          continue;
        }
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

  /** Forget cached states (after a rebuild or when another process may have written). */
  forget(): void {
    this.cache.clear();
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
