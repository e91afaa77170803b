import type { JournalEntry } from '@runtree/orchestration';

/** A broker the publisher sends Runtree's events to. */
export interface EventSink {
  /** The broker's name in logs and in /health (`nats`, `rabbitmq`). */
  readonly name: string;
  /**
   * Connects; a rejection leaves the sink closed, ready to be opened again. Once open, a lost
   * connection closes the sink (a pending `flush` rejects) and calls `onLost` once: the publisher then
   * starts again from its checkpoint on a new connection, so nothing sent into the lost one is skipped.
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
