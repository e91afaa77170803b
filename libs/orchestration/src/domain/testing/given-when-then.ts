import { expect } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import type { DomainError, ErrorCode, ErrorDetails } from '../../api/errors.js';
import type { DomainEvent } from '../../events/event-registry.js';
import type { Decider, EventContext } from '../decider.js';

/** Test support: given past events, when a command is decided, then these events or this error. */

export type Outcome = E.Either<DomainError, DomainEvent[]>;

export interface Scenario<State, Command> {
  /** The state folded from the given events. */
  readonly state: State;
  /** The context each given event was evolved with, in order. */
  readonly contexts: readonly EventContext[];
  readonly when: (command: Command) => Outcome;
}

/** The context of the given event at `index`: ids that name the position, so tests can refer to them. */
export function givenContext(index: number): EventContext {
  return { eventId: `event-${index}`, commandId: `command-${index}`, occurredAt: new Date(Date.UTC(2025, 0, 1, 0, 0, index)).toISOString(), revision: BigInt(index) };
}

export function given<State, Command>(decider: Decider<State, Command>, id: string, events: readonly DomainEvent[] = []): Scenario<State, Command> {
  const contexts = events.map((_, index) => givenContext(index));
  const state = events.reduce((current, event, index) => decider.evolve(current, event, contexts[index]!), decider.initialState(id));
  return { state, contexts, when: (command) => decider.decide(command, state) };
}

/** The command was accepted and appends exactly these events, in this order. */
export function thenEvents(outcome: Outcome, ...expected: DomainEvent[]): void {
  expect(outcome).toEqual(E.right(expected));
}

/** The command was accepted and appends nothing (an idempotent no-op). */
export function thenNothing(outcome: Outcome): void {
  thenEvents(outcome);
}

/** Refused with `code` (and exactly `details` when given), with a readable message. */
export function thenError(outcome: E.Either<DomainError, unknown>, code: ErrorCode, details?: ErrorDetails): void {
  expect(outcome).toMatchObject({ _tag: 'Left', left: { code } });
  const error = (outcome as E.Left<DomainError>).left;
  expect(error.message).toEqual(expect.any(String));
  expect(error.message.length).toBeGreaterThan(0);
  if (details !== undefined) expect(error.details).toEqual(details);
}
