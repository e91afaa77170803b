import type { Either } from 'fp-ts/lib/Either.js';
import type { DomainError } from '../api/errors.js';
import type { DomainEvent, EventType } from '../events/event-registry.js';

/** What a state needs to know about an event besides its data. */
export interface EventContext {
  readonly eventId: string;
  readonly commandId: string;
  readonly occurredAt: string;
  /** The event's revision in its stream. */
  readonly revision: bigint;
}

/**
 * A stream type's pure decider: no I/O, no clock, no randomness.
 * States are used linearly: `evolve` may reuse the previous state's collections (for speed on
 * long streams), so only the latest state of a fold is kept.
 */
export interface Decider<State, Command, Event extends DomainEvent = DomainEvent> {
  /** The state of a stream that has no events yet, for the entity with this id. */
  readonly initialState: (id: string) => State;
  readonly evolve: (state: State, event: DomainEvent, context: EventContext) => State;
  readonly decide: (command: Command, state: State) => Either<DomainError, Event[]>;
  /** About how many bytes of heap the state holds: what a cached state counts against the stream cache's budget. */
  readonly weigh: (state: State) => number;
}

export type EventsOf<K extends EventType> = Extract<DomainEvent, { type: K }>;
