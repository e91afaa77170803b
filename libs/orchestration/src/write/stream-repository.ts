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
import { StoreRetry } from './store-retry.js';
import { EVENT_STORE } from '../module/tokens.js';

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
const CACHE_LIMIT = 20_000;

/**
 * Loads streams through their deciders and appends decisions with optimistic concurrency.
 * Folded states are cached per stream and caught up from the store on each load; the cache only
 * ever holds what was read from the store, so it never disagrees with the journal.
 */
@Injectable()
export class StreamRepository {
  private readonly locks = new KeyedLock();
  private readonly cache = new Map<string, Loaded<unknown>>();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly retry: StoreRetry,
  ) {}

  /** Runs `work` while no other command of this process writes the stream. */
  exclusive<T>(streamName: string, work: () => Promise<T>): Promise<T> {
    return this.locks.run(streamName, work);
  }

  async load<State>(streamName: string, id: string, decider: Pick<Decider<State, never>, "initialState" | "evolve">): Promise<Loaded<State>> {
    let loaded = (this.cache.get(streamName) as Loaded<State> | undefined) ?? {
      state: decider.initialState(id),
      revision: -1n,
      lastHash: '',
    };
    const recorded = await this.readAfter(streamName, loaded.revision);
    for (const event of recorded) {
      const { domainEvent, metadata } = decodeRecordedEvent(event);
      loaded = {
        state: decider.evolve(loaded.state, domainEvent, { eventId: event.id, commandId: metadata.commandId, occurredAt: metadata.occurredAt }),
        revision: event.revision,
        lastHash: metadata.hash,
        lastPosition: event.position,
      };
    }
    this.remember(streamName, loaded);
    return loaded;
  }

  /**
   * Load, decide, append at the loaded revision; on a lost race reload and decide again (bounded).
   * Callers hold `exclusive(streamName)` when they need the decision and the append to be atomic
   * with other work in this process; `execute` takes the lock itself otherwise.
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
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const loaded = await this.load(streamName, id, decider);
        if (options.alreadyApplied?.(loaded.state)) return E.right({ before: loaded.state, appended: [], position: loaded.lastPosition });
        const command = typeof plan === 'function' ? (plan as (state: State) => E.Either<DomainError, Command>)(loaded.state) : E.right(plan);
        if (E.isLeft(command)) return command;
        const decision = decider.decide(command.right, loaded.state);
        if (E.isLeft(decision)) return decision;
        const events = decision.right;
        if (events.length === 0) return E.right({ before: loaded.state, appended: [], position: loaded.lastPosition });
        const { events: toAppend } = envelope(streamName, loaded.revision + 1n, loaded.lastHash, events, context, options.idSeed);
        try {
          // Safe to retry: the event ids derive from the command (see StoreRetry).
          const expectedRevision = loaded.revision < 0n ? 'no_stream' : loaded.revision;
          const result = await this.retry.run(() => this.store.appendToStream(streamName, toAppend, { expectedRevision }));
          return E.right({ before: loaded.state, appended: events, position: result.position });
        } catch (error) {
          if (!(error instanceof WrongExpectedRevisionError)) throw error;
          this.cache.delete(streamName);
          await backoff(attempt);
        }
      }
      return E.left(domainError('conflict', `Writing ${streamName} lost the race ${MAX_ATTEMPTS} times`, { streamName, attempts: MAX_ATTEMPTS }));
    });
  }

  /** Forget cached states (after a rebuild or when another process may have written). */
  forget(): void {
    this.cache.clear();
  }

  private async readAfter(streamName: string, revision: bigint): Promise<RecordedEvent[]> {
    try {
      return await this.retry.run(() => this.store.readStream(streamName, { fromRevision: revision + 1n }));
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
  }

  private remember(streamName: string, loaded: Loaded<unknown>): void {
    this.cache.delete(streamName);
    this.cache.set(streamName, loaded);
    if (this.cache.size > CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value as string);
  }
}

/** Jittered exponential backoff between attempts, a few milliseconds at first. */
function backoff(attempt: number): Promise<void> {
  const ms = Math.random() * Math.min(100, 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, ms));
}
