import { randomUUID } from 'node:crypto';
import { expect } from '@jest/globals';
import { WrongExpectedRevisionError } from '../src/port/errors.js';
import type {
  EventStore,
  EventToAppend,
  ExpectedRevision,
  JsonValue,
  RecordedEvent,
  Subscription,
  SubscriptionMessage,
} from '../src/port/types.js';

/** The store a suite runs against; opened in beforeAll, so read it inside tests only. */
export interface ConformanceTarget {
  readonly store: EventStore;
}

/** How long a subscription case waits for what it expects before failing. */
export const SUBSCRIPTION_DEADLINE_MS = 5000;

/** A prefix no other test (or other data on a shared server) uses. */
export function uniquePrefix(): string {
  return `conformance-${randomUUID()}`;
}

export function newEvent(type = 'TestEvent', data: JsonValue = {}, metadata?: JsonValue): EventToAppend {
  return { id: randomUUID(), type, data, ...(metadata !== undefined && { metadata }) };
}

export function newEvents(count: number, type = 'TestEvent'): EventToAppend[] {
  return Array.from({ length: count }, (_, index) => newEvent(type, { index }));
}

export function idsOf(events: readonly { readonly id: string }[]): string[] {
  return events.map((event) => event.id);
}

export function revisionsOf(events: readonly RecordedEvent[]): bigint[] {
  return events.map((event) => event.revision);
}

export async function expectWrongExpectedRevision(
  attempt: Promise<unknown>,
  expected: ExpectedRevision,
  actual?: bigint | 'no_stream',
): Promise<WrongExpectedRevisionError> {
  const error = await attempt.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(WrongExpectedRevisionError);
  const wrong = error as WrongExpectedRevisionError;
  expect(wrong.expected).toBe(expected);
  if (actual !== undefined) expect(wrong.actual).toBe(actual);
  return wrong;
}

export async function rejectionOf(attempt: Promise<unknown>): Promise<unknown> {
  return attempt.then(
    () => {
      throw new Error('Expected a rejection, but the call succeeded');
    },
    (reason: unknown) => reason,
  );
}

export async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves once `condition` holds, checking every few milliseconds; rejects after `ms`. */
export async function eventually(condition: () => boolean, ms: number, message: () => string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(message());
    await sleep(5);
  }
}

/** Settles as `work` does, or rejects with `message` after `ms` (its timer never outlives it). */
export async function withDeadline<T>(work: Promise<T>, ms: number, message: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message())), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Reads a subscription with a deadline, so a missing message fails the test fast instead of
 * hanging it. Keeps everything received, in order.
 */
export class SubscriptionProbe {
  readonly received: SubscriptionMessage[] = [];
  private readonly iterator: AsyncIterator<SubscriptionMessage>;
  private pending: Promise<IteratorResult<SubscriptionMessage>> | undefined;
  private ended = false;

  constructor(readonly subscription: Subscription) {
    this.iterator = subscription[Symbol.asyncIterator]();
  }

  get events(): RecordedEvent[] {
    return this.received.flatMap((message) => (message.type === 'event' ? [message.event] : []));
  }

  count(type: SubscriptionMessage['type']): number {
    return this.received.filter((message) => message.type === type).length;
  }

  /** Reads until `done` holds for what was received; fails after the deadline, showing what came. */
  async until(done: (probe: SubscriptionProbe) => boolean, deadlineMs = SUBSCRIPTION_DEADLINE_MS): Promise<void> {
    const deadline = Date.now() + deadlineMs;
    while (!done(this)) {
      if (this.ended) throw new Error(`Subscription ended early after ${this.describe()}`);
      const next = await this.nextBefore(deadline);
      if (next === 'timeout') throw new Error(`Deadline of ${deadlineMs} ms passed after ${this.describe()}`);
      if (next.done) this.ended = true;
      else this.received.push(next.value);
    }
  }

  untilEvents(count: number, deadlineMs?: number): Promise<void> {
    return this.until((probe) => probe.events.length >= count, deadlineMs);
  }

  untilCaughtUp(deadlineMs?: number): Promise<void> {
    return this.until((probe) => probe.count('caught_up') > 0, deadlineMs);
  }

  /** Reads for `ms` and proves no further event arrived (checkpoints may; for "exactly once" checks). */
  async expectNoEventFor(ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    for (;;) {
      const next = await this.nextBefore(deadline);
      if (next === 'timeout' || next.done) return;
      this.received.push(next.value);
      if (next.value.type === 'event') throw new Error(`Unexpected event after ${this.describe()}`);
    }
  }

  async stop(): Promise<void> {
    await this.subscription.stop();
  }

  private async nextBefore(deadline: number): Promise<IteratorResult<SubscriptionMessage> | 'timeout'> {
    this.pending ??= this.iterator.next();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), Math.max(0, deadline - Date.now()));
    });
    const result = await Promise.race([this.pending, timeout]);
    clearTimeout(timer);
    if (result !== 'timeout') this.pending = undefined;
    return result;
  }

  private describe(): string {
    const summary = this.received.map((message) =>
      message.type === 'event' ? `event ${message.event.streamName}@${message.event.revision}` : message.type,
    );
    return `${this.received.length} messages: [${summary.join(', ')}]`;
  }
}

