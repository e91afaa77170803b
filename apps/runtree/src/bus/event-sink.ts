import type { JournalEntry } from '@runtree/orchestration';

/** A broker the publisher sends Runtree's events to. */
export interface EventSink {
  /** The broker's name in logs and in /health (`nats`, `rabbitmq`). */
  readonly name: string;
  /**
   * Connects; a rejection leaves the sink closed, ready to be opened again. Once open, across a lost
   * connection a sink either carries on, `flush` rejecting if the broker may lack an event, or closes
   * (a pending `flush` rejects) and calls `onLost` once. Either way the publisher starts again from
   * its checkpoint, so no event handed to the lost connection is skipped.
   */
  open(onLost: (reason: Error) => void): Promise<void>;
  /** Hands one event over; `flush` says whether the broker has taken it. */
  publish(subject: string, event: JournalEntry): void;
  /** Resolves once the broker has taken every event published so far; rejects if it refused or lost one. */
  flush(): Promise<void>;
  isAlive(): Promise<boolean>;
  close(): Promise<void>;
}

export const publishedContentType = 'application/json';

/** How long a sink's first connection may take before the publisher gives up and tries again. */
export const CONNECT_TIMEOUT_MS = 5_000;
