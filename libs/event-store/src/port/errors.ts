import type { ExpectedRevision } from './types.js';

export type EventStoreErrorCode = 'wrong_expected_revision' | 'stream_not_found' | 'store_unavailable' | 'invalid_request';

export abstract class EventStoreError extends Error {
  abstract readonly code: EventStoreErrorCode;
}

/** `actual` is the stream's last revision, or `no_stream` when it has none. */
export class WrongExpectedRevisionError extends EventStoreError {
  readonly code = 'wrong_expected_revision' as const;
  constructor(
    readonly streamName: string,
    readonly expected: ExpectedRevision,
    readonly actual: bigint | 'no_stream',
  ) {
    super(`Append to ${streamName} expected revision ${String(expected)} but the stream is at ${String(actual)}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

export class StreamNotFoundError extends EventStoreError {
  readonly code = 'stream_not_found' as const;
  constructor(readonly streamName: string) {
    super(`Stream ${streamName} not found`);
    this.name = 'StreamNotFoundError';
  }
}

export class StoreUnavailableError extends EventStoreError {
  readonly code = 'store_unavailable' as const;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

/** The request itself is wrong (empty stream name, bad option): a caller's mistake, never retried. */
export class InvalidRequestError extends EventStoreError {
  readonly code = 'invalid_request' as const;
  constructor(message: string) {
    super(message);
    this.name = 'InvalidRequestError';
  }
}
